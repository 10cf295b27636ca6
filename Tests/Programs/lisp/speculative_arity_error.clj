; An error in a fn compiled for fixnums first is raised by its general code:
; the same message, and a backtrace that names the fn and its caller.
(declare shrink)

(defn grow [n x]
  (if (zero? n) x (shrink (dec n) (* x 1000))))

(defn shrink [n x]
  (if (zero? n) x (grow (dec n) (- x 1))))

(defn -main [& args]
  (println (grow 4 1) (grow 3 1.5))
  (println (grow 14 1)))
