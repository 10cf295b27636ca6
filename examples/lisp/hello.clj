; KeelLisp's hello world:  swift run keel run examples/lisp/hello.clj [NAME...]
(defn greeting [name] (str "Hello, " name "!"))

(defn -main [& args]
  (doseq [name (or args ["world"])]
    (println (greeting name)))
  (let [squares (map (fn [n] (* n n)) (range 1 11))]
    (println "squares:" squares "sum:" (reduce + squares)))
  0)
