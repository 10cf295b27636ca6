;;; N-body (SBCL peer of nbody.clj): a struct of double-float slots per
;;; body, updated in place.
(declaim (optimize speed))

(defconstant +pi+ 3.141592653589793d0)
(defconstant +solar-mass+ (* (* 4d0 +pi+) +pi+))
(defconstant +days-per-year+ 365.24d0)

(defstruct (body (:constructor %make-body (x y z vx vy vz mass)))
  (x 0d0 :type double-float) (y 0d0 :type double-float) (z 0d0 :type double-float)
  (vx 0d0 :type double-float) (vy 0d0 :type double-float) (vz 0d0 :type double-float)
  (mass 0d0 :type double-float))

(defun make-body (x y z vx vy vz mass)
  (%make-body x y z (* vx +days-per-year+) (* vy +days-per-year+) (* vz +days-per-year+)
              (* mass +solar-mass+)))

(defparameter *system*
  (vector
   (make-body 0d0 0d0 0d0 0d0 0d0 0d0 1d0)
   (make-body 4.84143144246472090d+00 -1.16032004402742839d+00 -1.03622044471123109d-01
              1.66007664274403694d-03 7.69901118419740425d-03 -6.90460016972063023d-05
              9.54791938424326609d-04)
   (make-body 8.34336671824457987d+00 4.12479856412430479d+00 -4.03523417114321381d-01
              -2.76742510726862411d-03 4.99852801234917238d-03 2.30417297573763929d-05
              2.85885980666130812d-04)
   (make-body 1.28943695621391310d+01 -1.51111514016986312d+01 -2.23307578892655734d-01
              2.96460137564761618d-03 2.37847173959480950d-03 -2.96589568540237556d-05
              4.36624404335156298d-05)
   (make-body 1.53796971148509165d+01 -2.59193146099879641d+01 1.79258772950371181d-01
              2.68067772490389322d-03 1.62824170038242295d-03 -9.51592254519715870d-05
              5.15138902046611451d-05)))

(defun offset-momentum (bodies)
  (declare (simple-vector bodies))
  (let ((px 0d0) (py 0d0) (pz 0d0))
    (declare (double-float px py pz))
    (loop for b across bodies
          do (incf px (* (body-vx b) (body-mass b)))
             (incf py (* (body-vy b) (body-mass b)))
             (incf pz (* (body-vz b) (body-mass b))))
    (let ((sun (aref bodies 0)))
      (setf (body-vx sun) (/ (- px) +solar-mass+)
            (body-vy sun) (/ (- py) +solar-mass+)
            (body-vz sun) (/ (- pz) +solar-mass+)))))

(defun energy (bodies)
  (declare (simple-vector bodies))
  (let ((e 0d0) (n (length bodies)))
    (declare (double-float e))
    (dotimes (i n e)
      (let* ((b (aref bodies i)) (vx (body-vx b)) (vy (body-vy b)) (vz (body-vz b)) (m (body-mass b)))
        (setf e (+ e (* (* 0.5d0 m) (+ (+ (* vx vx) (* vy vy)) (* vz vz)))))
        (loop for j from (1+ i) below n
              do (let* ((c (aref bodies j))
                        (dx (- (body-x b) (body-x c))) (dy (- (body-y b) (body-y c))) (dz (- (body-z b) (body-z c))))
                   (setf e (- e (/ (* m (body-mass c)) (sqrt (+ (+ (* dx dx) (* dy dy)) (* dz dz))))))))))))

(defun advance (bodies dt)
  (declare (simple-vector bodies) (double-float dt))
  (let ((n (length bodies)))
    (dotimes (i n)
      (let ((b (aref bodies i)))
        (loop for j from (1+ i) below n
              do (let* ((c (aref bodies j))
                        (dx (- (body-x b) (body-x c))) (dy (- (body-y b) (body-y c))) (dz (- (body-z b) (body-z c)))
                        (d2 (+ (+ (* dx dx) (* dy dy)) (* dz dz)))
                        (mag (/ dt (* d2 (sqrt d2))))
                        (mb (body-mass b)) (mc (body-mass c)))
                   (declare (type (double-float 0d0) d2))
                   (setf (body-vx b) (- (body-vx b) (* (* dx mc) mag))
                         (body-vy b) (- (body-vy b) (* (* dy mc) mag))
                         (body-vz b) (- (body-vz b) (* (* dz mc) mag))
                         (body-vx c) (+ (body-vx c) (* (* dx mb) mag))
                         (body-vy c) (+ (body-vy c) (* (* dy mb) mag))
                         (body-vz c) (+ (body-vz c) (* (* dz mb) mag)))))))
    (loop for b across bodies
          do (setf (body-x b) (+ (body-x b) (* dt (body-vx b)))
                   (body-y b) (+ (body-y b) (* dt (body-vy b)))
                   (body-z b) (+ (body-z b) (* dt (body-vz b)))))))

(offset-momentum *system*)
(format t "energy before: ~a~%" (truncate (* (energy *system*) 1d9)))
(dotimes (k 100000) (advance *system* 0.01d0))
(format t "energy after: ~a~%" (truncate (* (energy *system*) 1d9)))
