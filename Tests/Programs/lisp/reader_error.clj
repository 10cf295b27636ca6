; A reader error names file:line:col.
(defn -main [& args]
  (println "unterminated \q escape"))
