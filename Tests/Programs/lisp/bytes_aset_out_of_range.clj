; Storing an integer outside -128..127 in a byte-array is an error (Clojure's
; aset of a byte-array takes only a Byte and finds no method for a long;
; unchecked-byte keeps the low 8 bits instead).
(defn put [a i v] (aset a i v))

(defn -main [& args]
  (let [a (byte-array 2)]
    (println (put a 0 (unchecked-byte 200)) (aget a 0))
    (put a 1 200)
    (println (aget a 1))))
