; A million loop iterations, each allocating a vector, a map and a string
; that die at once: the collector must reclaim them while the loop's live
; values survive.
(defn -main [& args]
  (loop [i 0
         acc 0
         keep [:start]]
    (if (< i 1000000)
      (let [v [i (inc i) (+ i 2)]
            m {:i i :v v}
            s (str "n" i)]
        (recur (inc i)
               (+ acc (count v) (count m) (count s))
               (if (zero? (rem i 250000)) (conj keep (get m :i)) keep)))
      (do (println acc)
          (prn keep)))))
