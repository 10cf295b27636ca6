; Calls in tail position whose closure and arguments need more than the 6
; x86-64 argument registers stay ordinary calls (the backend refuses such a
; tail call): direct, self and through a closure, they still compute right.
; At the limit (closure + 5 arguments) a tail call is proper: 10^6 deep.
(defn sum6 [a b c d e f] (+ a b c d e f))

(defn shift [n a b c d e]
  (if (zero? n) [a b c d e] (shift (dec n) b c d e (+ a 1))))

(defn rotate [n a b c d] (if (zero? n) [a b c d] (rotate (dec n) d a b c)))

(defn via [g a b c d e f] (g a b c d e f))

(defn -main [& args]
  (prn (shift 1000 1 2 3 4 5))
  (prn (rotate 1000001 1 2 3 4))
  (println (via sum6 1 2 3 4 5 6))
  (println (via (fn [& xs] (count xs)) 1 2 3 4 5 6)))
