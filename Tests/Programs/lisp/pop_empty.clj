; pop and peek on vectors and lists; popping an empty vector is an error
; (IllegalStateException in Clojure), not a crash.
(defn drain [v]
  (loop [v v]
    (let [smaller (pop v)]
      (recur smaller))))

(defn -main [& args]
  (println (peek [1 2 3]) (pop [1 2 3]) (peek '(1 2 3)) (pop '(1 2 3)) (peek []) (pop nil) (peek nil))
  (println (count (pop (vec (range 1057)))) (peek (pop (vec (range 1057)))) (disj #{1 2} 2) (disj nil 1))
  (let [r (drain (vec (range 40)))] r))
