; Clojure's = across types: lists equal vectors, maps and sets ignore order.
(defn -main [& args]
  (let [a {:x 1 :y [1 2]}
        b {:y [1 2] :x 1}
        c (assoc {} :x 1 :y (list 1 2))
        d {:x 1 :y [1 2 3]}]
    (println (= a b) (= a c) (= b c) (= a d) (not= a d))
    (println (= [1 2] '(1 2)) (= [] '()) (= [1] [1.0]) (= 1 1.0) (= 2.5 2.5))
    (println (= #{1 2 3} #{3 2 1}) (= #{1} #{1 2}) (= :a :a) (= 'a 'a) (= "x" :x))
    (println (= nil nil) (= nil false) (= [nil] [false]) (= [[1 {:k #{2}}]] [[1 {:k #{2}}]]))
    (println (= 1 1 1) (= 1 1 2) (== 1 1.0 1))))
