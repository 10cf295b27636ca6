; The order of hash maps and sets whose tries have dense levels (array
; nodes, hamt.c): Clojure 1.11's order (by the hash's 5-bit groups from the
; lowest), whichever way the trie was built or shrunk, and Clojure's hash.
(defn build [ks] (reduce (fn [m k] (assoc m k (* 3 k))) {} ks))

(defn strip [m ks] (reduce dissoc m ks))

(defn -main [& args]
  (let [n 20000
        m (build (range n))
        m2 (build (reverse (range n)))
        m3 (strip (build (range (* 2 n))) (range n (* 2 n)))]
    (println (take 12 (seq m)))
    (println (= (seq m) (seq m2)) (= (seq m) (seq m3)) (= (keys m2) (keys m3)) (hash m) (hash m2) (hash m3))
    (println (take 12 (seq (strip m (range 100 n)))))
    (println (build (range 100)))
    (println (strip m2 (range 40 n)))
    (println (strip m3 (range 9 n)))
    (println (hash (strip m (range 40 n))) (hash (strip m3 (range 9 n))))
    (let [s (into #{} (range 300))
          t (into #{} (reverse (range 300)))]
      (println s)
      (println (= (seq s) (seq t)) (hash s) (hash t))
      (println (reduce disj s (range 30 300)))
      (println (reduce disj t (range 7 300))))
    (let [ks (reduce (fn [acc i] (conj acc (str "Aa" i) (str "BB" i) (str "Aa" i "BB") (str "BBAa" i))) [] (range 100))
          sm (reduce (fn [m k] (assoc m k (count k))) (build (range 200)) ks)]
      (println (take 40 (seq sm)))
      (println (hash sm) (count sm))
      (println (strip sm (concat (range 200) (take 380 ks)))))))
