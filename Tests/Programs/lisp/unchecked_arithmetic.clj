; The unchecked-* long arithmetic: 64-bit two's complement wrapping at
; Long/MAX_VALUE and Long/MIN_VALUE (no overflow error), doubles as with
; + - *, in loops (a hash in the style of FNV-1a, a linear congruential
; generator) and as function values.

(def max-long 9223372036854775807)
(def min-long -9223372036854775808)

(defn fnv [xs]
  (reduce (fn [h x] (unchecked-multiply (bit-xor h x) 1099511628211)) -3750763034362895579 xs))

(defn lcg [seed n]
  (loop [i 0 x seed acc []]
    (if (< i n)
      (let [x (unchecked-add (unchecked-multiply x 6364136223846793005) 1442695040888963407)]
        (recur (inc i) x (conj acc (unsigned-bit-shift-right x 33))))
      acc)))

(defn count-down [x n]
  (loop [i 0 x x]
    (if (< i n) (recur (unchecked-inc i) (unchecked-dec x)) x)))

(defn -main [& args]
  (println "add" (unchecked-add 1 2) (unchecked-add max-long 1) (unchecked-add max-long max-long) (unchecked-add min-long -1))
  (println "subtract" (unchecked-subtract 5 7) (unchecked-subtract min-long 1) (unchecked-subtract max-long -1) (unchecked-subtract 0 min-long))
  (println "multiply" (unchecked-multiply 6 7) (unchecked-multiply max-long 3) (unchecked-multiply 4611686018427387904 2)
           (unchecked-multiply 3037000500 3037000500) (unchecked-multiply min-long -1))
  (println "inc dec" (unchecked-inc 41) (unchecked-inc max-long) (unchecked-dec 43) (unchecked-dec min-long))
  (println "negate" (unchecked-negate 5) (unchecked-negate min-long) (unchecked-negate max-long) (unchecked-negate 0))
  (println "fixnum edges" (unchecked-add 4611686018427387903 1) (unchecked-subtract -4611686018427387904 1)
           (unchecked-inc 4611686018427387903) (unchecked-dec -4611686018427387904) (unchecked-negate -4611686018427387904))
  (println "doubles" (unchecked-add 1 2.5) (unchecked-add 1.5 2.5) (unchecked-subtract 2 0.5) (unchecked-multiply 2.5 2)
           (unchecked-inc 2.5) (unchecked-dec 2.5) (unchecked-negate 2.5) (unchecked-negate 0.0) (unchecked-add max-long 1.0))
  (println "fnv" (fnv [1 2 3]) (fnv (range 100)))
  (println "lcg" (lcg 42 5))
  (println "count-down" (count-down 5 10) (count-down min-long 1) (count-down 0 100000))
  (println "as values" (map unchecked-inc [max-long 1 2.5]) (reduce unchecked-add [max-long max-long max-long])
           (map unchecked-negate [min-long 3]) (apply unchecked-multiply [max-long max-long])
           (map unchecked-subtract [min-long 0] [1 min-long]) (map unchecked-dec [min-long])))
