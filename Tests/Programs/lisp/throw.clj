; An uncaught exception ends the program with its message, data and backtrace.
(defn check-age [age]
  (when (neg? age)
    (throw (ex-info "negative age" {:age age})))
  age)

(defn -main [& args]
  (let [e (ex-info "just a value" {:k 1})]
    (println (ex-message e) (ex-data e)))
  (println (check-age 30))
  (check-age -1)
  (println "not reached"))
