; Churn: every round builds a hash map and a set, and makes 40 versions of
; a 1,100-item vector by assoc (a new leaf and path each), dropping them all:
; the program allocates far more than the heap ever holds, while a
; persistent map of survivors grows and shrinks.
(defn round [base i]
  (let [m (reduce (fn [m k] (assoc m (+ i k) k)) {} (range 30))
        v (reduce (fn [v k] (assoc v (mod (* k 31) 1100) (+ i k))) base (range 40))
        s (into #{} (map (fn [k] (* k i)) (range 10)))]
    (+ (count m) (nth v 31) (count s) (get m (+ i 29)))))

(defn -main [& args]
  (let [base (vec (range 1100))]
    (loop [i 0 acc 0 keep {}]
      (if (< i 1000)
        (let [r (round base i)
              keep (if (zero? (mod i 3)) (assoc keep i [i (str i)]) (dissoc keep (- i 301)))]
          (recur (inc i) (+ acc r) keep))
        (println acc (count keep) (get keep 999) (get keep 0) (= keep (zipmap (keys keep) (vals keep)))
                 (= base (range 1100)))))))
