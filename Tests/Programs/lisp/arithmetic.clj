; Integer and double arithmetic with Clojure's long semantics.
(defn -main [& args]
  (println (+) (+ 1) (+ 1 2 3) (- 10) (- 10 3 2) (* 2 3 4) (*))
  (println (/ 12 4) (/ 1.0 4) (quot 17 5) (rem -17 5) (mod -17 5) (mod 17 -5))
  (println (inc 41) (dec 0) (max 3 9 2) (min 3 9 2) (+ 1 2.5) (* 1.5 2))
  (println (< 1 2 3) (< 1 3 2) (>= 3 3 1) (= 1 1) (= 1 1.0) (== 1 1.0) (not= 1 2))
  (println (zero? 0) (pos? -1) (neg? -1) (even? 10) (odd? 10))
  (println (- 4611686018427387903 -1) (* 3037000499 3037000499))
  (println 9223372036854775807 -9223372036854775808 (dec -9223372036854775807)))
