; get-in, assoc-in, update-in and update on nested maps and vectors
(defn -main [& args]
  (let [db {:users {"ann" {:age 30 :tags [:admin]}
                    "bob" {:age 25 :tags []}}}
        db2 (-> db
                (assoc-in [:users "cy" :age] 41)
                (update-in [:users "ann" :age] + 1)
                (update-in [:users "bob" :tags] conj :new)
                (assoc :count 1))]
    (prn (get-in db2 [:users "ann" :age]))
    (prn (get-in db2 [:users "cy"]))
    (prn (get-in db2 [:users "bob" :tags]))
    (prn (get-in db2 [:users "zed" :age] :missing))
    (prn (:count db2))
    (prn (assoc-in [[1 2] [3 4]] [1 0] :x))
    (prn (update [1 2 3] 2 * 10))))
