; count of something that is not a collection or string is an
; UnsupportedOperationException.
(defn sizes [xs] (map count xs))

(defn -main [& args]
  (prn (sizes ["abc" [1 2] {:a 1} #{} nil '(1 2 3)]))
  (let [r (sizes [[1] 42])] (prn r)))
