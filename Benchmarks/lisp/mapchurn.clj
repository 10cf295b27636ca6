;; Persistent map and set churn: keys from a linear congruential generator
;; are added to a map when absent and removed when present, and every
;; hundredth key's square goes into a set, which is probed as it grows.
(defn step [x] (mod (+ (* x 1103515245) 12345) 2147483648))

(defn churn [n]
  (loop [i 0 x 1 m {} s #{} hits 0]
    (if (< i n)
      (let [k (bit-and (bit-shift-right x 8) 1023)
            m (if (contains? m k) (dissoc m k) (assoc m k i))
            s (if (zero? (rem i 100)) (conj s (* k k)) s)
            hits (if (contains? s (bit-and x 1023)) (inc hits) hits)]
        (recur (inc i) (step x) m s hits))
      [m s hits])))

(defn -main [& args]
  (let [[m s hits] (churn 100000)]
    (println "map:" (count m) (reduce + 0 (vals m)) (reduce + 0 (keys m))
             "set:" (count s) (reduce + 0 s) "hits:" hits)))
