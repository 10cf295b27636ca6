;; The Clojure peer of statemachine.clj: the JVM has no tail calls, so the
;; idiomatic way to run mutually recursive states in constant stack is to
;; return the next transition as a thunk and run them with trampoline.
(declare state-b state-c state-d)

(defn step [x] (mod (+ (* x 1103515245) 12345) 2147483648))

(defn state-a [n x acc]
  (if (zero? n)
    acc
    (let [y (step x)]
      (case (bit-and (bit-shift-right y 16) 3)
        0 #(state-b (dec n) y (+ acc 1))
        1 #(state-c (dec n) y acc)
        #(state-d (dec n) y (+ acc 3))))))

(defn state-b [n x acc]
  (if (zero? n)
    acc
    (let [y (step x)]
      (if (zero? (bit-and y 65536))
        #(state-a (dec n) y (+ acc 2))
        #(state-c (dec n) y (- acc 1))))))

(defn state-c [n x acc]
  (if (zero? n)
    acc
    (let [y (step x)]
      (if (< (bit-and (bit-shift-right y 12) 255) 100)
        #(state-d (dec n) y (bit-xor acc 5))
        #(state-a (dec n) y (+ acc 7))))))

(defn state-d [n x acc]
  (if (zero? n)
    acc
    (let [y (step x)]
      (if (odd? (bit-shift-right y 20))
        #(state-b (dec n) y (+ acc 11))
        #(state-c (dec n) y acc)))))

(defn -main [& args]
  (println "state machine:" (trampoline state-a 30000000 42 0)))
