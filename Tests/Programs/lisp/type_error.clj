(defn -main [& args]
  (println (+ 1 2))
  (+ 1 "two"))
