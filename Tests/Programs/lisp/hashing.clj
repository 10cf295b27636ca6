; hash agrees with =: equal values hash alike however they were built.
(defn same-hash? [a b] (= (hash a) (hash b)))

(defn -main [& args]
  (let [m1 {:a 1 :b [1 2] "c" #{:x :y}}
        m2 (assoc (assoc (assoc {} "c" #{:y :x}) :b '(1 2)) :a 1)
        big1 (reduce (fn [m i] (assoc m i (str i))) {} (range 50))
        big2 (reduce (fn [m i] (assoc m i (str i))) {} (reverse (range 50)))]
    (println (= m1 m2) (same-hash? m1 m2) (= big1 big2) (same-hash? big1 big2))
    (println (same-hash? [1 2 3] '(1 2 3)) (same-hash? "abc" (str "a" "bc")) (same-hash? :k (keyword "k"))
             (same-hash? 4611686018427387904 (inc 4611686018427387903)) (same-hash? 0.0 -0.0))
    (println (not= (hash [1 2]) (hash [2 1])) (not= (hash "a") (hash :a)) (number? (hash nil))
             (count (set (map hash (range 1000)))))))
