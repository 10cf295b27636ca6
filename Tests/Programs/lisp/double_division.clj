;; quot, rem and mod with a double operand (Clojure's Numbers: the quotient
;; truncated toward zero, mod on the divisor's side), beside the integer ones.
(defn row [x y] [x y (quot x y) (rem x y) (mod x y)])

(defn -main [& args]
  (doseq [[x y] [[7.5 2] [-7.5 2] [7.5 -2] [-7.5 -2] [7 2.5] [-7 2.5] [1e20 3.0] [0.5 0.25] [-6.0 3] [6 -3.0] [2.0 3]]]
    (apply println (row x y)))
  (doseq [[x y] [[7 2] [-7 2] [7 -2] [-7 -2]]]
    (apply println (row x y)))
  (println (map (fn [x] (mod x 3)) (range -4 5)))
  (println (reduce + (map (fn [x] (rem (* x 1.5) 4)) (range 10)))))
