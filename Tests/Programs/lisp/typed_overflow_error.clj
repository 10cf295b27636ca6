; Overflow in unboxed long arithmetic inlined from a small fn is reported
; by that fn, as if it had been called.
(defn cube [x] (* x (* x x)))

(defn -main [& args]
  (let [n 1000]
    (println (cube n))
    (println (cube (* n n n)))))
