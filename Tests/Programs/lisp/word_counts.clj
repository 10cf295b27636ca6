; Strings, maps and higher-order functions together: word frequencies of a
; generated text, sorted, with closures allocating through every step.
(defn word [i] (nth ["keel" "lisp" "gc" "map" "stack"] (mod (* i 7) 5)))

(defn text [n] (map (fn [i] (str (word i) (if (zero? (rem i 3)) "!" ""))) (range n)))

(defn -main [& args]
  (let [words (text 3000)
        clean (map (fn [w] (if (= "!" (subs w (dec (count w)))) (subs w 0 (dec (count w))) w)) words)
        freq (frequencies clean)
        ranked (sort-by (fn [e] (- (second e))) (sort-by first (seq freq)))]
    (println (count words) (count freq))
    (doall-print ranked)
    (println (reduce + (vals freq)))
    (println (apply str (interleave-ish ["a" "b" "c"] [1 2 3])))))

(defn doall-print [entries]
  (loop [s (seq entries)]
    (when s
      (println (first (first s)) (second (first s)))
      (recur (next s)))))

(defn interleave-ish [xs ys] (mapcat-ish (fn [x y] [x y]) xs ys))
(defn mapcat-ish [f xs ys] (apply concat (map f xs ys)))
