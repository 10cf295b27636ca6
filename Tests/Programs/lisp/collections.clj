; Vectors, lists, maps and sets: construction, access, update (persistently).
(defn -main [& args]
  (let [v [1 2 3]
        v2 (conj v 4)
        l (list 1 2 3)
        m {:a 1 :b 2}
        m2 (assoc m :c 3 :a 10)
        s #{:x :y}]
    (prn v v2 (count v) (nth v2 3) (get v 0) (get v 9 :none))
    (prn (conj l 0) (cons 0 v) (first l) (rest l) (next [1]) (rest []) (first nil))
    (prn m2 (dissoc m2 :b) (get m :b) (get m :z) (get m :z 0) (contains? m :a) (count m2))
    (prn (conj s :z) (conj s :x) (contains? s :y) (get s :x) (count s))
    (prn m v l s)
    (prn (vec l) (seq []) (seq {:a 1}) (empty? []) (empty? [1]) (conj {:a 1} [:b 2]))
    (prn (assoc [1 2] 2 3) (vector? v) (map? m) (vector? l))))
