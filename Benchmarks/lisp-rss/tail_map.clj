; A tail loop that builds a fresh map (and a vector in it) every iteration
; and keeps only a number: its peak RSS must not grow with the iteration
; count (issue 9, acceptance 2).
(defn spin [n acc]
  (if (zero? n)
    acc
    (let [m {:n n :acc acc :v [n n]}]
      (spin (dec n) (+ (get m :acc) (rem (get m :n) 7))))))

(defn -main [& args]
  (println (spin (parse-long (first args)) 0)))
