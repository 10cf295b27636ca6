; Dense levels of hash tries (array nodes, hamt.c): maps and sets of a
; thousand integer keys (a dense root, dense nodes below it), removed back
; down to a few keys (array nodes packed into bitmap nodes again), with
; colliding string keys ("Aa" and "BB" hash alike) mixed in.  The same
; contents built in other orders, or by other paths, must be equal, and
; old versions must stay as they were.
(defn build [ks] (reduce (fn [m k] (assoc m k (* 3 k))) {} ks))

(defn strip [m ks] (reduce dissoc m ks))

(defn all-found? [m ks] (every? (fn [k] (= (get m k) (* 3 k))) ks))

(defn none-found? [m ks] (not (some (fn [k] (contains? m k)) ks)))

(defn total [m] (reduce + 0 (vals m)))

;; From n keys down to each size in turn: each step removes keys from the
;; top, checks what is left, and compares it with the map built afresh
;; (in reverse order) from the keys left.
(defn shrink [m n sizes]
  (loop [m m n n sizes sizes acc []]
    (if (seq sizes)
      (let [k (first sizes)
            m2 (strip m (range k n))
            fresh (build (reverse (range k)))]
        (recur m2 k (rest sizes)
               (conj acc [(count m2) (all-found? m2 (range k)) (none-found? m2 (range k n))
                          (= m2 fresh) (= fresh m2) (= (total m2) (total fresh))])))
      acc)))

(defn pairs [n] (reduce (fn [acc i] (conj acc (str "Aa" i) (str "BB" i))) [] (range n)))

(defn -main [& args]
  (let [a (build (range 1200))
        b (build (reverse (range 1200)))
        c (strip (build (range 2400)) (range 1200 2400))
        d (strip (build (filter odd? (range 2400))) (filter odd? (range 1200 2400)))
        e (reduce (fn [m k] (assoc m k (* 3 k))) d (filter even? (range 1200)))]
    (println "built:" (count a) (count b) (count c) (count e) (total a)
             (= a b) (= b c) (= c e) (all-found? c (range 1200)) (none-found? c (range 1200 2400)))
    (println "persistent:" (count (strip a (range 600))) (count a) (all-found? a (range 1200)))
    (println "as keys:" (get (hash-map a :found) e) (contains? (hash-set b) c) (= #{a} #{e}))
    (doseq [r (shrink a 1200 [1000 700 400 200 100 60 40 30 20 12 8 5 1 0])]
      (println "shrunk:" r))
    (let [ks (pairs 300)
          m (reduce (fn [m k] (assoc m k (count k))) a ks)
          m2 (reduce (fn [m k] (assoc m k (count k))) b (reverse ks))
          as (filter (fn [k] (= (subs k 0 1) "A")) ks)
          m3 (strip m as)]
      (println "collisions:" (count m) (= m m2) (every? (fn [k] (= (get m k) (count k))) ks)
               (count m3) (every? (fn [k] (not (contains? m3 k))) as)
               (every? (fn [k] (= (get m3 k) (count k))) (remove (set as) ks))
               (= (strip m3 (remove (set as) ks)) a) (= (strip m2 ks) b)))
    (let [s (into #{} (range 1500))
          t (into #{} (reverse (range 1500)))
          u (reduce disj s (range 10 1500))]
      (println "sets:" (count s) (= s t) (every? (fn [k] (contains? t k)) (range 1500))
               (count u) (= u (set (range 10))) (= u (into #{} (reverse (range 10))))
               (sort u) (contains? u 10) (count s)))))
