; Hash maps (hash array mapped tries): assoc, dissoc, get and contains? over
; 10^5 integer and string keys (and some keywords); persistence (old
; versions unchanged); equality and hash regardless of insertion order.
(defn build [n f]
  (loop [m {} i 0] (if (< i n) (recur (assoc m (f i) i) (inc i)) m)))

(defn build-down [n f]
  (loop [m {} i (dec n)] (if (>= i 0) (recur (assoc m (f i) i) (dec i)) m)))

(defn sum-gets [m n f]
  (loop [i 0 acc 0] (if (< i n) (recur (inc i) (+ acc (get m (f i) 0))) acc)))

(defn count-contained [m n f]
  (loop [i 0 acc 0] (if (< i n) (recur (inc i) (if (contains? m (f i)) (inc acc) acc)) acc)))

(defn without-evens [m n f]
  (loop [m m i 0] (if (< i n) (recur (dissoc m (f i)) (+ i 2)) m)))

(defn -main [& args]
  (let [n 100000
        ints (build n identity)
        strs (build n str)
        kws (build 3000 (fn [i] (keyword (str "k" i))))
        down (build-down n identity)
        odd-ints (without-evens ints n identity)]
    (println (count ints) (count strs) (count kws) (count odd-ints))
    (println (sum-gets ints n identity) (sum-gets strs n str) (sum-gets odd-ints n identity)
             (sum-gets kws 3000 (fn [i] (keyword (str "k" i)))))
    (println (count-contained ints (* 2 n) identity) (count-contained strs n identity)
             (count-contained odd-ints n identity) (count-contained kws 4000 (fn [i] (keyword (str "k" i)))))
    (println (get ints 12345) (get strs "12345") (get ints "12345") (get strs 12345 :none)
             (get odd-ints 12344) (get odd-ints 12345) (:k2999 kws) (kws :k3000 :absent))
    (println (= ints down) (= (hash ints) (hash down)) (= ints strs) (= ints odd-ints))
    (println (= odd-ints (without-evens down n identity))
             (= (without-evens odd-ints n identity) odd-ints)
             (count (without-evens odd-ints n inc)) (without-evens (without-evens ints n identity) n inc))
    (let [changed (assoc ints 777 :changed)
          same (assoc ints 777 777)]
      (println (get changed 777) (get ints 777) (count changed) (= same ints) (= changed ints)
               (= (dissoc changed 777) (dissoc ints 777))))
    (println (map? ints) (map? odd-ints) (empty? (without-evens (without-evens ints n identity) n inc))
             (= {} (without-evens (without-evens ints n identity) n inc)) (dissoc {} :a) (dissoc nil :a))))
