; Tail calls through closures and a higher-order function, a million deep:
; `step` calls whatever fn it is given (kl_invoke_N), and that fn calls
; `step` back, so every hop goes through a closure. Each hop allocates;
; the accumulator is trimmed to one item whenever it reaches three.
(defn step [f n acc]
  (if (zero? n) acc (f (dec n) (conj acc n))))

(defn -main [& args]
  (let [keep-last (fn [acc] (if (> (count acc) 2) [(last acc)] acc))
        bounce (fn bounce [n acc] (step bounce n (keep-last acc)))]
    (prn (bounce 1000000 [])))
  ;; A local fn calling itself by name in tail position, through a captured value.
  ;; (10^5: the first part already goes 10^6 deep; this keeps KEEL_GC_STRESS to seconds.)
  (let [limit 100000
        spin (fn spin [i m] (if (= i limit) (count m) (spin (inc i) {:i i})))]
    (println (spin 0 {}))))
