; Keyword arguments must come in pairs: a key without a value is an
; IllegalArgumentException when the map is built.
(defn connect [host & {:keys [port] :or {port 80}}] (str host ":" port))

(defn -main [& args]
  (println (connect "a") (connect "b" :port 8))
  (println (connect "c" :port))
  (let [r (connect "d" :port 1 :timeout)] (println r)))
