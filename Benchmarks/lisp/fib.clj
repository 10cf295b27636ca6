;; Naive doubly recursive Fibonacci: calls and fixnum arithmetic.
(defn fib [n]
  (if (< n 2)
    n
    (+ (fib (- n 1)) (fib (- n 2)))))

(defn -main [& args]
  (println "fib(37) =" (fib 37)))
