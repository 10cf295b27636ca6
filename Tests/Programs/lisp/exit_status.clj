; -main receives the command-line arguments; an integer result is the exit status.
(defn -main [& args]
  (println (count args) "arguments:" (pr-str args))
  (count args))
