;;; Binary trees (SBCL peer of binarytrees.clj): a node is a cons of its
;;; children, a leaf a cons of two NILs.
(declaim (optimize speed))

(defun make-tree (depth)
  (declare (fixnum depth))
  (if (zerop depth)
      (cons nil nil)
      (cons (make-tree (1- depth)) (make-tree (1- depth)))))

(defun check (node)
  (if (car node)
      (+ 1 (check (car node)) (check (cdr node)))
      1))

(defparameter *min-depth* 4)
(defparameter *max-depth* 18)

(let ((stretch (1+ *max-depth*)))
  (format t "stretch tree of depth ~a check: ~a~%" stretch (check (make-tree stretch))))
(let ((long-lived (make-tree *max-depth*)))
  (loop for d from *min-depth* to *max-depth* by 2
        do (let ((iterations (ash 1 (+ (- *max-depth* d) *min-depth*))))
             (format t "~a trees of depth ~a check: ~a~%" iterations d
                     (loop repeat iterations sum (check (make-tree d))))))
  (format t "long lived tree of depth ~a check: ~a~%" *max-depth* (check long-lived)))
