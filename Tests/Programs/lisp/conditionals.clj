; if-let, when-let, when-not, cond with :else, case with lists of constants
(defn classify [x]
  (cond (neg? x) :negative
        (zero? x) :zero
        (< x 10) :small
        :else :large))
(defn kind [x]
  (case x
    (1 2 3) :low
    "s" :string
    :k :keyword
    [1 2] :vector
    :other))
(defn -main [& args]
  (prn (map classify [-1 0 5 50]))
  (prn (map kind [2 "s" :k [1 2] 9]))
  (prn (if-let [x (get {:a 1} :a)] (inc x) :none) (if-let [x (get {} :a)] x :none))
  (prn (when-let [[a b] (seq [1 2])] (+ a b)) (when-let [x nil] :never))
  (prn (when-not false :yes) (when-not true :no))
  (prn (and 1 2 nil 3) (and) (or nil false 4) (or) (or false nil)))
