; A wrong number of arguments names the function.
(defn pair [a b] [a b])
(defn call-with-three [f] (f 1 2 3))
(defn -main [& args]
  (prn (pair 1 2))
  (call-with-three pair))
