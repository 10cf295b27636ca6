; Closures capture locals (and captured values of enclosing fns).
(defn make-adder [n] (fn [x] (+ x n)))

(defn make-counter-fns [start step]
  (let [twice (* 2 step)]
    [(fn [] start)
     (fn [k] (+ start (* k step)))
     (fn [k] (fn [j] (+ start (* k twice) j)))]))

(defn compose [f g] (fn [x] (f (g x))))

(defn -main [& args]
  (let [add5 (make-adder 5)
        add7 (make-adder 7)
        fs (make-counter-fns 100 3)
        inc-then-double (compose (fn [x] (* 2 x)) (fn [x] (+ x 1)))]
    (println (add5 1) (add7 1) (add5 (add7 0)))
    (println ((nth fs 0)) ((nth fs 1) 4) (((nth fs 2) 2) 1))
    (println (inc-then-double 10))
    (println (fn? add5) (fn? 5))
    ((fn countdown [n] (when (pos? n) (print n "") (countdown (dec n)))) 5)
    (println)))
