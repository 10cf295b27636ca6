; An index past a hinted array's end, computed unboxed, is reported with
; Java's message.
(defn sum-to [^longs a ^long n]
  (loop [i 0 s 0]
    (if (< i n) (recur (inc i) (+ s (aget a i))) s)))

(defn -main [& args]
  (let [a (long-array [1 2 3])]
    (println (sum-to a 3))
    (println (sum-to a 5))))
