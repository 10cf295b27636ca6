; sequential and map destructuring: nesting, & rest, :as, :or, :keys, :strs
(defn describe [{:keys [name age] :or {age 0} :as person}]
  [name age (count person)])
(defn head-tail [[x & more :as all]]
  [x more (count all)])
(defn -main [& args]
  (prn (describe {:name "ann" :age 3}) (describe {:name "bob"}))
  (prn (head-tail [1 2 3]) (head-tail []))
  (let [[a [b c] {:keys [d]}] [1 [2 3] {:d 4}]
        {{:keys [x]} :inner y :y} {:inner {:x 5} :y 6}
        {:strs [s]} {"s" 7}]
    (prn a b c d x y s))
  (loop [[n & ns] [1 2 3] acc 0]
    (if n (recur ns (+ acc n)) (prn acc))))
