;; Binary trees: allocation of many short-lived and some long-lived nodes.
;; A node is [left right]; a leaf has nil children.
(defn make-tree [depth]
  (if (zero? depth)
    [nil nil]
    [(make-tree (dec depth)) (make-tree (dec depth))]))

(defn check [node]
  (let [l (nth node 0) r (nth node 1)]
    (if l (+ 1 (check l) (check r)) 1)))

(def min-depth 4)
(def max-depth 18)

(defn -main [& args]
  (let [stretch (inc max-depth)]
    (println "stretch tree of depth" stretch "check:" (check (make-tree stretch))))
  (let [long-lived (make-tree max-depth)]
    (loop [d min-depth]
      (when (<= d max-depth)
        (let [iterations (bit-shift-left 1 (+ (- max-depth d) min-depth))
              sum (loop [i 0 acc 0]
                    (if (< i iterations) (recur (inc i) (+ acc (check (make-tree d)))) acc))]
          (println iterations "trees of depth" d "check:" sum)
          (recur (+ d 2)))))
    (println "long lived tree of depth" max-depth "check:" (check long-lived))))
