; Bit operations on longs: fixnums, 64-bit boxed longs at the edges, shift
; counts taken modulo 64 as Java does, n-ary and/or/xor, and as values.
(defn -main [& args]
  (println (bit-and 12 10) (bit-or 12 10) (bit-xor 12 10) (bit-not 12) (bit-not -1))
  (println (bit-and 255 -256) (bit-or -8 3) (bit-xor -1 5) (bit-and 7 14 28) (bit-or 1 2 4 8) (bit-xor 1 3 7))
  (println (bit-shift-left 1 10) (bit-shift-left 1 62) (bit-shift-left 1 63) (bit-shift-left 1 64) (bit-shift-left 3 65))
  (println (bit-shift-left -1 62) (bit-shift-left 4611686018427387903 1) (bit-shift-left 0x7fffffff 33))
  (println (bit-shift-right 1024 3) (bit-shift-right -1024 3) (bit-shift-right -1 63) (bit-shift-right 9223372036854775807 62))
  (println (unsigned-bit-shift-right 1024 3) (unsigned-bit-shift-right -1 1) (unsigned-bit-shift-right -1 60)
           (unsigned-bit-shift-right -9223372036854775808 63) (unsigned-bit-shift-right -1 64))
  (println (bit-and 9223372036854775807 -9223372036854775808) (bit-or 4611686018427387904 1)
           (bit-xor 9223372036854775807 -1) (bit-not 9223372036854775807) (bit-not -4611686018427387905))
  ;; 32-bit words as md5 uses them, held in longs.
  (let [x 0xd76aa478 rotl (fn [x c] (bit-or (bit-and (bit-shift-left x c) 0xffffffff)
                                            (unsigned-bit-shift-right x (- 32 c))))]
    (println (rotl x 7) (rotl x 12) (bit-and (bit-not x) 0xffffffff) (bit-and (+ x x x) 0xffffffff)))
  (println (reduce bit-xor 0 (range 100)) (reduce bit-or (map (fn [k] (bit-shift-left 1 k)) (range 5)))
           (map bit-not [0 1 -1]) (apply bit-and [255 15 60]) (map bit-shift-right [256 -256] [4 4])))
