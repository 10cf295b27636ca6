; Persistent vectors at sizes a collection at every allocation can afford:
; 33,000 conj reach a trie of three levels above the leaves; nth, assoc and
; pop across the boundaries (32, 1056, 32800 items); equality with lists;
; into/vec/seq.  (large/pvec_large.clj does 10^5.)
(defn build [n] (loop [v [] i 0] (if (< i n) (recur (conj v i) (inc i)) v)))

(defn pops [v k] (loop [v v k k] (if (pos? k) (recur (pop v) (dec k)) v)))

(defn -main [& args]
  (let [n 33000
        v (build n)
        w (loop [w v k 0] (if (< k 300) (recur (assoc w (mod (* k 7919) n) (- k)) (inc k)) w))]
    (println (count v) (nth v 0) (nth v 31) (nth v 32) (nth v 1055) (nth v 1056) (nth v 32799) (nth v 32800) (nth v 32999))
    (println (loop [i 0 acc 0] (if (< i n) (recur (inc i) (+ acc (nth v i))) acc))
             (loop [i 0 acc 0] (if (< i n) (recur (inc i) (+ acc (nth w i))) acc)))
    (println (count w) (nth w 0) (nth w 7919) (nth w (mod (* 299 7919) n)) (nth v 7919) (= v w) (vector? w))
    (let [p (pops v 200)]
      (println (count p) (peek p) (peek (pops p 1)) (= (conj (pop p) (peek p)) p) (count (conj p :x)) (peek (conj p :x))))
    (println (= (assoc v 32999 :x) (conj (pop v) :x)) (peek (assoc v n :end)) (count (assoc v n :end)))
    (println (loop [p (build 1100) bad 0]
               (if (pos? (count p))
                 (recur (pop p) (if (= (peek p) (dec (count p))) bad (inc bad)))
                 [bad p (count p) (peek p)])))
    (let [small (build 1500)
          as-list (reverse (reverse (seq small)))]
      (println (= small as-list) (= as-list small) (= (hash small) (hash as-list)) (= small (vec as-list))
               (= small (into [] as-list)) (= (conj small 1) as-list) (= (pop small) as-list) (= small (range 1500))))
    (println (vec (take 5 (drop 1495 (build 1500)))) (nth (into (build 40) (build 40)) 79)
             (count (into (build 100) (build 100))) (first (build 50)) (last (build 50)) (rest (build 34)))
    (println (nth v 5 :none) (nth v n :none) (get v 77) (get v n) (get v -1) (contains? v 32999) (contains? v n)
             (pop [1]) (peek []) (pop (vec (range 33))) (peek (vec (range 33))))
    (println (mapv inc [1 2 3]) (nth (mapv inc (build 500)) 499) (count (filterv even? (build 500))))
    (let [nested (vec (map (fn [i] [i (str i)]) (range 40)))]
      (println (nth nested 39) (= nested (map (fn [i] (list i (str i))) (range 40))) (hash (build 40)) (hash (range 40))))))
