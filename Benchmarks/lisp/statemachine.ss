;; A state machine of four mutually tail-calling procedures driven by a
;; linear congruential generator (Chez Scheme peer of statemachine.clj).
(define (step x) (modulo (+ (* x 1103515245) 12345) 2147483648))

(define (state-a n x acc)
  (if (zero? n)
      acc
      (let ([y (step x)])
        (case (logand (ash y -16) 3)
          [(0) (state-b (- n 1) y (+ acc 1))]
          [(1) (state-c (- n 1) y acc)]
          [else (state-d (- n 1) y (+ acc 3))]))))

(define (state-b n x acc)
  (if (zero? n)
      acc
      (let ([y (step x)])
        (if (zero? (logand y 65536))
            (state-a (- n 1) y (+ acc 2))
            (state-c (- n 1) y (- acc 1))))))

(define (state-c n x acc)
  (if (zero? n)
      acc
      (let ([y (step x)])
        (if (< (logand (ash y -12) 255) 100)
            (state-d (- n 1) y (logxor acc 5))
            (state-a (- n 1) y (+ acc 7))))))

(define (state-d n x acc)
  (if (zero? n)
      acc
      (let ([y (step x)])
        (if (odd? (ash y -20))
            (state-b (- n 1) y (+ acc 11))
            (state-c (- n 1) y acc)))))

(printf "state machine: ~a\n" (state-a 30000000 42 0))
