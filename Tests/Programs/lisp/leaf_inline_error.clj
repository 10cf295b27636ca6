; An error in a function compiled inline at its call is the function's own:
; the message and a backtrace that names it.
(defn scale [x] (+ (* x 3) 1))

(defn -main [& args]
  (println (scale 5) (scale 2.5))
  (let [y (scale "three")] y))
