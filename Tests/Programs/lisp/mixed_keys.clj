; Keys of every kind in maps and sets: keywords, strings, integers,
; characters, nil, booleans, and vectors, lists and maps as keys, nested.
(def m {:k 1 "k" 2 3 :three \c :char nil :nil false :false [1 2] :vec {:a 1} :map})

(defn -main [& args]
  (prn (get m :k) (get m "k") (get m 3) (get m \c) (get m nil) (get m false) (get m [1 2]) (get m '(1 2)) (get m {:a 1}))
  (prn (contains? m nil) (contains? m true) (count m) (get m 3.0 :no) (m "k") (:k m))
  (let [s #{:a "a" 1 [1] nil}]
    (prn (contains? s nil) (contains? s '(1)) (s "a") (s :b) (count s) (count (conj s 1 "a" [1])) (count (disj s nil [1]))))
  (let [grid (reduce (fn [g [x y]] (assoc g [x y] (* x y))) {} [[0 1] [1 1] [2 3]])]
    (prn grid (get grid [2 3]) (get-in {[0 1] {:deep [10 20]}} [[0 1] :deep 1])))
  (let [nested (-> {}
                   (assoc-in [:users "ann" :visits] 1)
                   (update-in [:users "ann" :visits] inc)
                   (assoc-in [:users "bo" 7] :seven)
                   (update-in [:counts 2] (fnil + 0) 5))]
    (prn nested (get-in nested [:users "bo" 7]) (get-in nested [:users "cy"] :none)))
  (prn (= {:a 1 "a" 2} {"a" 2 :a 1}) (= #{[1 2] '(3)} #{'(1 2) [3]}) (= {[1] :x} {'(1) :x}))
  (prn (dissoc m :k "k" 3 \c nil false [1 2]) (keys (dissoc m :k "k" 3 \c nil false)) (vals {1 :a 2 :b})))
