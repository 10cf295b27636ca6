; Closures created in a loop escape into a collection and are called after
; the loop; each captures freshly allocated values (maps, strings, other
; closures) that must survive every collection in between.
(defn make-handlers [n]
  (loop [i 0 acc []]
    (if (< i n)
      (let [config {:id i :label (str "h" i)}
            scale (fn [x] (* x (inc (rem i 3))))]
        (recur (inc i)
               (conj acc (fn [x] [(get config :label) (scale x) (count (get config :label))]))))
      acc)))

(defn churn [n] (loop [i 0 junk nil] (if (< i n) (recur (inc i) {:i i :s (str i)}) junk)))

(defn -main [& args]
  (let [handlers (make-handlers 2000)
        _ (churn 50000)
        results (map (fn [h] (h 10)) handlers)
        picked (if (> (count results) 1000) (nth (vec results) 1999) :none)]
    (prn (first results) (second results) picked)
    (println (reduce + (map second results)))
    (println (count (filter (fn [r] (= 5 (nth r 2))) results)))))
