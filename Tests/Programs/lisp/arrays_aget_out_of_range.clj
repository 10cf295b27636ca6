; aget past the end of an array is an ArrayIndexOutOfBoundsException, with
; Clojure's (Java's) message.
(defn last-plus [a k] (aget a (+ (dec (alength a)) k)))

(defn -main [& args]
  (let [a (long-array [3 4])]
    (println (last-plus a 0))
    (println (last-plus a 3))))
