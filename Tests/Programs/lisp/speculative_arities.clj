; Fns that only compute on numbers and end in tail calls of known fns are
; compiled for fixnums first; anything else (doubles, big steps) starts over
; in the general code. The results must not tell the two apart.
(declare pong)

(defn next-x [x] (mod (+ (* x 75) 74) 65537))

(defn ping [n x acc]
  (if (zero? n)
    acc
    (let [y (next-x x)]
      (if (zero? (rem y 2))
        (pong (dec n) y (+ acc 1))
        (pong (dec n) y (- acc 2))))))

(defn pong [n x acc]
  (cond (zero? n) acc
        (< (bit-and x 255) 100) (ping (dec n) (next-x x) (bit-xor acc 7))
        :else (ping (dec n) x (+ acc 3))))

; Doubles take the general path at once, and again at every call.
(defn walk [n x] (if (<= n 0) x (walk (dec n) (+ (* x 3) 1))))

(defn halve [n x]
  (if (< x 1) n (halve (inc n) (quot x 2))))

; A self tail call whose count crosses from fixnum to non-fixnum steps.
(defn count-down [n step]
  (if (neg? n) [n step] (count-down (- n step) step)))

(defn -main [& args]
  (println (ping 3000 1 0))
  ; Beyond the JVM's stack (Clojure has no tail calls): checked against the general code alone.
  (println (ping 1000000 1 0))
  (println (walk 5 1) (walk 5 1.5) (walk 0 7))
  (println (halve 0 1000) (halve 0 1000.0) (halve 0 0.5))
  (println (count-down 10 3) (count-down 10.0 2.5))
  (println (ping 0 nil :unchanged)))
