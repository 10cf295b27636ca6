; An error 10,000 calls deep: the backtrace shows the innermost frames and
; counts the rest; deep non-tail recursion itself works.
(defn down [n]
  (if (zero? n)
    (nth [] 0)
    (let [r (down (dec n))] r)))

(defn -main [& args]
  (println "depth ok:" (count (str (loop [i 0 acc []] (if (< i 100) (recur (inc i) (conj acc i)) acc)))))
  (let [r (down 10000)] r))  ; not a tail call: its frame stays in the backtrace
