; partial, comp, complement, constantly, some, every?, apply, identity
(defn -main [& args]
  (let [add3 (partial + 1 2)
        inc-twice (comp inc inc)
        odd-count (comp count (partial filter odd?))]
    (prn (add3 4) (inc-twice 5) (odd-count [1 2 3 5]))
    (prn (map (complement even?) [1 2 3]))
    (prn (map (constantly :k) [1 2]))
    (prn (some (fn [x] (when (> x 2) (* x 10))) [1 2 3 4]) (some even? [1 3]))
    (prn (every? pos? [1 2]) (every? pos? []) (every? pos? [1 -1]))
    (prn (apply max 3 [9 2]) (apply str "a" "b" ["c" "d"]))
    (prn (map identity [nil false 1]))
    (prn ((comp str +) 1 2) ((partial map inc) [1 2]))))
