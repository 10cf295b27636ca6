; Random assoc/dissoc on a map, conj/disj on a set and conj/assoc/pop on a
; vector (a deterministic generator), checked against a model every 400
; steps (the vector's model is a map from index to item).  Keys include
; integers, strings, vectors and 48 strings that all share one hash (blocks
; of "Aa" and "BB"), so entries move in and out of a collision node and trie
; nodes split and collapse.  The final map and set print in Clojure's order.
(defn next-random [r] (mod (+ (* r 1103515245) 12345) 2147483648))

(defn colliding [i]
  (loop [s "" k 0 bits i]
    (if (< k 6) (recur (str s (if (odd? bits) "BB" "Aa")) (inc k) (quot bits 2)) s)))

(defn key-of [i]
  (case (mod i 4)
    0 i
    1 (str "s" i)
    2 [i :v]
    3 (colliding (quot i 4))))

(def domain 192)

(defn repeat-n [n x] (map (fn [_] x) (range n)))

(defn model-map [model]
  (reduce (fn [m i] (if (nth model i) (assoc m (key-of i) (nth model i)) m)) {} (range domain)))

(defn check [m s v model smodel vmodel]
  (and (= (count m) (count (filter some? model)))
       (every? (fn [i] (= (get m (key-of i)) (nth model i))) (range domain))
       (= m (model-map model))
       (= (hash m) (hash (model-map model)))
       (= (count s) (count (filter identity smodel)))
       (every? (fn [i] (= (contains? s (key-of i)) (nth smodel i))) (range domain))
       (= (count v) (count vmodel))
       (every? (fn [i] (= (nth v i) (get vmodel i))) (range (count v)))))

(defn -main [& args]
  (loop [step 0 r 42 m {} s #{} v [] model (vec (repeat-n domain nil)) smodel (vec (repeat-n domain false)) vmodel {} checks 0]
    (if (< step 6000)
      (let [r1 (next-random r)
            r2 (next-random r1)
            k (mod (quot r1 8) domain)
            op (mod (quot r2 16) 8)
            m2 (if (< op 5) (assoc m (key-of k) step) (dissoc m (key-of k)))
            model2 (assoc model k (if (< op 5) step nil))
            s2 (if (< op 4) (conj s (key-of k)) (disj s (key-of k)))
            smodel2 (assoc smodel k (< op 4))
            grow (or (< op 5) (empty? v))
            v2 (cond grow (conj v step)
                     (= op 5) (pop v)
                     :else (assoc v (mod k (count v)) (- step)))
            vmodel2 (cond grow (assoc vmodel (count v) step)
                          (= op 5) (dissoc vmodel (dec (count v)))
                          :else (assoc vmodel (mod k (count v)) (- step)))
            ok (if (zero? (mod step 400)) (check m2 s2 v2 model2 smodel2 vmodel2) true)]
        (if ok
          (recur (inc step) r2 m2 s2 v2 model2 smodel2 vmodel2 (if (zero? (mod step 400)) (inc checks) checks))
          (println "mismatch at step" step)))
      (do (println checks "checks passed" (count m) (count s) (count v))
          (prn m)
          (prn s)
          (prn (take 10 v))))))
