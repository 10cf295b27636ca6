; Destructuring corners: rest patterns that are themselves vectors, nil
; and short inputs, :or defaults computed from earlier names, nested map
; keys, vectors in maps in vectors, and patterns in loop and fn arities.
(defn parse [[cmd & [arg1 arg2 :as more]]]
  [cmd arg1 arg2 (count more)])

(defn area ([{:keys [w h] :or {w 1 h w}}] (* w h)) ([w h] (* w h)))

(defn -main [& args]
  (prn (parse [:move 1 2]) (parse [:stop]) (parse nil) (parse '(:x 1 2 3 4)))
  (prn (area {:w 3}) (area {:w 3 :h 4}) (area {}) (area 2 5))
  (let [[a b c] [1 2]
        [[x y] z] [[:p] :q]
        {[first-pt & others] :points {:keys [r]} :style} {:points [[0 0] [1 1] [2 4]] :style {:r 5}}
        {:keys [missing] :or {missing (+ a b)}} nil]
    (prn a b c x y z first-pt others r missing))
  (let [{{{deep :deep} :c} :b} {:b {:c {:deep :found}}}
        [_ _ [_ third]] [0 1 [2 3]]
        {n "n" :strs [s]} {"n" 1 "s" 2}
        {v 0 w 2} [10 20 30]]
    (prn deep third n s v w))
  (prn (loop [[[k v] & more] (seq {:a 1 :b 2 :c 3}) acc []]
         (if k (recur more (conj acc (str (name k) v))) acc)))
  (prn (map (fn [{:keys [id tags] :or {tags []}}] [id (count tags)]) [{:id 1 :tags [:x :y]} {:id 2}]))
  (prn (reduce (fn [acc [k v]] (+ acc (* k v))) 0 [[1 2] [3 4] [5 6]])))
