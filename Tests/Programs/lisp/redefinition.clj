; Calls to a global follow its current value: redefining a function (with
; another fn, a closure, a vector, or a value that is not a function) takes effect
; even where the compiler calls the original directly.
(defn op [x] (* x 10))
(defn apply-op [x] (let [r (op x)] r))  ; not a tail call: its frame stays in the backtrace

(defn make-adder [n] (fn [x] (+ x n)))

(defn -main [& args]
  (println (apply-op 1))
  (def op (fn [x] (- x)))
  (println (apply-op 1))
  (def op (make-adder 100))
  (println (apply-op 1))
  (defn op [x] (str "op " x))
  (println (apply-op 1))
  (def op [:zero :one])
  (println (apply-op 1))
  (def op "not a function")
  (apply-op 1))
