; if, when, when-not, cond, and/or (short-circuit, returning the deciding value), do, let.
(defn classify [n]
  (cond (neg? n) :negative
        (zero? n) :zero
        (< n 10) :small
        :else :large))

(defn noisy [x] (print "eval" x "") x)

(defn -main [& args]
  (println (classify -5) (classify 0) (classify 3) (classify 42))
  (println (if nil 1 2) (if false 1 2) (if 0 1 2) (if "" 1 2) (if [] 1 2) (if nil 1))
  (println (when true 1 2 3) (when false 1) (when-not false :ran) (when-not true :ran))
  (println (and) (or) (and 1 2) (and 1 nil 2) (or nil false) (or nil 7) (and false nil))
  (println (and (noisy false) (noisy true)))
  (println (or (noisy 1) (noisy 2)))
  (println (not nil) (not 0) (nil? nil) (some? false))
  (println (let [x 1 y (+ x 1) x (* y 10)] [x y]) (do 1 2 3)))
