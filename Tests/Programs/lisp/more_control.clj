; if-not, if-let, when-let and case.
(defn describe [x]
  (case x
    0 "zero"
    (1 2 3) "small"
    :k "a keyword"
    "s" "a string"
    [1 2] "a vector"
    "something else"))

(defn strict [x] (case x :a 1 :b 2))

(defn -main [& args]
  (println (if-not false :yes :no) (if-not 1 :yes :no) (if-not 1 :yes))
  (println (if-let [x (get {:a 5} :a)] (* x 2) :none) (if-let [x (get {:a 5} :b)] x :none)
           (if-let [x false] x) (when-let [x [1 2]] (count x) (first x)) (when-let [x nil] :never))
  (println (describe 0) "|" (describe 2) "|" (describe :k) "|" (describe "s") "|"
           (describe '(1 2)) "|" (describe 9))
  (println (strict :b))
  (strict :c))
