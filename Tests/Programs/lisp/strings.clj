; Strings: str, subs, count, equality, keywords and names.
(defn greet [who] (str "Hello, " who "!"))

(defn -main [& args]
  (println (greet "world"))
  (println (str) (str nil) (str 1 :a "b" \c 2.5 nil [1 "x"]))
  (println (subs "keel-lisp" 5) (subs "keel-lisp" 0 4) (count "abc") (count ""))
  (println (= "ab" (str "a" "b")) (= "ab" "ba") (string? "s") (string? :s))
  (println (name :key) (keyword "made") (= :made (keyword "made")) (keyword? (keyword "k")))
  (prn (str "tab\there") "quote\"d" "back\\slash" "new\nline")
  (println (pr-str "a" \b :c nil) (pr-str [\space \newline]))
  (println (count "héllo wörld") (subs "héllo wörld" 1 5) (subs "日本語" 2) (str \é \u00e9)))
