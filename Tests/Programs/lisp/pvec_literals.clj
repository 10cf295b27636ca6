; Vector literals longer than 32 items are built flat by the compiler and become
; tries when they change; map literals of more than 8 entries are hash maps.
(defn -main [& args]
  (let [v [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39]
        x 5
        w [x 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39]]
    (prn (count v) (conj v 40) (assoc v 39 :a) (assoc v 40 :b) (pop v) (peek v) (nth v 35) (= v (range 40)) (= (hash v) (hash (vec (range 40)))))
    (prn (count w) (conj w 40) (pop w) (= (assoc w 0 0) v) (apply + v) (apply str (pop (pop w))))
    (prn {:a 1 :b 2 :c 3 :d 4 :e 5 :f 6 :g 7 :h 8 :i 9 :j 10} {:a x :b 2 :c 3 :d 4 :e 5 :f 6 :g 7 :h 8 :i 9})))
