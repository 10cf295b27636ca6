;; N-body (Chez Scheme peer of nbody.clj): each body a mutable vector
;; #(x y z vx vy vz mass) of flonums, updated in place with flonum operations.
(define pi 3.141592653589793)
(define solar-mass (fl* (fl* 4.0 pi) pi))
(define days-per-year 365.24)

(define (body x y z vx vy vz mass)
  (vector x y z (fl* vx days-per-year) (fl* vy days-per-year) (fl* vz days-per-year) (fl* mass solar-mass)))

(define system
  (vector
   (body 0.0 0.0 0.0 0.0 0.0 0.0 1.0)
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
         5.15138902046611451e-05)))

(define (offset-momentum! bodies)
  (let loop ([i 0] [px 0.0] [py 0.0] [pz 0.0])
    (if (< i (vector-length bodies))
        (let* ([b (vector-ref bodies i)] [m (vector-ref b 6)])
          (loop (+ i 1) (fl+ px (fl* (vector-ref b 3) m)) (fl+ py (fl* (vector-ref b 4) m))
                (fl+ pz (fl* (vector-ref b 5) m))))
        (let ([sun (vector-ref bodies 0)])
          (vector-set! sun 3 (fl/ (fl- px) solar-mass))
          (vector-set! sun 4 (fl/ (fl- py) solar-mass))
          (vector-set! sun 5 (fl/ (fl- pz) solar-mass))))))

(define (energy bodies)
  (let ([n (vector-length bodies)])
    (let loop ([i 0] [e 0.0])
      (if (< i n)
          (let* ([b (vector-ref bodies i)]
                 [vx (vector-ref b 3)] [vy (vector-ref b 4)] [vz (vector-ref b 5)] [m (vector-ref b 6)]
                 [e (fl+ e (fl* (fl* 0.5 m) (fl+ (fl+ (fl* vx vx) (fl* vy vy)) (fl* vz vz))))])
            (let inner ([j (+ i 1)] [e e])
              (if (< j n)
                  (let* ([c (vector-ref bodies j)]
                         [dx (fl- (vector-ref b 0) (vector-ref c 0))]
                         [dy (fl- (vector-ref b 1) (vector-ref c 1))]
                         [dz (fl- (vector-ref b 2) (vector-ref c 2))])
                    (inner (+ j 1) (fl- e (fl/ (fl* m (vector-ref c 6))
                                               (flsqrt (fl+ (fl+ (fl* dx dx) (fl* dy dy)) (fl* dz dz)))))))
                  (loop (+ i 1) e))))
          e))))

(define (advance! bodies dt)
  (let ([n (vector-length bodies)])
    (do ([i 0 (+ i 1)]) ((= i n))
      (let ([b (vector-ref bodies i)])
        (do ([j (+ i 1) (+ j 1)]) ((= j n))
          (let* ([c (vector-ref bodies j)]
                 [dx (fl- (vector-ref b 0) (vector-ref c 0))]
                 [dy (fl- (vector-ref b 1) (vector-ref c 1))]
                 [dz (fl- (vector-ref b 2) (vector-ref c 2))]
                 [d2 (fl+ (fl+ (fl* dx dx) (fl* dy dy)) (fl* dz dz))]
                 [mag (fl/ dt (fl* d2 (flsqrt d2)))]
                 [mb (vector-ref b 6)] [mc (vector-ref c 6)])
            (vector-set! b 3 (fl- (vector-ref b 3) (fl* (fl* dx mc) mag)))
            (vector-set! b 4 (fl- (vector-ref b 4) (fl* (fl* dy mc) mag)))
            (vector-set! b 5 (fl- (vector-ref b 5) (fl* (fl* dz mc) mag)))
            (vector-set! c 3 (fl+ (vector-ref c 3) (fl* (fl* dx mb) mag)))
            (vector-set! c 4 (fl+ (vector-ref c 4) (fl* (fl* dy mb) mag)))
            (vector-set! c 5 (fl+ (vector-ref c 5) (fl* (fl* dz mb) mag)))))))
    (vector-for-each
     (lambda (b)
       (vector-set! b 0 (fl+ (vector-ref b 0) (fl* dt (vector-ref b 3))))
       (vector-set! b 1 (fl+ (vector-ref b 1) (fl* dt (vector-ref b 4))))
       (vector-set! b 2 (fl+ (vector-ref b 2) (fl* dt (vector-ref b 5)))))
     bodies)))

(offset-momentum! system)
(printf "energy before: ~a\n" (exact (truncate (fl* (energy system) 1e9))))
(do ([k 0 (+ k 1)]) ((= k 100000)) (advance! system 0.01))
(printf "energy after: ~a\n" (exact (truncate (fl* (energy system) 1e9))))
