; Hash sets: conj, disj, contains?, get, sets as functions, equality and
; hash regardless of insertion order, printing in hash order (as Clojure).
(defn -main [& args]
  (let [n 2500
        up (reduce conj #{} (range n))
        down (reduce conj #{} (reverse (range n)))
        evens (reduce disj up (range 1 n 2))
        words (set (map (fn [i] (str "w" (mod i 300))) (range 3000)))]
    (println (count up) (count down) (= up down) (= (hash up) (hash down)) (count evens) (count words))
    (println (contains? up 2499) (contains? up 2500) (contains? evens 10) (contains? evens 11)
             (get evens 2498) (get evens 2497) (get evens 2497 :no) (evens 100) (evens 101))
    (println (= evens (set (filter even? (range n)))) (= evens up) (= (disj up 0) up) (= (conj up 0) up))
    (println (count (filter words (map (fn [i] (str "w" i)) (range 1000)))) (words "w299") (words "w300"))
    (println #{1 2 3} #{:a :b :c :d} #{"x" "y" "z"} #{[1 2] [3 4]} (set [3 2 1 3 2 1]) (hash-set :b :a))
    (println (conj #{} nil) (disj #{1 2} 1 ) (disj #{1} 1) (= #{} (disj #{1} 1)) (set? #{}) (set? {}) (set? []))
    (println (= #{[1 2] '(3 4)} #{'(1 2) [3 4]}) (= #{#{1} #{2}} (set [#{2} #{1}])) (= #{1 2} [1 2]) (= #{} {}))
    (println (into #{} (map (fn [i] (mod i 7)) (range 100))) (sort (vec (set (map (fn [i] (* i i)) (range -5 6))))))
    (println (reduce + (seq up)) (count (seq evens)) (first #{42}) (rest #{42}) (seq #{}) (empty? (disj #{1} 1)))))
