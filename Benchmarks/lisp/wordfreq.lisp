;;; Word frequency (SBCL peer of wordfreq.clj): an EQUAL hash table of strings.
(declaim (optimize speed))

(defparameter *syllables*
  #("ka" "lo" "mi" "ne" "ru" "sa" "to" "vi" "ze" "bo" "du" "fe" "gi" "ha" "jo" "pu"))

(declaim (inline next-random))
(defun next-random (x)
  (declare (type (unsigned-byte 31) x))
  (mod (+ (* x 1103515245) 12345) 2147483648))

(defun make-word (x)
  (declare (type (unsigned-byte 31) x))
  (let ((a (svref *syllables* (logand (ash x -8) 15)))
        (b (svref *syllables* (logand (ash x -12) 15))))
    (if (zerop (logand (ash x -16) 7))
        a
        (concatenate 'string a b))))

(defun count-words (n)
  (declare (fixnum n))
  (let ((freqs (make-hash-table :test 'equal)))
    (loop repeat n
          for x of-type (unsigned-byte 31) = 7 then (next-random x)
          do (incf (the fixnum (gethash (make-word x) freqs 0))))
    freqs))

(let ((freqs (count-words 300000)) (total 0) (best "") (best-count 0))
  (maphash (lambda (w c)
             (incf total (* c (length w)))
             (when (or (> c best-count) (and (= c best-count) (string< w best)))
               (setf best w best-count c)))
           freqs)
  (format t "distinct: ~a letters: ~a most frequent: ~a ~a~%" (hash-table-count freqs) total best best-count))
