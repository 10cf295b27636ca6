;;; Map and set churn (SBCL peer of mapchurn.clj). Common Lisp has no
;;; persistent maps; a Lisp programmer uses mutable hash tables: the map an
;;; EQL table, the set one whose values are T.
(declaim (optimize speed))

(declaim (inline next-random))
(defun next-random (x)
  (declare (type (unsigned-byte 31) x))
  (mod (+ (* x 1103515245) 12345) 2147483648))

(let ((m (make-hash-table)) (s (make-hash-table)) (hits 0))
  (declare (fixnum hits))
  (loop for i of-type fixnum below 100000
        for x of-type (unsigned-byte 31) = 1 then (next-random x)
        do (let ((k (logand (ash x -8) 1023)))
             (if (nth-value 1 (gethash k m)) (remhash k m) (setf (gethash k m) i))
             (when (zerop (rem i 100)) (setf (gethash (* k k) s) t))
             (when (gethash (logand x 1023) s) (incf hits))))
  (format t "map: ~a ~a ~a set: ~a ~a hits: ~a~%"
          (hash-table-count m)
          (loop for v being the hash-values of m sum v)
          (loop for k being the hash-keys of m sum k)
          (hash-table-count s)
          (loop for k being the hash-keys of s sum k)
          hits))
