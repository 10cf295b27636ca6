; sort-by, group-by and frequencies over nested data: employees with
; departments, skills and salaries, summarised several ways.
(def staff
  [{:name "ann" :dept :eng :salary 120 :skills [:clj :sql]}
   {:name "bo" :dept :ops :salary 90 :skills [:sh]}
   {:name "cy" :dept :eng :salary 110 :skills [:clj :c]}
   {:name "di" :dept :sales :salary 70 :skills []}
   {:name "ed" :dept :ops :salary 95 :skills [:sh :sql]}
   {:name "fay" :dept :eng :salary 130 :skills [:c :sql :clj]}])

(defn all-skills [people] (reduce (fn [acc p] (into acc (:skills p))) [] people))

(defn pick [m ks] (reduce (fn [acc k] (if (contains? m k) (assoc acc k (get m k)) acc)) {} ks))

(defn total [people] (reduce + (map :salary people)))

(defn -main [& args]
  (prn (map :name (sort-by :salary staff)))
  (prn (map :name (sort-by :salary > staff)))
  (prn (map :name (sort-by (fn [p] [(name (:dept p)) (- (:salary p))]) staff)))
  (let [by-dept (group-by :dept staff)]
    (prn (map (fn [[d ps]] [d (map :name ps)]) by-dept))
    (prn (into {} (map (fn [[d ps]] [d (total ps)]) by-dept)))
    (prn (sort-by second > (map (fn [[d ps]] [d (count ps)]) by-dept))))
  (prn (frequencies (all-skills staff)))
  (prn (frequencies (map :dept staff)) (frequencies (map #(count (:skills %)) staff)))
  (prn (group-by #(if (>= (:salary %) 100) :high :low) (map #(pick % [:name :salary]) staff)))
  (prn (sort (keys (group-by (comp first :skills) staff))))
  (prn (get-in (group-by :dept staff) [:eng 2 :skills 1])))
