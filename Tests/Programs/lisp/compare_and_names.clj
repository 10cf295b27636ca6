; compare's values and orders as Clojure's: keywords by namespace then name,
; strings as Java's compareTo, characters, booleans, vectors by count;
; names split at the first '/'; #() and keyword-argument corners.
(defn -main [& args]
  (prn (sort [:b :a/z :a :c/a]) (sort ["b" "B" "a" "é"]) (sort [\b \a \Z]) (sort [true false true]))
  (prn (sort-by count ["ccc" "a" "bb"]) (sort > [3 1 2]) (sort-by identity #(compare %2 %1) [1 3 2]))
  (prn (name :a/b/c) (namespace :a/b/c) (keyword "a/b") (namespace (keyword "a/b")) (name '/) (namespace '/))
  (prn (#(do [% %2]) 1 2) (map #(vector %1) [1 2]) (#(identity %&)) (#(apply + %&) 1 2 3))
  (prn ((fn [a & {:as m}] [a m]) 1 :x 1 :x 2) ((fn [& {:keys [a] :or {a 3}}] a) {:a 4}) ((fn [& {:keys [a]}] a) nil))
  (let [{:keys [a]} '()] (prn a))
  (let [{:keys [a] :as all} (list :a 1)] (prn a all))
  (prn (compare [] []) (compare [1] []) (compare "" "a") (compare :a :a) (compare 'a/b 'a/c))
  (prn (update {:a nil} :a (fnil inc 10)) ((fnil (fn [a b c d] [a b c d]) 0) nil 1 2 3) ((fnil vector 1 2) nil nil 3 4 5)))
