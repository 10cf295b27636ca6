; Keys whose hashes share their lowest 20 bits (1, 86295, 945835, 1754787,
; 2275840; and 4, 290864, 776134, 881265, 1769107) sit below chains of
; one-slot trie nodes: adding them builds the chains (a pair pushed down
; level by level), removing them pulls the last entry back up through
; every level (hamt.c, both its general and its fast updates).  After each
; step the map must equal one built afresh, in another order, from the keys
; it should hold.
(def deep-a [1 86295 945835 1754787 2275840])
(def deep-b [4 290864 776134 881265 1769107])

(defn build [ks] (reduce (fn [m k] (assoc m k (- k))) {} ks))

(defn same? [m ks]
  (and (= (count m) (count ks))
       (every? (fn [k] (= (get m k) (- k))) ks)
       (= m (build (reverse ks)))
       (= (set (keys m)) (set ks))))

(defn steps [m ks ops]
  ;; ops: [:add k] or [:del k]; ks: the keys m should hold
  (loop [m m ks ks ops ops out []]
    (if (seq ops)
      (let [[op k] (first ops)
            m2 (if (= op :add) (assoc m k (- k)) (dissoc m k))
            ks2 (if (= op :add) (if (some (fn [x] (= x k)) ks) ks (conj ks k)) (vec (remove (fn [x] (= x k)) ks)))]
        (recur m2 ks2 (rest ops) (conj out (same? m2 ks2))))
      [(count m) (every? (fn [x] x) out) (count out)])))

(defn -main [& args]
  (let [base (vec (range 100 160))
        ops (concat (map (fn [k] [:add k]) deep-a)
                    (map (fn [k] [:add k]) deep-b)
                    (map (fn [k] [:del k]) (reverse deep-a))
                    [[:add 1] [:add 1] [:del 86295] [:del 4] [:add 945835]]
                    (map (fn [k] [:del k]) deep-b)
                    (map (fn [k] [:del k]) deep-a)
                    (map (fn [k] [:del k]) base))]
    (println "small:" (steps {} [] (take 14 ops)))
    (println "dense:" (steps (build base) base ops))
    (println "hash map:" (steps (hash-map) [] (concat (map (fn [k] [:add k]) (concat deep-a deep-b)) (map (fn [k] [:del k]) deep-b))))
    (let [s (into #{} (concat deep-a deep-b base))
          s2 (reduce disj s deep-a)]
      (println "sets:" (count s) (count s2) (every? (fn [k] (contains? s2 k)) deep-b)
               (not (some (fn [k] (contains? s2 k)) deep-a)) (= s2 (set (concat base deep-b)))
               (= (reduce disj s2 deep-b) (set base)) (sort (reduce disj s2 base))))))
