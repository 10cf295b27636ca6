;; N-body: the Jovian planets around the sun, double arithmetic and sqrt.
;; Written functionally: the system is a vector of bodies, each body a
;; vector [x y z vx vy vz mass], and every step builds new ones.
(def pi 3.141592653589793)
(def solar-mass (* (* 4.0 pi) pi))
(def days-per-year 365.24)

(defn body [x y z vx vy vz mass]
  [x y z (* vx days-per-year) (* vy days-per-year) (* vz days-per-year) (* mass solar-mass)])

(def system
  [(body 0.0 0.0 0.0 0.0 0.0 0.0 1.0)
   (body 4.84143144246472090e+00 -1.16032004402742839e+00 -1.03622044471123109e-01
         1.66007664274403694e-03 7.69901118419740425e-03 -6.90460016972063023e-05
         9.54791938424326609e-04)
   (body 8.34336671824457987e+00 4.12479856412430479e+00 -4.03523417114321381e-01
         -2.76742510726862411e-03 4.99852801234917238e-03 2.30417297573763929e-05
         2.85885980666130812e-04)
   (body 1.28943695621391310e+01 -1.51111514016986312e+01 -2.23307578892655734e-01
         2.96460137564761618e-03 2.37847173959480950e-03 -2.96589568540237556e-05
         4.36624404335156298e-05)
   (body 1.53796971148509165e+01 -2.59193146099879641e+01 1.79258772950371181e-01
         2.68067772490389322e-03 1.62824170038242295e-03 -9.51592254519715870e-05
         5.15138902046611451e-05)])

(defn offset-momentum [bodies]
  (let [[px py pz] (reduce (fn [[px py pz] b]
                             (let [m (nth b 6)]
                               [(+ px (* (nth b 3) m)) (+ py (* (nth b 4) m)) (+ pz (* (nth b 5) m))]))
                           [0.0 0.0 0.0] bodies)
        sun (nth bodies 0)]
    (assoc bodies 0 [(nth sun 0) (nth sun 1) (nth sun 2)
                     (/ (- px) solar-mass) (/ (- py) solar-mass) (/ (- pz) solar-mass) (nth sun 6)])))

(defn energy [bodies]
  (let [n (count bodies)]
    (loop [i 0 e 0.0]
      (if (< i n)
        (let [b (nth bodies i)
              vx (nth b 3) vy (nth b 4) vz (nth b 5) m (nth b 6)
              e (+ e (* (* 0.5 m) (+ (+ (* vx vx) (* vy vy)) (* vz vz))))
              e (loop [j (inc i) e e]
                  (if (< j n)
                    (let [c (nth bodies j)
                          dx (- (nth b 0) (nth c 0)) dy (- (nth b 1) (nth c 1)) dz (- (nth b 2) (nth c 2))]
                      (recur (inc j) (- e (/ (* m (nth c 6)) (Math/sqrt (+ (+ (* dx dx) (* dy dy)) (* dz dz)))))))
                    e))]
          (recur (inc i) e))
        e))))

;; The velocities of bodies i and j after their mutual attraction over dt.
(defn interact [bodies i j dt]
  (let [b (nth bodies i) c (nth bodies j)
        dx (- (nth b 0) (nth c 0)) dy (- (nth b 1) (nth c 1)) dz (- (nth b 2) (nth c 2))
        d2 (+ (+ (* dx dx) (* dy dy)) (* dz dz))
        mag (/ dt (* d2 (Math/sqrt d2)))
        mb (nth b 6) mc (nth c 6)]
    (-> bodies
        (assoc i [(nth b 0) (nth b 1) (nth b 2)
                  (- (nth b 3) (* (* dx mc) mag)) (- (nth b 4) (* (* dy mc) mag)) (- (nth b 5) (* (* dz mc) mag)) mb])
        (assoc j [(nth c 0) (nth c 1) (nth c 2)
                  (+ (nth c 3) (* (* dx mb) mag)) (+ (nth c 4) (* (* dy mb) mag)) (+ (nth c 5) (* (* dz mb) mag)) mc]))))

(defn move [b dt]
  [(+ (nth b 0) (* dt (nth b 3))) (+ (nth b 1) (* dt (nth b 4))) (+ (nth b 2) (* dt (nth b 5)))
   (nth b 3) (nth b 4) (nth b 5) (nth b 6)])

(defn advance [bodies dt]
  (let [n (count bodies)
        pulled (loop [i 0 bs bodies]
                 (if (< i n)
                   (recur (inc i) (loop [j (inc i) bs bs]
                                    (if (< j n) (recur (inc j) (interact bs i j dt)) bs)))
                   bs))]
    (mapv (fn [b] (move b dt)) pulled)))

(defn -main [& args]
  (let [steps 100000
        bodies (offset-momentum system)]
    (println "energy before:" (long (* (energy bodies) 1.0e9)))
    (let [bodies (loop [k 0 bs bodies] (if (< k steps) (recur (inc k) (advance bs 0.01)) bs))]
      (println "energy after:" (long (* (energy bodies) 1.0e9))))))
