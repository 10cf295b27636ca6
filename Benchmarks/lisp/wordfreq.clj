;; Word frequency: words made of syllables chosen by a linear congruential
;; generator, counted in a map keyed by string; then the number of distinct
;; words, their total length and the most frequent word (ties: the smallest).
(def syllables ["ka" "lo" "mi" "ne" "ru" "sa" "to" "vi" "ze" "bo" "du" "fe" "gi" "ha" "jo" "pu"])

(defn step [x] (mod (+ (* x 1103515245) 12345) 2147483648))

;; A word of one or two syllables drawn from the bits of x.
(defn word [x]
  (let [a (nth syllables (bit-and (bit-shift-right x 8) 15))
        b (nth syllables (bit-and (bit-shift-right x 12) 15))]
    (if (zero? (bit-and (bit-shift-right x 16) 7))
      a
      (str a b))))

(defn count-words [n]
  (loop [i 0 x 7 freqs {}]
    (if (< i n)
      (let [w (word x)]
        (recur (inc i) (step x) (assoc freqs w (inc (get freqs w 0)))))
      freqs)))

(defn -main [& args]
  (let [freqs (count-words 300000)
        total (reduce (fn [acc [w c]] (+ acc (* c (count w)))) 0 freqs)
        [best best-count] (reduce (fn [[bw bc] [w c]]
                                    (if (or (> c bc) (and (= c bc) (neg? (compare w bw)))) [w c] [bw bc]))
                                  ["" 0] freqs)]
    (println "distinct:" (count freqs) "letters:" total "most frequent:" best best-count)))
