; The core library builds map, filter, range, concat and take results
; backwards and reverses them in place; lists long enough to be promoted
; while they are built, then read after more allocation, must be intact.
(defn churn [n] (reduce + 0 (map (fn [i] (count (str i))) (range n))))

(defn -main [& args]
  (let [xs (map inc (range 6000))
        evens (filter even? xs)
        both (concat evens [:end] (take 3 xs))
        _ (churn 2000)]
    (println (count xs) (first xs) (last xs) (reduce + xs))
    (println (count evens) (first evens) (nth evens 2999) (reduce + evens))
    (println (count both) (nth both 3000) (last both) (take 4 (drop 2998 both)))
    (println (= xs (range 1 6001)) (= (reverse (reverse xs)) xs) (map - (take 3 xs)))
    (println (range 0) (map inc ()) (filter odd? [2 4]) (concat) (take 0 xs) (range 3 0 -1))))
