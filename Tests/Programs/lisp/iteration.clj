; dotimes and doseq (with destructuring), and ranges driving side effects.
(defn -main [& args]
  (dotimes [i 3] (print i ""))
  (println)
  (doseq [[k v] {:a 1 :b 2}] (println k "->" v))
  (doseq [w ["x" "y"]] (print w))
  (println)
  (let [total (loop [i 0 acc 0] (if (< i 1000) (recur (inc i) (+ acc i)) acc))]
    (dotimes [_ 2] (println "total" total)))
  (println (dotimes [i 0] :never) (doseq [x nil] :never)))
