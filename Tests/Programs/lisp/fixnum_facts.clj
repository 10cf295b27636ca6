; Results of bit-and with a non-negative constant mask and of right shifts
; by a constant are fixnums whatever the operand (a big long included), so
; the code after them does not test them again; an unsigned shift by 1 of a
; negative long is not one.
(defn bits [x]
  [(bit-and x 255) (inc (bit-and x 255))
   (bit-shift-right x 1) (+ (bit-shift-right x 1) 1) (- (bit-shift-right x 60) 1)
   (unsigned-bit-shift-right x 2) (dec (unsigned-bit-shift-right x 2))
   (unsigned-bit-shift-right x 1) (zero? (bit-and x 65536)) (odd? (bit-shift-right x 3))
   (< (bit-and (bit-shift-right x 12) 255) 100)])

(defn -main [& args]
  (doseq [x [0 1 -1 42 4611686018427387903 -4611686018427387904 9223372036854775807 -9223372036854775808]]
    (println (bits x)))
  (println (bit-and 7.5 3)))
