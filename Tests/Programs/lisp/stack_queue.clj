; pop and peek: vectors as stacks (at the end), lists as stacks (at the
; front); disj on sets. A bracket matcher and a depth-first walk.
(def pairs {\) \(, \] \[, \} \{})

(defn balanced? [chars]
  (loop [cs (seq chars) stack []]
    (if cs
      (let [c (first cs)]
        (cond (contains? #{\( \[ \{} c) (recur (next cs) (conj stack c))
              (contains? pairs c) (if (= (peek stack) (get pairs c)) (recur (next cs) (pop stack)) false)
              :else (recur (next cs) stack)))
      (empty? stack))))

(def graph {:a [:b :c] :b [:d] :c [:d :e] :d [] :e [:a]})

(defn dfs [start]
  (loop [stack (list start) seen #{} order []]
    (if (empty? stack)
      order
      (let [n (peek stack) more (pop stack)]
        (if (contains? seen n)
          (recur more seen order)
          (recur (into more (reverse (get graph n))) (conj seen n) (conj order n)))))))

(defn -main [& args]
  (prn (map balanced? [[\( \[ \] \)] [\( \]] [\{ \( \) \[ \] \}] [\(] []]))
  (prn (dfs :a) (dfs :c))
  (prn (peek [1 2 3]) (pop [1 2 3]) (peek '(1 2 3)) (pop '(1 2 3)) (peek []) (peek ()) (pop '(9)))
  (prn (pop nil) (peek nil) (pop [1]) (peek (vec (range 40))) (count (pop (vec (range 40)))))
  (prn (disj #{1 2 3} 2 3) (disj #{:a} :b) (disj nil :x) (count (disj (set (range 10)) 3 4 5)) (contains? (disj #{"s" "t"} "s") "s"))
  (prn (loop [v [] i 0] (if (< i 5) (recur (conj v (* i i)) (inc i)) (loop [v v acc ()] (if (empty? v) acc (recur (pop v) (conj acc (peek v)))))))))
