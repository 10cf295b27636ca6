; Integers beyond 63 bits (boxed) keep full 64-bit long semantics.
(defn -main [& args]
  (let [big 4611686018427387903
        bigger (inc big)
        max 9223372036854775807]
    (println bigger (dec bigger) (+ bigger (dec bigger)) (- (- bigger) bigger))
    (println (= bigger 4611686018427387904) (< big bigger max) (quot max 2) (rem max 10))
    (println (* -1 max) (- max max) (+ max (- max)))
    (println (+ max 1))))
