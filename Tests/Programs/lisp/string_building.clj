; Building strings: str of mixed values, joining by reduce, padding,
; reversing by characters, counting characters, and pr-str for readable
; output of nested data.
(defn join [sep xs]
  (if (seq xs) (reduce (fn [acc x] (str acc sep x)) (str (first xs)) (rest xs)) ""))

(defn pad-left [s n c]
  (loop [s (str s)] (if (< (count s) n) (recur (str c s)) s)))

(defn repeat-str [s n] (apply str (map (fn [_] s) (range n))))

(defn reverse-str [s] (apply str (reverse (map #(subs s % (inc %)) (range (count s))))))

(defn table [rows]
  (join "\n" (map (fn [[k v]] (str (pad-left (name k) 6 \space) " | " (pad-left v 4 \0))) rows)))

(defn -main [& args]
  (println (join ", " [1 :two "three" \4 nil 5.5 [6] {:k 7}]))
  (println (join "-" []) (join "-" ["solo"]) (str) (str nil) (str "" nil ""))
  (println (pad-left 42 6 \0) (pad-left "long-enough" 3 \x) (repeat-str "ab" 3) (repeat-str "x" 0))
  (println (reverse-str "stressed") (reverse-str "héllo") (count "héllo") (subs "héllo" 1 3))
  (println (table [[:apples 3] [:kiwis 12] [:figs 7]]))
  (prn (pr-str "q\"uote" \c [1 "s"]) (str "a" \b 'c :d) (pr-str nil) (str 1.0 2.5e-3 -0.0))
  (prn (reduce (fn [acc [word n]] (str acc word ":" n ";")) "" (frequencies ["to" "be" "or" "not" "to" "be"])))
  (prn (map (fn [w] (str (subs w 0 1) (count w))) ["keel" "lisp" "x"]) (keyword (str "k" 1)) (name (keyword "made"))))
