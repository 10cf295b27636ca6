; Integer division by zero is an ArithmeticException (quot, rem, mod, /),
; after the output printed before it.
(defn average [xs] (quot (reduce + xs) (count xs)))

(defn -main [& args]
  (println (average [1 2 3 6]) (rem 7 -2) (mod -7 2) (/ 12 4) (/ 1.0 0))
  (let [r (average [])] r))
