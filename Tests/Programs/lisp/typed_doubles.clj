;; Doubles the compiler holds unboxed: ^double parameters, let and loop
;; locals bound to double arithmetic, longs mixed in, and the values
;; leaving for ordinary code (printing, collections, closures).
(defn scale [^double x ^double k] (* x k))

(defn mean [xs]
  (loop [s 0.0 n 0 xs (seq xs)]
    (if xs
      (recur (+ s (first xs)) (inc n) (next xs))
      (if (zero? n) 0.0 (/ s n)))))

(defn hypot [^double x ^double y]
  (let [x2 (* x x) y2 (* y y)]
    (Math/sqrt (+ x2 y2))))

(defn series [^long n]
  (loop [i 1 acc 0.0]
    (if (<= i n)
      (recur (inc i) (+ acc (/ 1.0 (* i i))))
      acc)))

(defn countdown [^double x]
  (if (< x 0.5) x (recur (/ x 2))))

(defn -main [& args]
  (println (scale 3 2) (scale 1.5 -2) (scale 2 0.5))
  (println (mean [1 2 3 4]) (mean [1.5 2.5]) (mean []))
  (println (hypot 3 4) (hypot 1e200 1e200))
  (println (series 1000))
  (println (countdown 10) (countdown 1))
  (let [a 1.5 b (- a) c (* a 2) d (/ a 0) e (- (/ a 0)) z (* -1.0 0.0)]
    (println a b c d e z (+ a 1) (- 1 a) (/ 3 a))
    (println (< a c) (> a c) (<= a a) (>= b a) (== a 1.5) (= c 3.0))
    (let [n (Math/sqrt -1.0)]
      (println n (< n 1.0) (> n 1.0) (== n n)))
    (let [f (fn [x] (+ x a)) v [a b c]]
      (println (f 1) v (count v) (map (fn [x] (* x c)) v))))
  (let [x (loop [i 0 x 1.0] (if (< i 10) (recur (inc i) (* x 1.5)) x))]
    (println x (long x) (double 7)))
  (println (- 0.0) (let [x 0.0] (- x)) (- (first [0.0])) (- (- (first [0.0]))))
  (let [big 9007199254740993 d 0.5]
    (println (+ big d) (< big 9.007199254740992E15) (* 3 d))))
