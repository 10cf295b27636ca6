; Persistent vectors (32-way trie with a tail): 10^5 conj, assoc at
; scattered indexes, nth across the trie's levels, pop through every level
; boundary, equality with lists, into/vec/seq over large vectors.
(defn build [n] (loop [v [] i 0] (if (< i n) (recur (conj v i) (inc i)) v)))

(defn sum-nth [v]
  (loop [i 0 acc 0] (if (< i (count v)) (recur (inc i) (+ acc (nth v i))) acc)))

(defn -main [& args]
  (let [n 100000
        v (build n)
        w (loop [w v k 0] (if (< k 2000) (recur (assoc w (mod (* k 7919) n) (- k)) (inc k)) w))]
    (println (count v) (nth v 0) (nth v 31) (nth v 32) (nth v 1023) (nth v 1024)
             (nth v 1055) (nth v 32767) (nth v 32768) (nth v 99999))
    (println (sum-nth v) (sum-nth w))
    (println (count w) (nth w 0) (nth w 7919) (nth w (mod (* 1999 7919) n)) (nth v 7919))
    (println (= v w) (= v (build n)) (= (hash v) (hash (build n))) (vector? v) (vector? w))
    (println (= (assoc v 99999 :x) (conj (pop v) :x)) (peek (assoc v n :end)) (count (assoc v n :end)))
    (let [p (loop [p v k 0] (if (< k 98900) (recur (pop p) (inc k)) p))]
      (println (count p) (peek p) (nth p 1056) (= p (build 1100))))
    (println (loop [p (build 1100) bad 0]
               (if (pos? (count p))
                 (recur (pop p) (if (= (peek p) (dec (count p))) bad (inc bad)))
                 [bad p (count p) (peek p)])))
    (let [small (build 3000)
          as-list (reverse (reverse (seq small)))]
      (println (= small as-list) (= as-list small) (= (hash small) (hash as-list))
               (= small (vec as-list)) (= small (into [] as-list))
               (= (conj small 1) as-list) (= (pop small) as-list)))
    (println (vec (take 5 (drop 2995 (build 3000)))) (nth (into (build 40) (build 40)) 79)
             (count (into (build 1000) (build 1000))) (first (seq v)) (second (seq v)))
    (println (nth v 5 :none) (nth v n :none) (get v 77) (get v n) (get v -1) (contains? v 99999) (contains? v n))
    (println (mapv inc [1 2 3]) (nth (mapv inc (build 2000)) 1999) (count (filterv even? (build 2000))))
    (let [nested (vec (map (fn [i] [i (str i)]) (range 100)))]
      (println (nth nested 99) (= nested (map (fn [i] (list i (str i))) (range 100)))))))
