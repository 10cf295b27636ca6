; Products of two values (no constant factor): fixnums, boxed doubles
; (compiled inline), mixed, and the overflow that makes it an error.
(defn product [x y] (* x y))

(defn -main [& args]
  (println (product 6 7) (product -3 5) (product 1.5 2.5) (product 2 0.25) (product 0.5 -4))
  (println (product 4611686018427387 1000) (product 3037000499 3037000499))
  (println (reduce (fn [acc x] (* acc x)) 1.0 [1.5 2.0 3.0]) (reduce * 1 (range 1 21)))
  (println (product 4611686018427387903 4)))
