; Hexadecimal integer literals whose digits include e or E are integers,
; not doubles.
(defn -main [& args]
  (println 0x265e5a51 0x4e0811a1 0xE 0x1E -0xe 0xeeeeeeee 0X7FFFFFFFFFFFFFFF)
  (println (+ 0x1e 1) (= 0x1e 30) [0xe 1e1 1.5e2]))
