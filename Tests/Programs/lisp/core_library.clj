; The core library (written in KeelLisp, compiled with the program): first-class
; core functions, higher-order and sequence functions, apply, sort.
(defn -main [& args]
  (println (reduce + [1 2 3 4]) (reduce + 10 '(1 2)) (apply + 1 2 [3 4]) (apply max [3 8 1]))
  (prn (map inc [1 2 3]) (map + [1 2] [10 20 30]) (filter even? (range 10)) (remove odd? [1 2 3 4]))
  (prn (range 3) (range 2 5) (range 10 0 -3) (take 2 [1 2 3]) (drop 2 [1 2 3]) (concat [1] '(2 3) []))
  (prn (into [] '(1 2)) (into {} [[:a 1]]) (reverse [1 2 3]) (last [1 2 3]) (second [1 2 3]))
  (prn ((partial + 10) 1 2) ((comp inc inc) 1) ((complement even?) 3) ((constantly 7) 1 2))
  (prn (some even? [1 3 4]) (every? odd? [1 3]) (keys {:a 1 :b 2}) (vals {:a 1 :b 2}))
  (prn (merge {:a 1} {:b 2} {:a 3}) (zipmap [:x :y] [1 2]) (frequencies [:a :b :a]) (group-by even? [1 2 3 4]))
  (prn (get-in {:a {:b 1}} [:a :b]) (get-in {:a {}} [:a :b] :none) (assoc-in {} [:a :b] 1) (update {:n 1} :n inc) (update-in {:a {:n 1}} [:a :n] + 10))
  (prn (sort [3 1 2]) (sort > [3 1 2]) (sort-by count ["ccc" "a" "bb"]) (sort ["b" "a"]) (mapv str [1 2]) (filterv pos? [-1 1]))
  (prn (map str ["a" "b"] [1 2]) (apply str "x" [1 2]) (str) (list) (vector 1 2) (hash-map :a 1) (hash-set 1))
  (prn (= 1 1 1) (apply = [1 1 2]) (not= 1 2 3) (< 1 2 3) (apply < [1 3 2])))
