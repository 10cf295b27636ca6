;; Binary trees (Chez Scheme peer of binarytrees.clj): a node is a pair of
;; its children, a leaf a pair of empty lists.
(define (make-tree depth)
  (if (zero? depth)
      (cons '() '())
      (cons (make-tree (- depth 1)) (make-tree (- depth 1)))))

(define (check node)
  (if (null? (car node))
      1
      (+ 1 (check (car node)) (check (cdr node)))))

(define min-depth 4)
(define max-depth 18)

(let ([stretch (+ max-depth 1)])
  (printf "stretch tree of depth ~a check: ~a\n" stretch (check (make-tree stretch))))
(let ([long-lived (make-tree max-depth)])
  (do ([d min-depth (+ d 2)]) ((> d max-depth))
    (let* ([iterations (ash 1 (+ (- max-depth d) min-depth))]
           [sum (do ([i 0 (+ i 1)] [acc 0 (+ acc (check (make-tree d)))]) ((= i iterations) acc))])
      (printf "~a trees of depth ~a check: ~a\n" iterations d sum)))
  (printf "long lived tree of depth ~a check: ~a\n" max-depth (check long-lived)))
