; sort, sort-by, reverse, compare on numbers, strings and keywords
(defn -main [& args]
  (prn (sort [3 1 2 -5 10]))
  (prn (sort ["pear" "apple" "fig"]))
  (prn (sort [:b :a :c]))
  (prn (sort > [3 1 2]))
  (prn (sort-by count ["ccc" "a" "bb"]))
  (prn (sort-by :age [{:n "x" :age 3} {:n "y" :age 1} {:n "z" :age 2}]))
  (prn (sort-by - [1 3 2]))
  (prn (reverse [1 2 3]) (reverse '()))
  (prn (compare 1 2) (compare "b" "a") (compare :a :a))
  (prn (first (sort-by second [[:a 3] [:b 1]]))))
