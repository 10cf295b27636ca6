; A hint that claims the wrong kind of array is a ClassCastException where
; the array is used, as Clojure's cast is.
(defn first-double [^doubles a] (aget a 0))

(defn -main [& args]
  (println (first-double (double-array [1.5 2.5])))
  (println (first-double (long-array [1 2]))))
