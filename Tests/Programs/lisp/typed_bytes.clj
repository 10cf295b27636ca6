;; Byte arrays claimed by hints or made by byte-array, and wrapping
;; (unchecked) long arithmetic, computed unboxed.
(defn fill! [^bytes bs ^long seed]
  (loop [i 0 x seed]
    (when (< i (alength bs))
      (aset bs i (unchecked-byte (unsigned-bit-shift-right x 16)))
      (recur (inc i) (unchecked-add (unchecked-multiply x 6364136223846793005) 1442695040888963407)))))

(defn checksum [^bytes bs]
  (loop [i 0 h 0]
    (if (< i (alength bs))
      (recur (inc i) (bit-and (unchecked-add (unchecked-multiply h 31) (bit-and (aget bs i) 0xff)) 0xffffffff))
      h)))

(defn signed-sum [^bytes bs]
  (loop [i 0 s 0] (if (< i (alength bs)) (recur (inc i) (+ s (aget bs i))) s)))

(defn -main [& args]
  (let [bs (byte-array 1000)]
    (fill! bs 42)
    (println (checksum bs) (signed-sum bs) (aget bs 0) (aget bs 999) (count bs)))
  (let [small (byte-array [1 -2 127 -128])]
    (aset small 0 (byte 100))
    (aset small 1 (unchecked-byte 255))
    (println (vec small) (checksum small) (alength small)))
  (let [m 9223372036854775807]
    (println (unchecked-add m 1) (unchecked-subtract (- m) 2) (unchecked-multiply m 3)
             (unchecked-inc m) (unchecked-dec (- -1 m)) (unchecked-negate (- -1 m))
             (unchecked-add 1 2.5) (unchecked-byte 200) (unchecked-byte -129) (byte -128))))
