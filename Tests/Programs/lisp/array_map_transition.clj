; Maps of up to 8 entries are array maps: they iterate and print in
; insertion order.  A ninth key makes a hash map, which prints in hash
; order and stays a hash map when entries are removed.  Equality and hash
; do not depend on the representation.
(defn grow [m ks] (reduce (fn [m k] (assoc m k (name k))) m ks))

(defn -main [& args]
  (let [ks [:zeta :alpha :mu :beta :omega :gamma :delta :epsilon :eta :theta :iota]
        eight (grow {} (take 8 ks))
        nine (grow {} (take 9 ks))
        eleven (grow {} ks)
        back (reduce dissoc eleven (drop 8 ks))
        reversed (grow {} (reverse (take 8 ks)))]
    (prn eight)
    (prn (keys eight) (vals (dissoc eight :mu)))
    (prn nine)
    (prn eleven)
    (prn back)
    (prn (= back eight) (= eight back) (= (hash back) (hash eight)) (= reversed eight) (= (hash reversed) (hash eight)))
    (prn reversed)
    (prn (assoc eight :alpha "ALPHA") (assoc (dissoc eight :zeta) :zeta 0))
    (prn (into {} (map (fn [i] [i (* i i)]) (range 8))) (into {} (map (fn [i] [i (* i i)]) (range 9))))
    (prn (hash-map :a 1 :b 2 :c 3) {:a 1 :b 2 :c 3} (= (hash-map :a 1 :b 2 :c 3) {:c 3 :b 2 :a 1}))
    (prn {:k1 1 :k2 2 :k3 3 :k4 4 :k5 5 :k6 6 :k7 7 :k8 8 :k9 9})
    (prn (zipmap [:e :d :c :b :a] (range 5)) (merge {:a 1 :b 2} {:c 3} {:a 4}))
    (prn (merge eight {:iota 1 :kappa 2}) (count (merge eight {:iota 1 :kappa 2})))
    (prn {[1 2] :v {:a 1} :m #{1} :s "s" 1 nil nil} (hash-map nil 1 0 2) (hash-map 0 2 nil 1))
    (prn (= {:a {:b [1 2]}} (hash-map :a (hash-map :b '(1 2)))) (= {:a 1} {:a 1.0}) (= {} (hash-map)) (= {:a nil} {:b nil}))
    (prn (seq (dissoc nine :zeta)) (first eleven) (first eight))
    (prn (hash {:a 1 :b 2}) (hash (hash-map :b 2 :a 1)) (hash {}) (hash eight) (hash back))))
