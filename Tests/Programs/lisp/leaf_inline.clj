; Small leaf functions (numeric intrinsics over their parameters) are
; compiled inline at their calls; anything but the fixnum path (doubles,
; big longs, results past the fixnum range) runs the function itself.
(defn step [x] (mod (+ (* x 1103515245) 12345) 2147483648))
(defn avg [a b] (quot (+ a b) 2))
(defn clamp [x lo hi] (if (< x lo) lo (if (> x hi) hi x)))
(defn parity [n] (let [m (bit-and n 1)] (if (zero? m) :even :odd)))
(defn twice [x] (* 2 x))
(defn big? [x] (> x 4611686018427387903))
(defn halve [x] (/ x 2))

(defn walk [n x]
  (if (zero? n) x (walk (dec n) (step x))))

(defn -main [& args]
  (println (walk 1000 42) (step 7) (avg 3 8) (avg 1.5 2.5))
  (println (clamp 5 0 3) (clamp -5 0 3) (clamp 2 0 3) (clamp 2.5 0 3))
  (println (parity 7) (parity 10) (parity 4611686018427387904))
  (println (twice 4611686018427387903) (twice 3.25) (twice -4611686018427387904))
  (println (big? 4611686018427387903) (big? 4611686018427387904) (big? 1.0e19))
  (println (halve 10) (halve 3.0))
  (println (map step [1 2 3]) (reduce avg [10 20 30])))
