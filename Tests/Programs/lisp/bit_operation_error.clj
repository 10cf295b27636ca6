; A bit operation on a double is an error, as in Clojure.
(defn mask [x] (bit-and x 255))

(defn -main [& args]
  (println (mask 1000))
  (let [m (mask 2.5)]
    (println m)))
