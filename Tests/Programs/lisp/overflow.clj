; Clojure's + on longs throws on overflow instead of wrapping.
(defn grow [n]
  (loop [x n]
    (recur (* x 2))))

(defn -main [& args]
  (println "before")
  (grow 1)
  (println "never printed"))
