; Collections keyed by keywords, strings, integers, doubles and nested
; collections; lookups with equal keys built differently.
(defn -main [& args]
  (let [m {:kw 1 "str" 2 3 :three 4.5 :double [1 2] :vec {:a 1} :map #{:s} :set nil :nil}
        s #{[1 2] {:k "v"} "x" 7 :kw '(1 2 3)}]
    (println (get m :kw) (get m (str "s" "tr")) (get m 3) (get m 4.5) (get m (list 1 2))
             (get m (assoc {} :a 1)) (get m (hash-set :s)) (get m nil) (get m 4))
    (println (contains? s (vector 1 2)) (contains? s {:k (str "v")}) (contains? s '(1 2)) (contains? s [1 2 3])
             (contains? s 7) (contains? s 7.0))
    (println (= m (dissoc (assoc m :extra 0) :extra)) (count m) (count s))
    (prn (get-in {:users {"ann" {:roles #{:admin}}}} [:users "ann" :roles]))
    (prn (update-in {[0 0] {:hits 1}} [[0 0] :hits] inc))))
