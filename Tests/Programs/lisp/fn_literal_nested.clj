; #() cannot nest: the reader says where.
(defn -main [& args]
  (prn (map #(map #(inc %) %) [[1] [2]])))
