;;; A state machine of four mutually tail-calling functions driven by a
;;; linear congruential generator (SBCL peer of statemachine.clj). SBCL's
;;; compiler turns the tail calls into jumps at the default debug level.
(declaim (optimize speed))
(declaim (ftype (function (fixnum fixnum fixnum) fixnum) state-a state-b state-c state-d))

(declaim (inline next-random))
(defun next-random (x)
  (declare (type (unsigned-byte 31) x))
  (mod (+ (* x 1103515245) 12345) 2147483648))

(defun state-a (n x acc)
  (declare (fixnum n x acc))
  (if (zerop n)
      acc
      (let ((y (next-random x)))
        (case (logand (ash y -16) 3)
          (0 (state-b (1- n) y (+ acc 1)))
          (1 (state-c (1- n) y acc))
          (t (state-d (1- n) y (+ acc 3)))))))

(defun state-b (n x acc)
  (declare (fixnum n x acc))
  (if (zerop n)
      acc
      (let ((y (next-random x)))
        (if (zerop (logand y 65536))
            (state-a (1- n) y (+ acc 2))
            (state-c (1- n) y (- acc 1))))))

(defun state-c (n x acc)
  (declare (fixnum n x acc))
  (if (zerop n)
      acc
      (let ((y (next-random x)))
        (if (< (logand (ash y -12) 255) 100)
            (state-d (1- n) y (logxor acc 5))
            (state-a (1- n) y (+ acc 7))))))

(defun state-d (n x acc)
  (declare (fixnum n x acc))
  (if (zerop n)
      acc
      (let ((y (next-random x)))
        (if (oddp (ash y -20))
            (state-b (1- n) y (+ acc 11))
            (state-c (1- n) y acc)))))

(format t "state machine: ~a~%" (state-a 30000000 42 0))
