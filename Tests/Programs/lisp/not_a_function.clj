; Calling a value that is not a function is a runtime error, not a crash.
(defn apply-it [f x] (f x))
(defn -main [& args]
  (println (apply-it inc-by-one 1))
  (apply-it 42 1))
(defn inc-by-one [x] (+ x 1))
