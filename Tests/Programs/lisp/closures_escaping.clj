; Closures that escape their scope: counters whose state is threaded
; through returned maps of fns, closures stored in collections and called
; later, closures over loop variables, and fns returning fns.
(defn make-account [balance]
  {:balance (fn [] balance)
   :deposit (fn [n] (make-account (+ balance n)))
   :withdraw (fn [n] (if (> n balance) [:insufficient (make-account balance)] [:ok (make-account (- balance n))]))})

(defn adders [n] (loop [i 0 fs []] (if (< i n) (recur (inc i) (conj fs (fn [x] (+ x i)))) fs)))

(defn memo-fib []
  (let [step (fn [[a b]] [b (+ a b)])]
    (fn [n] (first (reduce (fn [p _] (step p)) [0 1] (range n))))))

(defn pipeline [& fs] (fn [x] (reduce (fn [acc f] (f acc)) x fs)))

(defn -main [& args]
  (let [acct ((:deposit (make-account 10)) 5)
        [status acct2] ((:withdraw acct) 20)
        [status2 acct3] ((:withdraw acct2) 7)]
    (prn ((:balance acct)) status ((:balance acct2)) status2 ((:balance acct3))))
  (prn (map #(% 100) (adders 4)))
  (let [fib (memo-fib)] (prn (map fib (range 10)) (fib 90)))
  (let [table {:double #(* 2 %) :square #(* % %) :neg -}
        ops [:double :square :neg :double]]
    (prn (reduce (fn [x op] ((get table op) x)) 3 ops)))
  (prn ((pipeline inc #(* 10 %) str) 4) ((pipeline) :same))
  (let [make-greeter (fn [greeting] (fn [name] (fn [punct] (str greeting ", " name punct))))
        hello (make-greeter "Hello")
        hello-ann (hello "Ann")]
    (prn (hello-ann "!") ((hello "Bo") "?") (((make-greeter "Hi") "Cy") "."))))
