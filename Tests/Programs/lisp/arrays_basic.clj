; Primitive arrays: double-array and long-array made from a size or from a
; vector or list, aget/aset/alength, count, sums in loops, arrays held across
; much allocation (the collector moves them), arrays in collections, and
; arrays as sequences (seq, first, rest, vec, into, map, reduce, doseq).

(defn sum-doubles [a]
  (loop [i 0 acc 0.0]
    (if (< i (alength a)) (recur (inc i) (+ acc (aget a i))) acc)))

(defn sum-longs [a]
  (loop [i 0 acc 0]
    (if (< i (alength a)) (recur (inc i) (+ acc (aget a i))) acc)))

(defn fill-squares! [a]
  (dotimes [i (alength a)]
    (aset a i (* 1.5 i i)))
  a)

(defn fill-longs! [a]
  (dotimes [i (alength a)]
    (aset a i (* i 1000000007)))
  a)

(defn to-vec [a]
  (loop [i 0 v []]
    (if (< i (alength a)) (recur (inc i) (conj v (aget a i))) v)))

; Lots of garbage: lists and vectors that die at once.
(defn churn [n]
  (loop [i 0 acc 0]
    (if (< i n)
      (let [v (vec (range 10))]
        (recur (inc i) (+ acc (count (conj v i)))))
      acc)))

(defn -main [& args]
  (let [d (double-array 5)
        l (long-array 4)
        e (long-array 0)]
    (println "zeros" (aget d 0) (aget d 4) (aget l 3) (alength d) (alength l) (alength e) (count d) (count e))
    (println "aset returns" (aset d 2 3.25) (aset l 1 -7))
    (println "after" (to-vec d) (to-vec l))
    (println "empty?" (empty? e) (empty? d)))
  (let [from-longs (double-array [1 2 3 1099511627776])
        from-list (long-array (list 10 20 30))
        truncated (long-array [1.9 -1.9 2.5 -0.5 1e30 -1e30])
        mixed (double-array [1 2.5 -3])]
    (println "double-array of longs" (to-vec from-longs))
    (println "long-array of a list" (to-vec from-list) (sum-longs from-list))
    (println "long-array of doubles" (to-vec truncated))
    (println "mixed" (to-vec mixed) (sum-doubles mixed))
    (println "nil and () make empty arrays" (alength (double-array nil)) (alength (long-array '()))))
  (let [squares (fill-squares! (double-array 100))
        big (fill-longs! (long-array 50))
        keep {:squares squares :big big}
        pair [squares big]]
    (println "churn" (churn 3000))
    (println "sums" (sum-doubles squares) (sum-longs big))
    (println "held in a map" (aget (get keep :squares) 99) (aget (get keep :big) 49))
    (println "held in a vector" (alength (first pair)) (alength (second pair)))
    (println "identity" (= squares squares) (= squares (get keep :squares))
             (= (double-array 2) (double-array 2)) (= (long-array [1]) [1]))
    (println "as values" (map alength pair) (reduce + (map count pair)))
    (aset (nth pair 1) 0 123456789012345)
    (println "shared" (aget big 0) (aget (get keep :big) 0))
    (println "churn again" (churn 2000))
    (println "still there" (aget squares 10) (aget big 49) (sum-doubles squares)))
  (let [arrays (vec (map (fn [n] (long-array n)) (range 6)))]
    (doseq [a arrays]
      (dotimes [i (alength a)] (aset a i (* i i))))
    (println "arrays of arrays" (map sum-longs arrays))
    (let [d (double-array [1.5 2.5 3.5]) l (long-array [4 5 6]) e (long-array 0)]
      (println "seqs" (seq d) (seq l) (seq e) (first d) (first e) (rest l) (rest e) (next (long-array [1])))
      (println "sequence functions" (vec d) (into [] l) (map inc l) (reduce + d) (apply + l) (last l) (cons 0 l) (filter odd? l))
      (doseq [x d] (print x ""))
      (println))
    (println "unboxed big longs" (aget (long-array [9223372036854775807]) 0) (aget (long-array [-9223372036854775808]) 0))))
