;; Vectors made by vec from a seq (built in one pass) behave like vectors
;; grown by conj, at every size around the trie's boundaries: equal, same
;; items at every index, and conj, pop and assoc on them work alike.
(defn grown [n] (reduce conj [] (range n)))

(defn check [n]
  (let [a (vec (range n))
        b (grown n)
        same-items (every? (fn [i] (= (nth a i) (nth b i) i)) (range n))]
    [n (count a) (= a b) same-items
     (= (conj a :x) (conj b :x))
     (if (pos? n) (= (pop a) (pop b)) true)
     (if (pos? n) (= (assoc a (quot n 2) :m) (assoc b (quot n 2) :m)) true)
     (if (pos? n) (peek a) nil)
     (reduce + a)]))

(defn -main [& args]
  (doseq [n [0 1 31 32 33 63 64 65 95 96 97 1023 1024 1025 1055 1056 1057 2048]]
    (println (check n)))
  (let [v (vec (map (fn [i] (* i i)) (range 5000)))]
    (println (count v) (nth v 4999) (nth v 1024) (nth v 31) (nth v 32) (last v) (first v))
    (println (= v (vec (map (fn [i] (* i i)) (range 5000)))) (= (vec (range 40)) (grown 40) (range 40)))))
