; A negative size is a NegativeArraySizeException.
(defn zeros [n] (long-array n))

(defn -main [& args]
  (println (alength (zeros 3)))
  (println (alength (zeros (- 2 3)))))
