;; N-body: the Jovian planets around the sun, double arithmetic and sqrt.
;; The system is one double-array, seven slots per body (x y z vx vy vz
;; mass), updated in place as the Chez and SBCL peers update theirs; the
;; ^doubles and ^double hints make the arithmetic primitive (unboxed).
(def pi 3.141592653589793)
(def solar-mass (* (* 4.0 pi) pi))
(def days-per-year 365.24)

(def planets
  [[0.0 0.0 0.0 0.0 0.0 0.0 1.0]
   [4.84143144246472090e+00 -1.16032004402742839e+00 -1.03622044471123109e-01
    1.66007664274403694e-03 7.69901118419740425e-03 -6.90460016972063023e-05
    9.54791938424326609e-04]
   [8.34336671824457987e+00 4.12479856412430479e+00 -4.03523417114321381e-01
    -2.76742510726862411e-03 4.99852801234917238e-03 2.30417297573763929e-05
    2.85885980666130812e-04]
   [1.28943695621391310e+01 -1.51111514016986312e+01 -2.23307578892655734e-01
    2.96460137564761618e-03 2.37847173959480950e-03 -2.96589568540237556e-05
    4.36624404335156298e-05]
   [1.53796971148509165e+01 -2.59193146099879641e+01 1.79258772950371181e-01
    2.68067772490389322e-03 1.62824170038242295e-03 -9.51592254519715870e-05
    5.15138902046611451e-05]])

;; Positions as given; velocities per year; masses in solar masses.
(defn make-system []
  (let [bs (double-array (* 7 (count planets)))]
    (loop [i 0]
      (when (< i (count planets))
        (let [[x y z vx vy vz m] (nth planets i)
              o (* 7 i)]
          (aset bs o (double x)) (aset bs (+ o 1) (double y)) (aset bs (+ o 2) (double z))
          (aset bs (+ o 3) (double (* vx days-per-year))) (aset bs (+ o 4) (double (* vy days-per-year)))
          (aset bs (+ o 5) (double (* vz days-per-year))) (aset bs (+ o 6) (double (* m solar-mass)))
          (recur (inc i)))))
    bs))

(defn offset-momentum! [^doubles bs n]
  (loop [i 0 px 0.0 py 0.0 pz 0.0]
    (if (< i n)
      (let [o (* 7 i) m (aget bs (+ o 6))]
        (recur (inc i) (+ px (* (aget bs (+ o 3)) m)) (+ py (* (aget bs (+ o 4)) m)) (+ pz (* (aget bs (+ o 5)) m))))
      (do (aset bs 3 (double (/ (- px) solar-mass)))
          (aset bs 4 (double (/ (- py) solar-mass)))
          (aset bs 5 (double (/ (- pz) solar-mass)))))))

(defn energy [^doubles bs n]
  (loop [i 0 e 0.0]
    (if (< i n)
      (let [o (* 7 i)
            vx (aget bs (+ o 3)) vy (aget bs (+ o 4)) vz (aget bs (+ o 5)) m (aget bs (+ o 6))
            e (+ e (* (* 0.5 m) (+ (+ (* vx vx) (* vy vy)) (* vz vz))))
            e (loop [j (inc i) e e]
                (if (< j n)
                  (let [p (* 7 j)
                        dx (- (aget bs o) (aget bs p))
                        dy (- (aget bs (+ o 1)) (aget bs (+ p 1)))
                        dz (- (aget bs (+ o 2)) (aget bs (+ p 2)))]
                    (recur (inc j) (- e (/ (* m (aget bs (+ p 6))) (Math/sqrt (+ (+ (* dx dx) (* dy dy)) (* dz dz)))))))
                  e))]
        (recur (inc i) e))
      e)))

;; Every pair pulls on each other over dt, then every body moves.
(defn advance! [^doubles bs n ^double dt]
  (loop [i 0]
    (when (< i n)
      (let [o (* 7 i)]
        (loop [j (inc i)]
          (when (< j n)
            (let [p (* 7 j)
                  dx (- (aget bs o) (aget bs p))
                  dy (- (aget bs (+ o 1)) (aget bs (+ p 1)))
                  dz (- (aget bs (+ o 2)) (aget bs (+ p 2)))
                  d2 (+ (+ (* dx dx) (* dy dy)) (* dz dz))
                  mag (/ dt (* d2 (Math/sqrt d2)))
                  mb (aget bs (+ o 6)) mc (aget bs (+ p 6))]
              (aset bs (+ o 3) (- (aget bs (+ o 3)) (* (* dx mc) mag)))
              (aset bs (+ o 4) (- (aget bs (+ o 4)) (* (* dy mc) mag)))
              (aset bs (+ o 5) (- (aget bs (+ o 5)) (* (* dz mc) mag)))
              (aset bs (+ p 3) (+ (aget bs (+ p 3)) (* (* dx mb) mag)))
              (aset bs (+ p 4) (+ (aget bs (+ p 4)) (* (* dy mb) mag)))
              (aset bs (+ p 5) (+ (aget bs (+ p 5)) (* (* dz mb) mag)))
              (recur (inc j)))))
        (recur (inc i)))))
  (loop [i 0]
    (when (< i n)
      (let [o (* 7 i)]
        (aset bs o (+ (aget bs o) (* dt (aget bs (+ o 3)))))
        (aset bs (+ o 1) (+ (aget bs (+ o 1)) (* dt (aget bs (+ o 4)))))
        (aset bs (+ o 2) (+ (aget bs (+ o 2)) (* dt (aget bs (+ o 5)))))
        (recur (inc i))))))

(defn -main [& args]
  (let [steps 100000
        bs (make-system)
        n (count planets)]
    (offset-momentum! bs n)
    (println "energy before:" (long (* (energy bs n) 1.0e9)))
    (loop [k 0] (when (< k steps) (advance! bs n 0.01) (recur (inc k))))
    (println "energy after:" (long (* (energy bs n) 1.0e9)))))
