; subs past the end of a string is a StringIndexOutOfBoundsException.
(defn initials [words] (map #(subs % 0 1) words))

(defn -main [& args]
  (prn (initials ["keel" "lisp"]) (subs "hello" 1) (subs "hello" 5) (subs "hello" 2 4))
  (let [r (initials ["ok" ""])] (prn r)))
