; Several collections built in one let, kept live across allocating calls,
; compared after a loop and a branch merge.
(defn make [k n] {:key k :n n :items [k n (str k n)]})

(defn -main [& args]
  (let [m1 (make :a 1)
        m2 (make :b 2)
        m3 (make :a 1)
        m4 (make :c 3)
        m5 (assoc m2 :key :a :n 1 :items [:a 1 ":a1"])
        total (loop [i 0 acc 0]
                (if (< i 20000)
                  (recur (inc i) (+ acc (count (make :x i))))
                  acc))
        picked (if (> total 0) m3 m4)]
    (println total)
    (println (= m1 m3) (= m1 m2) (= m1 m5) (= picked m1) (= m4 (make :c 3)))
    (prn m1 m2 m4)))
