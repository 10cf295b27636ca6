; Storing a double in a byte-array is an error (Clojure finds no aset
; method for it).
(defn put [a i v] (aset a i v))

(defn -main [& args]
  (let [a (byte-array 2)]
    (println (put a 0 (byte 100)) (aget a 0))
    (put a 1 2.5)
    (println (aget a 1))))
