; -> and ->> over maps, vectors and sequences
(defn -main [& args]
  (prn (-> {:a 1} (assoc :b 2) (update :a inc) (dissoc :c)))
  (prn (->> (range 10) (filter even?) (map (fn [x] (* x x))) (reduce +)))
  (prn (-> [1 2 3] (conj 4) count inc))
  (prn (->> [[1 2] [3 4]] (map (fn [[a b]] (+ a b))) vec))
  (prn (-> 5 (- 2) (* 3)) (->> 5 (- 2) (* 3))))
