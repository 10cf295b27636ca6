(defn -main [& args]
  (println (nth [10 20 30] 2))
  (nth [10 20 30] 3))
