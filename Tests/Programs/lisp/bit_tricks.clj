; Bit operations as algorithms use them: population counts, bit sets,
; Gray codes, power-of-two tests, and shifts of negative numbers.
(defn popcount [n]
  (loop [n n c 0]
    (if (zero? n) c (recur (unsigned-bit-shift-right n 1) (+ c (bit-and n 1))))))

(defn bits->set [n]
  (loop [i 0 acc []]
    (if (< i 64)
      (recur (inc i) (if (zero? (bit-and n (bit-shift-left 1 i))) acc (conj acc i)))
      acc)))

(defn gray [n] (bit-xor n (bit-shift-right n 1)))

(defn power-of-two? [n] (and (pos? n) (zero? (bit-and n (dec n)))))

(defn -main [& args]
  (prn (map popcount [0 1 7 255 1024 -1 -256]))
  (prn (bits->set (bit-or (bit-shift-left 1 63) 5)) (bits->set 1234))
  (prn (map gray (range 8)) (filter power-of-two? (range 1 70)))
  (prn (bit-shift-right -256 4) (unsigned-bit-shift-right -256 60) (bit-shift-left -3 2) (bit-shift-left 1 64))
  (prn (bit-or 1 2 4 8) (bit-and -1 0xff 0x0f) (bit-xor 1 3 7) (bit-not 0x7fffffffffffffff)
       (reduce bit-or (map #(bit-shift-left 1 %) [0 3 5])) (apply bit-xor [6 5 3])))
