(ns example.exit-status)
; -main receives the command-line arguments; an integer result is the exit status.
(declare describe)

(comment (this is never evaluated))

(defn -main [& args]
  (println (count args) "arguments:" (pr-str args) (describe args))
  (count args))

(defn describe [args]
  (map parse-long (concat args ["42" "-7" "x1" "" "99999999999999999999" "-9223372036854775808"])))
