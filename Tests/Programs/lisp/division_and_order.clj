; quot, rem, mod and the comparisons on every sign combination and at the
; edges of the 63-bit fixnum range (where the fast paths hand over to the
; full functions), mixed with boxed longs and doubles.
(defn -main [& args]
  (doseq [[x y] [[17 5] [-17 5] [17 -5] [-17 -5] [0 3] [4 -1] [-4611686018427387904 -1]
                 [4611686018427387903 2] [-4611686018427387904 7] [9223372036854775807 -2]]]
    (println x y (quot x y) (rem x y) (mod x y)))
  (println (< -4611686018427387904 4611686018427387903) (< 4611686018427387903 4611686018427387904)
           (> -4611686018427387905 -4611686018427387904) (<= 3 3 4) (>= 3 4) (< -1 0 1 2)
           (zero? 0) (pos? -4611686018427387904) (neg? -1) (max 3 -9 7) (min 3 -9 7) (compare -5 5))
  (println (= (quot 1000000000000 7) 142857142857) (loop [i 0 s 0] (if (< i 1000) (recur (inc i) (+ s (mod (* i i) 7))) s))))
