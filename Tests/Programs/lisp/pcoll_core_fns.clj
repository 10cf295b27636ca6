; frequencies, group-by, merge, zipmap, into, keys and vals over large inputs.
(defn -main [& args]
  (let [n 1500
        words (map (fn [i] (str "w" (mod (* i 7) 13))) (range n))
        freq (frequencies words)
        nums (frequencies (map (fn [i] (mod (* i i) 1000)) (range n)))
        groups (group-by (fn [i] (mod i 10)) (range n))
        z (zipmap (range n) (range n 0 -1))
        merged (merge (zipmap (range 0 n 2) (map (fn [_] :even) (range 0 n 2))) (zipmap (range 1 n 2) (map (fn [_] :odd) (range 1 n 2))) {0 :zero})]
    (println (count freq) (get freq "w0") (reduce + (vals freq)) (sort (keys freq)))
    (println (count nums) (get nums 0) (get nums 1) (reduce + (vals nums)))
    (println (count groups) (count (groups 3)) (take 5 (groups 3)) (last (groups 9)) (vector? (groups 0)))
    (println (count z) (z 0) (z 3999) (reduce + (keys z)) (reduce + (vals z)))
    (println (count merged) (merged 0) (merged 1) (merged 2) (merged 3999) (count (filter (fn [e] (= (second e) :even)) merged)))
    (println (= (into {} (map vector (range n) (range n 0 -1))) z) (= (into {} (seq z)) z) (= (set (keys z)) (set (range n))))
    (println (frequencies [:a :b :a :c :a :b]) (group-by odd? (range 10)) (zipmap [:a :b :c] [1 2 3]) (merge {:a 1} nil {:b 2}))
    (println (sort (keys (frequencies (map (fn [i] (mod i 3)) (range 30))))) (vals (frequencies (map (fn [i] (mod i 3)) (range 30)))))))
