; aget of something that is not an array (a vector) is an error
; (Clojure finds no aget method for it).
(defn at [a i] (aget a i))

(defn -main [& args]
  (println (at (double-array [1 2]) 1))
  (println (at [1 2] 1)))
