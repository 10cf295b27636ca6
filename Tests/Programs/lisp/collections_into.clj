; into, conj, concat, take, drop, range, vec, set across collection types
(defn -main [& args]
  (prn (into [] '(1 2 3)) (into '() [1 2 3]) (into {} [[:a 1] [:b 2]]))
  (prn (into #{} [1 1 2]) (into [0] (map inc [1 2])))
  (prn (conj [1] 2 3) (conj '(1) 2 3) (conj {:a 1} [:b 2]) (conj nil 1))
  (prn (concat [1] '(2) [3 4]) (take 2 [1 2 3]) (drop 2 [1 2 3]) (take 5 [1]))
  (prn (range 3) (range 1 4) (range 0 10 3) (range 5 0 -2))
  (prn (vec '(1 2)) (set [3 3 4]) (first {:a 1}) (seq {:a 1}))
  (prn (count nil) (count {:a 1 :b 2}) (empty? []) (empty? nil) (seq []))
  (prn (last [1 2 3]) (second [1 2]) (nth [1 2 3] 1) (nth '(1 2 3) 2)))
