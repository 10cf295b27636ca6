(defn f [n]
  (loop [i n]
    (inc (recur (dec i)))))
