; Printing follows Clojure 1.11: prn/pr readably, println/print not.
(defn -main [& args]
  (prn "a" :k nil 1.5)
  (println "a")
  (prn 1.0 0.1 -2.5 100.0 1.0E7 1.5E-4 0.001 1234567.0 (/ 1.0 3))
  (prn [1 "two" :three \4 nil true false] '(1 (2 3)) '() {:a 1 "b" [2]} #{})
  (println [1 "two" :three \4 nil] {:k "v"})
  (print "no newline" 1 2)
  (print "\n")
  (pr 'sym '(quote x) "s")
  (println)
  (prn (list 1 2 3) (vector) (hash-map :a 1) (hash-set 1 1 2)))
