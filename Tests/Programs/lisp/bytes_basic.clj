; Primitive byte arrays: byte-array made from a size or from a vector or
; list (items keep their low 8 bits, doubles truncated first), aget/aset with
; unchecked-byte and byte, signed values, alength, count, seq, unsigned sums
; with (bit-and (aget a i) 0xff), and byte arrays held across much allocation
; (the collector moves them).

(defn to-vec [a]
  (loop [i 0 v []]
    (if (< i (alength a)) (recur (inc i) (conj v (aget a i))) v)))

(defn signed-sum [a]
  (loop [i 0 acc 0]
    (if (< i (alength a)) (recur (inc i) (+ acc (aget a i))) acc)))

(defn unsigned-sum [a]
  (loop [i 0 acc 0]
    (if (< i (alength a)) (recur (inc i) (+ acc (bit-and (aget a i) 0xff))) acc)))

(defn fill! [a k]
  (dotimes [i (alength a)]
    (aset a i (unchecked-byte (* i k))))
  a)

; A checksum in the style of Adler-32 over the unsigned bytes.
(defn adler [a]
  (loop [i 0 s1 1 s2 0]
    (if (< i (alength a))
      (let [s1 (mod (+ s1 (bit-and (aget a i) 0xff)) 65521)]
        (recur (inc i) s1 (mod (+ s2 s1) 65521)))
      (bit-or (bit-shift-left s2 16) s1))))

; Lots of garbage: vectors and lists that die at once.
(defn churn [n]
  (loop [i 0 acc 0]
    (if (< i n)
      (let [v (vec (range 12))]
        (recur (inc i) (+ acc (count (conj v i)))))
      acc)))

(defn -main [& args]
  (let [z (byte-array 5)
        e (byte-array 0)]
    (println "zeros" (aget z 0) (aget z 4) (alength z) (alength e) (count z) (count e) (empty? e) (empty? z))
    (println "aset returns" (aset z 1 (unchecked-byte 200)) (aset z 2 (byte 127)) (aset z 3 (byte -128)) (aset z 4 (unchecked-byte -1)))
    (println "after" (to-vec z) (signed-sum z) (unsigned-sum z)))
  (let [small (byte-array [1 -2 127 -128])
        wrapped (byte-array [128 200 255 256 -129 -200 1000 -1000])
        from-list (byte-array (list 10 20 30))
        truncated (byte-array [1.9 -1.9 127.9 128.5 -128.9 -129.5 300.7 1e20 -1e20])]
    (println "in range" (to-vec small))
    (println "low 8 bits" (to-vec wrapped))
    (println "from a list" (to-vec from-list) (signed-sum from-list))
    (println "from doubles" (to-vec truncated))
    (println "nil and () make empty arrays" (alength (byte-array nil)) (alength (byte-array '()))))
  (println "unchecked-byte" (unchecked-byte 200) (unchecked-byte 255) (unchecked-byte 256) (unchecked-byte -129)
           (unchecked-byte 9223372036854775807) (unchecked-byte -9223372036854775808))
  (println "unchecked-byte of doubles" (unchecked-byte 200.7) (unchecked-byte -200.7) (unchecked-byte 1e20) (unchecked-byte -1e20) (unchecked-byte 300.5))
  (println "byte" (byte 0) (byte 127) (byte -128) (byte 12.7) (byte -12.7))
  ; Called as a value, Clojure's byte truncates a double before the range
  ; check (its inlined call on a double literal checks first: KeelLisp does
  ; the former everywhere).
  (println "as values" (map unchecked-byte [127 128 129 -1 200.5]) (map byte [1 -1 127.9 -128.9 (/ 0.0 0.0)]))
  (let [lengths [1 7 8 9 15 16 17 100 1000]
        arrays (vec (map (fn [n] (fill! (byte-array n) 37)) lengths))
        keep {:arrays arrays}]
    (println "lengths" (map alength arrays) (map count arrays))
    (println "sums" (map signed-sum arrays) (map unsigned-sum arrays))
    (println "churn" (churn 4000))
    (println "after churn" (map unsigned-sum (get keep :arrays)) (map adler arrays))
    (let [big (nth arrays 8)]
      (aset big 999 (unchecked-byte 0xab))
      (println "last" (aget big 999) (bit-and (aget big 999) 0xff) (aget (nth (get keep :arrays) 8) 999))
      (println "churn again" (churn 3000))
      (println "still there" (aget big 0) (aget big 1) (aget big 998) (aget big 999) (adler big))))
  (let [a (byte-array [3 -4 5])]
    (println "seqs" (seq a) (first a) (rest a) (seq (byte-array 0)) (first (byte-array 0)) (rest (byte-array 0)))
    (println "sequence functions" (vec a) (into [] a) (map inc a) (reduce + a) (apply + a) (last a) (cons 0 a) (filter odd? a))
    (println "identity" (= a a) (= (byte-array 2) (byte-array 2)) (= (byte-array [1]) [1]))
    (doseq [x a] (print x ""))
    (println)))
