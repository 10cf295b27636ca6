; unchecked-add of something that is not a number is a ClassCastException,
; as with +.
(defn wrap-add [x y] (unchecked-add x y))

(defn -main [& args]
  (println (wrap-add 9223372036854775807 1))
  (println (wrap-add 1 :one)))
