; Math/sqrt, double and long: doubles from any number, longs truncated
; toward zero.
(defn -main [& args]
  (println (Math/sqrt 16) (Math/sqrt 2) (Math/sqrt 0.25) (Math/sqrt 4611686018427387904) (Math/sqrt -1.0))
  (println (double 3) (double -7) (double 2.5) (double 9223372036854775807) (/ (double 1) 3))
  (println (long 3.99) (long -3.99) (long 7) (long 1.0e15) (long -0.5) (long 9223372036854775807))
  (println (long (* (Math/sqrt 2) 1.0e9)) (map double [1 2]) (map long [1.5 -2.5]) (+ (long 2.9) (double 1)))
  (println (= 3 (long 3.0)) (= 3.0 (double 3)) (== 3 (double 3))))
