; Maps, sets, vectors and keywords called as functions, on large
; collections, directly and through higher-order functions.
(defn -main [& args]
  (let [n 2000
        v (vec (map (fn [i] (* 3 i)) (range n)))
        m (zipmap (range n) (map str (range n)))
        s (set (range 0 n 5))
        people (vec (map (fn [i] {:id i :name (str "p" i) :score (mod (* i 37) 101)}) (range 300)))]
    (println (v 0) (v 1999) (m 1999) (m n) (m n :missing) (s 1995) (s 1996))
    (println (reduce + (map v (range 0 n 100))) (count (filter s (range n))) (take 3 (map m [5 10 15])))
    (println (count (filter (comp even? :score) people)) (reduce max (map :score people)) (:name (people 299)))
    (println ((people 7) :name) (get-in people [7 :name]) (:missing (people 7) :default) (map :id (take 3 people)))
    (let [by-id (zipmap (map :id people) people)]
      (println (count by-id) (:score (by-id 42)) (= (by-id 42) (people 42)) ((by-id 1) :name)))
    (println (apply v [5]) (apply m [6]) (apply s [10]) (apply :a [{:a 1}]) (map [10 20 30] [2 0 1])
             (map #{1 2} [0 1 2 3]) (map {:a 1 :b 2} [:a :b :c]))
    (println (update-in {:a {:b [1 2 3]}} [:a :b 1] inc) (assoc-in (vec (range 40)) [39] :last)
             (update (vec (range 35)) 34 + 100))))
