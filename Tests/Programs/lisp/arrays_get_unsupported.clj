; get of an array: Clojure gives the element; KeelLisp says it does not
; support it (docs/lisp.md, "Primitive arrays") rather than answer nil.
(defn -main [& args]
  (let [a (long-array [1 2])]
    (println (get [1 2] 0) (get {:a 1} :a))
    (println (get a 0))))
