(defn -main [& args]
  (let [x 1]
    (+ x y)))
