;; Longs the compiler holds unboxed: ^long parameters, let and loop locals
;; bound to long arithmetic, with Clojure's overflow checks, floored mod,
;; Java's shifts, and comparisons with doubles.
(defn triangle [^long n]
  (loop [i 0 acc 0]
    (if (<= i n) (recur (inc i) (+ acc i)) acc)))

(defn collatz-steps [^long n]
  (loop [n n steps 0]
    (cond (= n 1) steps
          (even? n) (recur (quot n 2) (inc steps))
          :else (recur (+ (* 3 n) 1) (inc steps)))))

(defn mix [^long h ^long x]
  (bit-and (bit-xor (bit-shift-left h 5) (unsigned-bit-shift-right h 2) x) 0xffffffff))

(defn sq [x] (* x x))

(defn -main [& args]
  (println (triangle 100) (triangle 0) (triangle 20000))
  (println (map collatz-steps [1 7 27 97]))
  (println (reduce mix 17 (range 100)))
  (let [m 9223372036854775807 n -9223372036854775808 k 4611686018427387904]
    (println m n k (- m 1) (+ n 1) (quot m 2) (quot n 2) (* k -2) (inc (dec m)) (dec (inc n)))
    (println (rem -7 2) (mod -7 2) (mod 7 -2) (mod -7 -2) (quot -7 2) (rem 7 -3) (mod -8 4) (mod -7 16))
    (let [d 3 e -3]
      (println (quot 17 d) (rem 17 d) (mod 17 e) (mod -17 d) (quot n -2) (mod n 3)))
    (println (bit-shift-left 1 63) (bit-shift-left 1 64) (bit-shift-left 1 65) (bit-shift-right n 63)
             (unsigned-bit-shift-right n 63) (unsigned-bit-shift-right -1 1) (bit-shift-right -16 2)
             (bit-shift-left 3 -1))
    (println (bit-and m 255) (bit-or n 1) (bit-xor m n) (bit-not 0) (bit-not m))
    (println (< 1 2.5) (> 3 2.5) (== 2 2.0) (= 2 2.0) (<= n m) (>= k m))
    (let [d (- -0.0 1.0) r (rem -15 2)]
      (println (= d r) (== d r) (= r -1) (= d -1.0) (= (- d) (- r)) (== (- d) (- r))))
    (println (sq 3037000499) (sq 46341) (+ 0.5 m)))
  (let [xs (range 10)
        total (count xs)
        v (vec xs)]
    (println total (* total total) (nth v (dec total)))))
