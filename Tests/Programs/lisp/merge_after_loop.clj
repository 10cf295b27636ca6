; Values computed before a loop, changed in it, and read after the loop and
; after a branch merge, with allocation (and so collections) everywhere.
(defn step [state i]
  (if (even? i)
    (assoc state :evens (conj (get state :evens) i))
    (update state :odds + i)))

(defn -main [& args]
  (let [before {:evens [] :odds 0}
        label (str "run-" (count args))
        after (loop [i 0 state before]
                (if (< i 1000) (recur (inc i) (step state i)) state))
        chosen (if (> (get after :odds) 1000)
                 (assoc after :label label)
                 (assoc before :label "small"))
        evens (get chosen :evens)]
    (println label (get chosen :label) (count evens) (first evens) (last evens) (get chosen :odds))
    (println before)))
