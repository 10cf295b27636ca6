; Non-tail recursion 10,000 deep (each frame holding references across the
; recursive call) and mutual recursion, allocating all the way down.
(defn build [n] (if (zero? n) () (cons (str n) (build (dec n)))))

(defn total-length [xs] (if (empty? xs) 0 (+ (count (first xs)) (total-length (rest xs)))))

(defn ping [n acc] (if (zero? n) acc (pong (dec n) (conj acc :ping))))
(defn pong [n acc] (if (zero? n) acc (ping (dec n) (conj acc :pong))))

(defn -main [& args]
  (let [xs (build 10000)]
    (println (count xs) (first xs) (last xs) (total-length xs))
    (let [v (ping 5000 [])]
      (println (count v) (first v) (nth v 4999)))))
