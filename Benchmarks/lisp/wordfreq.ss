;; Word frequency (Chez Scheme peer of wordfreq.clj): a string hashtable.
(define syllables '#("ka" "lo" "mi" "ne" "ru" "sa" "to" "vi" "ze" "bo" "du" "fe" "gi" "ha" "jo" "pu"))

(define (step x) (modulo (+ (* x 1103515245) 12345) 2147483648))

(define (word x)
  (let ([a (vector-ref syllables (logand (ash x -8) 15))]
        [b (vector-ref syllables (logand (ash x -12) 15))])
    (if (zero? (logand (ash x -16) 7))
        a
        (string-append a b))))

(define (count-words n)
  (let ([freqs (make-hashtable string-hash string=?)])
    (let loop ([i 0] [x 7])
      (when (< i n)
        (hashtable-update! freqs (word x) (lambda (c) (+ c 1)) 0)
        (loop (+ i 1) (step x))))
    freqs))

(let ([freqs (count-words 300000)])
  (let-values ([(words counts) (hashtable-entries freqs)])
    (let loop ([i 0] [total 0] [best ""] [best-count 0])
      (if (< i (vector-length words))
          (let ([w (vector-ref words i)] [c (vector-ref counts i)])
            (if (or (> c best-count) (and (= c best-count) (string<? w best)))
                (loop (+ i 1) (+ total (* c (string-length w))) w c)
                (loop (+ i 1) (+ total (* c (string-length w))) best best-count)))
          (printf "distinct: ~a letters: ~a most frequent: ~a ~a\n"
                  (hashtable-size freqs) total best best-count)))))
