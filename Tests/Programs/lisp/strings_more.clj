; strings: str of mixed values, subs, count, name, keyword, equality
(defn -main [& args]
  (let [s (str "x" 1 :k nil 2.5 \c [1 "a"] {:a "b"})]
    (prn s)
    (println s)
    (prn (count s) (subs s 0 2) (subs s 3)))
  (prn (name :foo) (name "bar") (keyword "baz"))
  (prn (= "ab" (str "a" "b")) (= "a" :a))
  (prn (str) (str nil) (pr-str nil "q" \z))
  (println "tab\there" "quote\"" 'sym)
  (prn "tab\there" "nl\n"))
