; Calling a value that is not a function is a runtime error, not a crash.
(defn apply-it [f x] (let [r (f x)] r))  ; not a tail call: its frame stays in the backtrace
(defn -main [& args]
  (println (apply-it inc-by-one 1))
  (let [r (apply-it 42 1)] r))  ; not a tail call: its frame stays in the backtrace
(defn inc-by-one [x] (+ x 1))
