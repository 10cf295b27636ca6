; Sorting values that do not compare (a number and a keyword) is a
; ClassCastException; strings, vectors and mixed numbers sort.
(defn -main [& args]
  (prn (sort ["pear" "apple" "fig"]) (sort [[2 1] [1 5] [1 2 3]]) (sort [3 1.5 2]) (sort-by :k [{:k "b"} {:k "a"}]))
  (prn (compare "apple" "apricot") (compare [1 2] [1 2]) (compare nil 0))
  (let [r (sort [3 :a 1])] (prn r)))
