;;; Naive doubly recursive Fibonacci (SBCL peer of fib.clj).
(declaim (optimize speed))

(defun fib (n)
  (declare (fixnum n))
  (if (< n 2)
      n
      (+ (fib (- n 1)) (fib (- n 2)))))

(format t "fib(37) = ~a~%" (fib 37))
