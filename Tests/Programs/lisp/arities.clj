; Multiple arities, variadic functions, docstrings, named fn recursion, threading macros.
(defn greet
  "Greets someone."
  ([] (greet "you"))
  ([who] (str "hi " who))
  ([who & more] (str "hi " who " and " (count more) " more")))

(defn sum-all [& xs]
  (loop [s 0 xs xs]
    (if (empty? xs) s (recur (+ s (first xs)) (rest xs)))))

(defn -main [& args]
  (println (greet) "|" (greet "ann") "|" (greet "ann" "bob" "cy"))
  (println (sum-all) (sum-all 1) (sum-all 1 2 3 4 5))
  (println ((fn [a & r] [a r]) 1) ((fn [a & r] [a r]) 1 2 3))
  (println (-> 5 (+ 3) (* 2) inc) (->> [1 2 3] (cons 0) count) (-> {:a {:b 7}} (get :a) (get :b))))
