; Keywords, maps, sets and vectors are functions of their keys, called by
; name or passed as values.
(def people [{:name "ann" :age 31} {:name "bo" :age 17} {:name "cy"}])

(defn -main [& args]
  (println (:name (first people)) (:age (nth people 2) :unknown) ({:a 1} :a) ({:a 1} :b 2))
  (println (#{:x :y} :x) (#{:x :y} :z) ([10 20 30] 1) (:missing nil))
  (prn (map :name people) (filter :age people) (map {:a 1 :b 2} [:a :b :c]) (remove #{2 3} [1 2 3 4]))
  (let [lookup {:ann 1}
        k :ann]
    (println (lookup k) (k lookup) (get lookup :ann)))
  (let [r ((first people) :name :x :extra)] r))  ; not a tail call: its frame stays in the backtrace
