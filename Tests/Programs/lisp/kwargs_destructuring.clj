; Keyword arguments: a map pattern after & destructures the rest of the
; arguments as a map built from them (Clojure's destructure), a lone map
; argument as itself, and no arguments as nil.
(defn connect [host & {:keys [port timeout] :or {port 80 timeout 30} :as opts}]
  [host port timeout opts])

(defn tagged [& {:strs [tag] :as all}]
  [tag all])

(defn render [title & {:keys [width border]}]
  (str title ":" (if width width "auto") (when border "+border")))

(defn -main [& args]
  (prn ((fn [& {:keys [k]}] k) :k 9))
  (prn (connect "a") (connect "b" :port 8080) (connect "c" :timeout 5 :port 1))
  (prn (connect "d" {:port 443}))
  (prn (tagged "tag" "x" "n" 1) (tagged))
  (prn (render "t") (render "t" :width 3) (render "t" :border true :width 7))
  (prn (map (fn [[k v]] (str (name k) "=" v)) (nth (connect "e" :port 1 :timeout 2) 3)))
  (let [{:keys [a b]} (list :a 1 :b 2)
        {:keys [c] :or {c :none}} (list)
        {:keys [d]} (list {:d 4})
        {x :x} (seq [:x 10 :x 11])]
    (prn a b c d x))
  (prn (seq? (list 1)) (seq? ()) (seq? [1]) (seq? {:a 1}) (seq? nil) (seq? (rest [1 2])) (seq? (map inc [1])))
  (prn (filter seq? [(list 1) [2] nil (cons 3 nil) #{4}])))
