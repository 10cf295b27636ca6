;; vec_shapes (../vec_shapes.clj) at the sizes around the trie's third and
;; fourth levels: vectors made by vec from a seq behave like vectors grown
;; by conj. Too slow under GC stress, so it runs natively and verified.
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
  (doseq [n [32768 32800 32801 33825 1048576 1048608 1048609]]
    (println (check n)))
  (let [v (vec (map (fn [i] (* i i)) (range 5000)))]
    (println (count v) (nth v 4999) (nth v 1024) (nth v 31) (nth v 32) (last v) (first v))
    (println (= v (vec (map (fn [i] (* i i)) (range 5000)))) (= (vec (range 40)) (grown 40) (range 40)))))
