; loop/recur with several accumulators and branches that merge: Collatz
; lengths, a digit sum with early exit, nested loops, and values chosen in
; cond/case branches carried into the next iteration.
(defn collatz-length [n]
  (loop [n n steps 0]
    (cond (= n 1) steps
          (even? n) (recur (quot n 2) (inc steps))
          :else (recur (+ (* 3 n) 1) (inc steps)))))

(defn longest-collatz [limit]
  (loop [i 1 best 0 best-len 0]
    (if (> i limit)
      [best best-len]
      (let [len (collatz-length i)]
        (if (> len best-len) (recur (inc i) i len) (recur (inc i) best best-len))))))

(defn first-over [xs limit]
  (loop [s (seq xs) total 0 seen []]
    (if s
      (let [total (+ total (first s)) seen (conj seen (first s))]
        (if (> total limit) {:total total :seen seen} (recur (next s) total seen)))
      {:total total :seen seen :exhausted true})))

(defn triangle [n]
  (loop [i 0 rows []]
    (if (< i n)
      (recur (inc i) (conj rows (loop [j 0 row []] (if (<= j i) (recur (inc j) (conj row (* i j))) row))))
      rows)))

(defn classify-all [xs]
  (loop [xs xs small 0 big 0 other []]
    (if (empty? xs)
      [small big other]
      (let [x (first xs)
            [small big other] (case (if (number? x) (if (< x 10) :small :big) :other)
                                :small [(inc small) big other]
                                :big [small (+ big x) other]
                                [small big (conj other x)])]
        (recur (rest xs) small big other)))))

(defn -main [& args]
  (prn (map collatz-length [1 2 3 6 7 27]) (longest-collatz 1000))
  (prn (first-over [5 10 20 40] 30) (first-over [1 2] 30))
  (prn (triangle 5))
  (prn (classify-all [1 50 :k 3 "s" 12 nil])))
