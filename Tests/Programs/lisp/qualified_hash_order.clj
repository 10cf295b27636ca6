; Qualified keywords and symbols hash as Clojure's (the namespace's hash
; combined with the name's), so sets and hash maps of them print in
; Clojure's order.
(defn -main [& args]
  (prn #{:a/b :c/d :e :x/y :foo.bar/baz} (hash-map :a/b 1 :c/d 2 :e 3 'x/y 4) (hash :user/id) (hash 'a/b))
  (prn (set (map #(keyword "ns" (str "k" %)) (range 10))))
  (prn (into #{} (map #(* % %) (range -5 6))) (frequencies (map #(mod % 3) (range 10))))
  (prn (group-by odd? (range 10)) (sort-by - #{3 1 2})))
