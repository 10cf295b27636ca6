; A declared function called before its definition has run (here by a
; top-level form): "Attempting to call unbound fn" (IllegalStateException).
(declare helper)

(defn run [x] (let [r (helper x)] r))

(println "before")
(println (run 1))

(defn helper [x] (* 2 x))

(defn -main [& args] (println "never"))
