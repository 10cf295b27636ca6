; Keys with equal 32-bit hashes share a collision node of the hash trie.
; "Aa" and "BB" have the same Java hashCode, so every string made of those
; two blocks has the same hash; 183187 and 103994043138048 were found by a
; search over longs.  Assoc, get, dissoc, equality and printing through them.
(defn strings-of [k]
  (loop [acc [""] i 0]
    (if (< i k)
      (recur (vec (concat (map (fn [s] (str s "Aa")) acc) (map (fn [s] (str s "BB")) acc))) (inc i))
      acc)))

(defn -main [& args]
  (let [ks (strings-of 4)
        h (hash (first ks))
        m (reduce (fn [m k] (assoc m k (count m))) {} ks)
        big (reduce (fn [m i] (assoc m i i)) m (range 100))]
    (println (count ks) (every? (fn [k] (= h (hash k))) ks) (= (hash "Aa") (hash "BB")) (not= "Aa" "BB"))
    (println (= (hash 183187) (hash 103994043138048)) (not= 183187 103994043138048)
             (= (hash 50559) (hash 459909393022976)))
    (println (count m) (map (fn [k] (get m k)) ks) (get m "AaAaAaAa") (get m "AaAaAaBB") (get m "AaAaAa") (get m "BBBBBBBB"))
    (println m)
    (println (count big) (get big "BBAaBBAa") (get big 50) (contains? big "BBBBBBBB") (contains? big "BBBBBBBC"))
    (let [fewer (reduce dissoc big (take 15 ks))
          none (reduce dissoc fewer ks)]
      (println (count fewer) (get fewer (last ks)) (get fewer (first ks)) (count none) (= none (zipmap (range 100) (range 100))))
      (println (dissoc (dissoc m "AaAaAaAa") "BBBBBBBB")))
    (let [a (hash-map 183187 :a 103994043138048 :b 50559 :c 459909393022976 :d)
          b (hash-map 459909393022976 :d 50559 :c 103994043138048 :b 183187 :a)]
      (println (count a) (get a 183187) (get a 103994043138048) (get b 50559) (get b 459909393022976) (get a 1))
      (println (= a b) (= (hash a) (hash b)) a)
      (println (dissoc a 183187) (dissoc (dissoc a 183187) 103994043138048) (= (dissoc a 50559) (dissoc b 50559))))
    (let [s (set ks)
          t (set (reverse ks))]
      (println (count s) (= s t) (= (hash s) (hash t)) (contains? s "AaBBAaBB") (count (disj s "AaBBAaBB"))
               (disj (set (take 3 ks)) "AaAaAaAa") (s "BBBBAaAa")))
    (println (hash-map 0 :zero "" :empty-string) (hash-set "" 0) (= (hash 0) (hash "") (hash nil)))))
