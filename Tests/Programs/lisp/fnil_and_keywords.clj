; fnil (a default for nil arguments), keyword of a namespace and a name,
; namespace, and name of qualified keywords and symbols; keyword of a
; symbol, and of anything else nil.
(defn tally [words]
  (reduce (fn [m w] (update m w (fnil inc 0))) {} words))

(defn -main [& args]
  (prn (tally [:a :b :a :c :a]))
  (prn ((fnil + 1) nil 2) ((fnil + 1 2) nil nil) ((fnil + 1 2 3) nil nil nil) ((fnil + 0) 5 6 7 8)
       ((fnil conj []) nil :x) ((fnil conj []) [1] 2))
  (prn (update-in {} [:inventory :apples] (fnil + 0) 3)
       (update {:list nil} :list (fnil conj '()) 1))
  (let [k (keyword "user" "id")]
    (prn k (namespace k) (name k) (= k :user/id) (keyword nil "plain") (keyword "x"))
    (prn (get {:user/id 7 :id 8} k) (get {:user/id 7 :id 8} :id)))
  (prn (namespace :plain) (name :plain) (namespace 'my.ns/sym) (name 'my.ns/sym) (name "str"))
  (prn (map namespace [:a/b :c :d.e/f]) (map name [:a/b :c :d.e/f]))
  (prn (sort-by name [:z/a :a/c :m/b]) (group-by namespace [:x/a :y/b :x/c :d]))
  (prn (keyword nil) (keyword 5) (keyword 'sym) (keyword 'a/b) (keyword :k) (map keyword ["x" nil 'y])))
