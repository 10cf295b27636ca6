; Keys of every kind in array maps, hash maps and sets: keywords, strings,
; integers (fixnums and boxed longs), doubles, characters, booleans, nil,
; and nested vectors, lists, maps and sets, found by equal values built
; another way.
(defn key-of [i]
  (case (mod i 9)
    0 (keyword (str "k" i))
    1 (str "s" i)
    2 i
    3 (+ 4611686018427387904 i)
    4 [i (str i) [:deep i]]
    5 {:id i :tags #{i (inc i)}}
    6 #{i (- i)}
    7 (list :l i)
    8 (* 1.5 i)))

(defn key-again [i]
  (case (mod i 9)
    0 (keyword (str "k" i))
    1 (str "s" (str i))
    2 (- (+ i 1) 1)
    3 (- (+ 4611686018427387905 i) 1)
    4 (list i (str i) (list :deep i))
    5 (hash-map :tags (hash-set (inc i) i) :id i)
    6 (set [(- i) i])
    7 [:l i]
    8 (/ (* 3.0 i) 2)))

(defn -main [& args]
  (let [n 1200
        m (reduce (fn [m i] (assoc m (key-of i) i)) {} (range n))
        small (reduce (fn [m i] (assoc m (key-of i) i)) {} (range 9))
        s (set (map key-of (range n)))]
    (println (count m) (count s) (count small))
    (println (every? (fn [i] (= i (get m (key-again i)))) (range n))
             (every? (fn [i] (contains? s (key-again i))) (range n))
             (every? (fn [i] (= i (small (key-again i)))) (range 9)))
    (println (reduce + (map (fn [i] (get m (key-again i))) (range n))))
    (prn small)
    (prn (dissoc small [4 "4" [:deep 4]] {:id 5 :tags #{5 6}} '(:l 7)))
    (let [odd (reduce (fn [m i] (dissoc m (key-again i))) m (range 1 n 2))]
      (println (count odd) (get odd (key-again 4)) (get odd (key-again 5)) (= odd (reduce (fn [m i] (assoc m (key-of i) i)) {} (range 0 n 2)))))
    (let [specials (hash-map \a 1 \b 2 true 3 false 4 nil 5 0.5 6 -0.0 7 "" 8 () 9 [] 10)]
      (println (count specials) (get specials \a) (get specials true) (get specials false) (get specials nil)
               (get specials 0.0) (get specials '()) (get specials "") (get specials 0) (contains? specials nil))
      (println (= (hash []) (hash ())) (= [] ()) (= (get specials []) (get specials ())) (hash 0.0) (hash -0.0)))))
