; A state machine of mutually tail-calling functions over a million input
; steps: each state reads the next symbol and tail-calls the next state,
; building a fresh vector of counts every step. Constant stack.
(declare in-a in-b in-c)

(defn symbol-at [i] (rem (* i 7) 3))

(defn dispatch [i n counts]
  (if (= i n)
    counts
    (case (symbol-at i)
      0 (in-a (inc i) n counts)
      1 (in-b (inc i) n counts)
      (in-c (inc i) n counts))))

(defn in-a [i n counts] (dispatch i n (assoc counts 0 (inc (nth counts 0)))))
(defn in-b [i n counts] (dispatch i n (assoc counts 1 (inc (nth counts 1)))))
(defn in-c [i n counts]
  (cond
    (zero? (rem i 2)) (dispatch i n (assoc counts 2 (inc (nth counts 2))))
    :else (and true (dispatch i n (update counts 2 inc)))))

(defn -main [& args]
  (prn (dispatch 0 1000000 [0 0 0])))
