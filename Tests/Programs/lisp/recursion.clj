; Non-tail recursion, mutual recursion between defns (in either order), multiple arities.
(defn fib [n] (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))

(defn my-even? [n] (if (zero? n) true (my-odd? (dec n))))
(defn my-odd? [n] (if (zero? n) false (my-even? (dec n))))

(defn fact
  ([n] (fact n 1))
  ([n acc] (if (zero? n) acc (recur (dec n) (* acc n)))))

(defn depth [n] (if (zero? n) 0 (inc (depth (dec n)))))

(defn -main [& args]
  (println (fib 20))
  (println (my-even? 100) (my-odd? 7) (my-even? 7))
  (println (fact 20))
  (println (depth 10000)))
