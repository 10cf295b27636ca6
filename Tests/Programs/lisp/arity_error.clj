; A wrong number of arguments names the function.
(defn pair [a b] [a b])
(defn call-with-three [f] (let [r (f 1 2 3)] r))  ; not a tail call: its frame stays in the backtrace
(defn -main [& args]
  (prn (pair 1 2))
  (let [r (call-with-three pair)] r))  ; not a tail call: its frame stays in the backtrace
