; 512 strings with one hash share a collision node of 1025 words, too big
; for the nursery: its copies go to the old generation, so the hash trie's
; updates that skip root scopes (hamt.c) must not copy it.
(defn strings-of [k]
  (loop [acc [""] i 0]
    (if (< i k)
      (recur (vec (concat (map (fn [s] (str s "Aa")) acc) (map (fn [s] (str s "BB")) acc))) (inc i))
      acc)))

(defn -main [& args]
  (let [ks (strings-of 9)
        m (reduce (fn [m k] (assoc m k (count m))) {} ks)
        m2 (reduce (fn [m k] (assoc m k (inc (get m k)))) m ks)
        m3 (reduce (fn [m [i k]] (if (even? i) (dissoc m k) m)) m2 (map vector (range (count ks)) ks))]
    (println (count ks) (count m) (reduce + (vals m)) (reduce + (vals m2)) (count m3) (reduce + (vals m3)))))
