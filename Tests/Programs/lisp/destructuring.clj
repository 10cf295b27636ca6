; Sequential and map destructuring in let, fn parameters, loop and if-let:
; & rest, :as, :keys, :strs, :or, explicit keys, nesting.
(defn point-str [{:keys [x y] :or {y 0} :as p}]
  (str "(" x "," y ")" (count p)))

(defn head-and-tail [[h & t]] [h t])

(defn sum-pairs [pairs]
  (loop [[[a b] & more] pairs acc 0]
    (if a (recur more (+ acc a b)) acc)))

(defn -main [& args]
  (let [[a b c] [1 2]
        [x [y z] & others :as all] '(1 (2 3) 4 5)
        {name :name [first-tag] :tags :as person} {:name "ann" :tags [:admin :dev]}
        {:strs [color size]} {"color" "red"}]
    (prn a b c x y z others all)
    (prn name first-tag (count person) color size))
  (println (point-str {:x 1 :y 2}) (point-str {:x 5}))
  (prn (head-and-tail [1 2 3]) (head-and-tail []) (head-and-tail (list 9)))
  (println (sum-pairs [[1 2] [3 4] [5 6]]))
  (println (if-let [[k v] (first {:only 1})] (str k "=" v) "empty")
           ((fn [& [p q]] (list p q)) 7)
           (let [{{inner :inner} :outer} {:outer {:inner 42}}] inner)))
