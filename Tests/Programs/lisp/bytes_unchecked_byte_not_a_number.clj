; unchecked-byte of something that is not a number is a ClassCastException.
(defn low-byte [x] (unchecked-byte x))

(defn -main [& args]
  (println (low-byte 300))
  (println (low-byte "300")))
