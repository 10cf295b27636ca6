; A self call in tail position, without recur, a million deep: a proper
; tail call runs it in constant stack (a call per level would overflow).
; Each iteration allocates a fresh vector that dies at once.
(defn count-down [n acc]
  (if (zero? n)
    acc
    (let [v [n (inc n)]]
      (count-down (dec n) (+ acc (count v))))))

(defn -main [& args]
  (println (count-down 1000000 0)))
