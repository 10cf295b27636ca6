; byte of something that is not a number is a ClassCastException.
(defn to-byte [x] (byte x))

(defn -main [& args]
  (println (to-byte 5))
  (println (to-byte :five)))
