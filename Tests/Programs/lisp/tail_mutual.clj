; Mutual recursion in tail position a million deep (my-even?/my-odd? call
; each other through their globals): constant stack. Each step allocates a
; map that dies at once.
(defn my-even? [n trail]
  (if (zero? n) {:even true :last (:n trail)} (my-odd? (dec n) {:n n})))

(defn my-odd? [n trail]
  (if (zero? n) {:even false :last (:n trail)} (my-even? (dec n) {:n n})))

(defn -main [& args]
  (prn (my-even? 1000000 nil))
  ;; The other parities need no million steps (a million costs seconds under KEEL_GC_STRESS).
  (prn (my-odd? 1001 nil))
  (prn (my-even? 999 nil)))
