; byte-array of a collection holding something that is not a number is a
; ClassCastException.
(defn bytes-of [xs] (byte-array xs))

(defn -main [& args]
  (println (alength (bytes-of [1 2 300])))
  (println (alength (bytes-of [1 :two 3]))))
