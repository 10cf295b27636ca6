;; Naive doubly recursive Fibonacci (Chez Scheme peer of fib.clj).
(define (fib n)
  (if (< n 2)
      n
      (+ (fib (- n 1)) (fib (- n 2)))))

(printf "fib(37) = ~a\n" (fib 37))
