;; Arrays whose kind a type hint claims (or the double-array/long-array that
;; made them): inline aget/aset/alength, unboxed elements.
(def ^"[J" squares (long-array [0 1 4 9 16 25]))

(defn dot [^doubles a ^doubles b]
  (loop [i 0 s 0.0]
    (if (< i (alength a)) (recur (inc i) (+ s (* (aget a i) (aget b i)))) s)))

(defn scale! [^doubles a ^double k]
  (loop [i 0]
    (when (< i (alength a))
      (aset a i (* k (aget a i)))
      (recur (inc i))))
  a)

(defn prefix-sums! [^longs a]
  (loop [i 1]
    (when (< i (alength a))
      (aset a i (+ (aget a i) (aget a (dec i))))
      (recur (inc i))))
  a)

(defn lookup [i] (aget squares i))

(defn maybe-sum [^longs a]
  (if (nil? a) :none (reduce + (seq a))))

(defn swap-ends! [^longs a]
  (let [n (alength a) x (aget a 0)]
    (aset a 0 (aget a (dec n)))
    (aset a (dec n) x)))

(defn -main [& args]
  (let [a (double-array [1 2 3]) b (double-array [4.5 5.5 6.5])]
    (println (dot a b) (vec (scale! a 2)) (dot a a) (alength a) (count b)))
  (let [p (prefix-sums! (long-array (range 1 11)))]
    (println (vec p) (aget p 9) (alength p)))
  (println (map lookup [0 3 5]) (alength squares))
  (println (maybe-sum nil) (maybe-sum (long-array [5 6 7])))
  (let [big (long-array [9223372036854775807 -9223372036854775808 3])]
    (println (aget big 0) (aget big 1) (inc (aget big 2)) (swap-ends! big) (vec big)))
  (let [xs (long-array 100000)]
    (loop [i 0] (when (< i 100000) (aset xs i (* i i)) (recur (inc i))))
    (let [junk (loop [k 0 acc []] (if (< k 20000) (recur (inc k) (conj acc [k (str k)])) acc))]
      (println (count junk) (aget xs 99999) (aget xs 12345))))
  (let [^doubles d (double-array 4)]
    (aset d 0 1.0)
    (aset d 1 2.5)
    (println (vec d) (aset d 3 (* 2.0 (aget d 1))) (vec d))))
