; Nested + - * / computed unboxed when every operand is a double, and one
; operation at a time otherwise: the results and errors must be the same.
(defn norm2 [x y z] (+ (+ (* x x) (* y y)) (* z z)))
(defn lerp [a b t] (+ a (* (- b a) t)))
(defn mixed [n x] (/ (+ (* n 3) x) (- x 1)))
(defn scaled [v k] (- (nth v 0) (* (* k 2) (nth v 1))))

(defn -main [& args]
  (println (norm2 1.0 2.0 2.0) (norm2 1 2 2) (norm2 1 2.5 2) (norm2 0.5 0.25 0.125))
  (println (lerp 0.0 10.0 0.25) (lerp 0 10 2) (lerp 1 2.0 0.5) (lerp -0.0 0.0 0.0))
  (println (mixed 2 3.0) (mixed 3 3) (mixed 1.5 0.5) (mixed 1 2.0) (mixed -1 0.5))
  (println (scaled [10.0 1.5] 0.5) (scaled [10 3] 2) (scaled [1 0.5] 3))
  (println (let [e 1.5 m 2.0] (- e (/ (* m 3.0) (+ e (* m m))))))
  (println (norm2 3037000499 1 1))
  (println (norm2 1.0 "two" 3.0)))
