; Storing something that is not a number in a double-array is an error
; (Clojure finds no aset method for it).
(defn put [a i v] (aset a i v))

(defn -main [& args]
  (let [a (double-array 2)]
    (println (put a 0 2.5) (aget a 0))
    (put a 1 :one)
    (println (aget a 1))))
