; #(...) anonymous functions: % and %1 are the first argument, %2 the
; second, %& the rest; the arity is the highest argument used.
(defn apply-twice [f x] (f (f x)))

(defn -main [& args]
  (prn (map #(* % %) (range 6)))
  (prn (filter #(even? %) [1 2 3 4 5 6]) (remove #(= % :x) [:x :y :x :z]))
  (prn (reduce #(+ %1 (* 2 %2)) 0 [1 2 3]))
  (prn (#(vector %2 %1) :a :b) (#(do %&)) (#(list %1 %&) 1 2 3) (#(count %&) 1 2 3 4))
  (prn (apply-twice #(str % "!") "hi") (#(+ %3 1) 0 0 41))
  (let [base 10
        add-base #(+ base %)
        scale (fn [k] #(* k %))]
    (prn (map add-base [1 2]) (map (scale 3) [1 2 3]) ((comp (scale 2) add-base) 5)))
  (prn (sort-by #(- %) [3 1 2]) (sort #(compare %2 %1) ["b" "c" "a"]))
  (prn (map #(get % :n 0) [{:n 1} {} {:n 3}]) (mapv #(vector % (inc %)) [1 2]))
  (prn (#(if (pos? %) :pos (if (neg? %) :neg :zero)) -5) (#(fn? %) #(+ 1)) (#(:k %) {:k "v"})))
