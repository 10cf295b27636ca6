; (+ x k) and (- x k) with a constant k test overflow with one compare
; (FixnumInline.add): every sign of x and k, up to the ends of the fixnum
; range (past them the sum is a boxed long) and of the long range.
(defn -main [& args]
  (doseq [x [0 1 -1 4611686018427387903 -4611686018427387904 4611686018427387902 -4611686018427387903]]
    (println x (+ x 1) (+ 1 x) (- x 1) (+ x -1) (- x -1) (+ x 4611686018427387903) (- x -4611686018427387904) (+ x -4611686018427387904) (- x 4611686018427387903)))
  (println (+ 2.5 1) (- 2.5 1) (+ 1 2.5) (- 2.5 -1))
  (let [mx 9223372036854775807 mn -9223372036854775808]
    (println (- mx 1) (+ mx -1) (+ mn 1) (- mn -1) (+ -4611686018427387904 mx) (- mx 4611686018427387903))
    (println (+ mx 1))))
