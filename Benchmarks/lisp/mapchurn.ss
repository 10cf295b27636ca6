;; Map and set churn (Chez Scheme peer of mapchurn.clj). Chez has no
;; persistent maps; a Scheme programmer uses mutable hashtables: the map
;; is an eqv hashtable, the set one whose values are #t.
(define (step x) (modulo (+ (* x 1103515245) 12345) 2147483648))

(define (sum-vector v) (let loop ([i 0] [s 0]) (if (< i (vector-length v)) (loop (+ i 1) (+ s (vector-ref v i))) s)))

(let ([m (make-eqv-hashtable)] [s (make-eqv-hashtable)])
  (let loop ([i 0] [x 1] [hits 0])
    (if (< i 100000)
        (let ([k (logand (ash x -8) 1023)])
          (if (hashtable-contains? m k) (hashtable-delete! m k) (hashtable-set! m k i))
          (when (zero? (remainder i 100)) (hashtable-set! s (* k k) #t))
          (loop (+ i 1) (step x) (if (hashtable-contains? s (logand x 1023)) (+ hits 1) hits)))
        (let-values ([(keys vals) (hashtable-entries m)])
          (printf "map: ~a ~a ~a set: ~a ~a hits: ~a\n"
                  (hashtable-size m) (sum-vector vals) (sum-vector keys)
                  (hashtable-size s) (sum-vector (hashtable-keys s)) hits)))))
