; 32-bit mixing in the style of MD5 over a long-array: the state and the
; message words live in long-arrays, updated in place with aset.

(def mask32 4294967295)

(defn add32 [a b] (bit-and (+ a b) mask32))

(defn rotl32 [x c]
  (bit-and (bit-or (bit-shift-left x c) (unsigned-bit-shift-right x (- 32 c))) mask32))

(defn message-words [n seed]
  (let [m (long-array n)]
    (loop [i 0 x seed]
      (when (< i n)
        (aset m i (bit-and x mask32))
        (recur (inc i) (bit-and (+ (* x 1103515245) 12345) 2147483647))))
    m))

(def shifts (long-array [7 12 17 22 5 9 14 20 4 11 16 23 6 10 15 21]))

(defn f-round [round b c d]
  (case round
    0 (bit-or (bit-and b c) (bit-and (bit-not b) d))
    1 (bit-or (bit-and b d) (bit-and c (bit-not d)))
    2 (bit-xor b c d)
    (bit-xor c (bit-or b (bit-and (bit-not d) mask32)))))

(defn digest [m]
  (let [state (long-array [1732584193 4023233417 2562383102 271733878])
        n (alength m)]
    (loop [block 0]
      (when (< block n)
        (let [a0 (aget state 0) b0 (aget state 1) c0 (aget state 2) d0 (aget state 3)]
          (loop [i 0 a a0 b b0 c c0 d d0]
            (if (< i 64)
              (let [round (quot i 16)
                    g (mod (+ block (* i 7)) n)
                    f (bit-and (f-round round b c d) mask32)
                    s (aget shifts (+ (* 4 round) (mod i 4)))
                    t (add32 (add32 a f) (add32 (aget m g) (* i 2654435761)))]
                (recur (inc i) d (add32 b (rotl32 t s)) b c))
              (do (aset state 0 (add32 a0 a))
                  (aset state 1 (add32 b0 b))
                  (aset state 2 (add32 c0 c))
                  (aset state 3 (add32 d0 d))))))
        (recur (+ block 16))))
    state))

(defn hex32 [x]
  (let [digits "0123456789abcdef"]
    (loop [i 7 out ""]
      (if (< i 0)
        out
        (recur (dec i) (str out (subs digits (bit-and (unsigned-bit-shift-right x (* 4 i)) 15)
                                       (inc (bit-and (unsigned-bit-shift-right x (* 4 i)) 15)))))))))

(defn -main [& args]
  (doseq [[n seed] [[16 1] [32 42] [64 20260101]]]
    (let [m (message-words n seed)
          st (digest m)]
      (println n seed (alength st) (apply str (map hex32 [(aget st 0) (aget st 1) (aget st 2) (aget st 3)])))))
  (let [m (message-words 16 7)
        before (aget m 5)]
    (aset m 5 (bit-xor before 1))
    (println "flipped" (= before (aget m 5)) (hex32 (aget (digest m) 0)))))
