; byte of an integer outside -128..127 is an error, with Clojure's message.
(defn to-byte [x] (byte x))

(defn -main [& args]
  (println (to-byte 127) (to-byte -128) (unchecked-byte 200))
  (println (to-byte (+ 100 100))))
