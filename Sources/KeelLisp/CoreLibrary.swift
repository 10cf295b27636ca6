/// The core library, written in KeelLisp and compiled with every program
/// (only the definitions the program reaches; Analyzer.reachableDefinitions).
/// It is namespace clojure.core: the first-class versions of the intrinsics
/// (so `(reduce + xs)` works) and the higher-order and sequence functions.
/// Inside it, a call by name to an intrinsic is the intrinsic (so `+` is
/// defined with `+`), and `%`-names reach runtime functions directly.
/// Sequence functions are eager and return lists.
enum CoreLibrary {
    static let file = "clojure/core.clj"

    static let source = #"""
(defn identity [x] x)
(defn ex-info ([msg data] {:keel/exception true :message msg :data data}) ([msg data cause] (ex-info msg data)))
(defn ex-message [e] (get e :message))
(defn ex-data [e] (get e :data))
(defn + ([] 0) ([x] (+ x)) ([x y] (+ x y)) ([x y & more] (reduce + (+ x y) more)))
(defn * ([] 1) ([x] (* x)) ([x y] (* x y)) ([x y & more] (reduce * (* x y) more)))
(defn - ([x] (- x)) ([x y] (- x y)) ([x y & more] (reduce - (- x y) more)))
(defn / ([x] (/ x)) ([x y] (/ x y)) ([x y & more] (reduce / (/ x y) more)))
(defn max ([x] x) ([x y] (max x y)) ([x y & more] (reduce max (max x y) more)))
(defn min ([x] x) ([x y] (min x y)) ([x y & more] (reduce min (min x y) more)))
(defn < ([x] true) ([x y] (< x y)) ([x y & more] (if (< x y) (apply < y more) false)))
(defn > ([x] true) ([x y] (> x y)) ([x y & more] (if (> x y) (apply > y more) false)))
(defn <= ([x] true) ([x y] (<= x y)) ([x y & more] (if (<= x y) (apply <= y more) false)))
(defn >= ([x] true) ([x y] (>= x y)) ([x y & more] (if (>= x y) (apply >= y more) false)))
(defn = ([x] true) ([x y] (= x y)) ([x y & more] (if (= x y) (apply = y more) false)))
(defn == ([x] true) ([x y] (== x y)) ([x y & more] (if (== x y) (apply == y more) false)))
(defn not= ([x] false) ([x y] (not= x y)) ([x y & more] (not (apply = x y more))))
(defn inc [x] (inc x))
(defn dec [x] (dec x))
(defn quot [x y] (quot x y))
(defn rem [x y] (rem x y))
(defn mod [x y] (mod x y))
(defn compare [x y] (compare x y))
(defn zero? [x] (zero? x))
(defn pos? [x] (pos? x))
(defn neg? [x] (neg? x))
(defn even? [x] (even? x))
(defn odd? [x] (odd? x))
(defn not [x] (not x))
(defn nil? [x] (nil? x))
(defn some? [x] (some? x))
(defn number? [x] (number? x))
(defn string? [x] (string? x))
(defn keyword? [x] (keyword? x))
(defn map? [x] (map? x))
(defn set? [x] (set? x))
(defn vector? [x] (vector? x))
(defn fn? [x] (fn? x))
(defn seq? [x] (seq? x))
(defn empty? [coll] (empty? coll))
(defn count [coll] (count coll))
(defn first [coll] (first coll))
(defn second [coll] (first (next coll)))
(defn rest [coll] (rest coll))
(defn next [coll] (next coll))
(defn seq [coll] (seq coll))
(defn vec [coll] (vec coll))
(defn keyword
  ([name] (keyword name))
  ([ns name]
   (when-not (and (or (nil? ns) (string? ns)) (string? name))
     (%fail (str "keyword: expected strings, got " (pr-str ns) " and " (pr-str name))))
   (keyword (if (nil? ns) name (str ns "/" name)))))
(defn name [x] (name x))
(defn namespace [x] (namespace x))
(defn fnil
  ([f x]
   (fn ([a] (f (if (nil? a) x a)))
       ([a b] (f (if (nil? a) x a) b))
       ([a b c] (f (if (nil? a) x a) b c))
       ([a b c & ds] (apply f (if (nil? a) x a) b c ds))))
  ([f x y]
   (fn ([a b] (f (if (nil? a) x a) (if (nil? b) y b)))
       ([a b c] (f (if (nil? a) x a) (if (nil? b) y b) c))
       ([a b c & ds] (apply f (if (nil? a) x a) (if (nil? b) y b) c ds))))
  ([f x y z]
   (fn ([a b] (f (if (nil? a) x a) (if (nil? b) y b)))
       ([a b c] (f (if (nil? a) x a) (if (nil? b) y b) (if (nil? c) z c)))
       ([a b c & ds] (apply f (if (nil? a) x a) (if (nil? b) y b) (if (nil? c) z c) ds)))))
(defn hash [x] (hash x))
(defn parse-long [s] (parse-long s))
(defn bit-and ([x y] (bit-and x y)) ([x y & more] (reduce bit-and (bit-and x y) more)))
(defn bit-or ([x y] (bit-or x y)) ([x y & more] (reduce bit-or (bit-or x y) more)))
(defn bit-xor ([x y] (bit-xor x y)) ([x y & more] (reduce bit-xor (bit-xor x y) more)))
(defn bit-not [x] (bit-not x))
(defn bit-shift-left [x n] (bit-shift-left x n))
(defn bit-shift-right [x n] (bit-shift-right x n))
(defn unsigned-bit-shift-right [x n] (unsigned-bit-shift-right x n))
(defn double [x] (double x))
(defn long [x] (long x))
(defn double-array [x] (double-array x))
(defn long-array [x] (long-array x))
(defn aget [a i] (aget a i))
(defn aset [a i v] (aset a i v))
(defn alength [a] (alength a))
(defn byte-array [x] (byte-array x))
(defn unchecked-byte [x] (unchecked-byte x))
(defn byte [x] (byte x))
(defn unchecked-add [x y] (unchecked-add x y))
(defn unchecked-subtract [x y] (unchecked-subtract x y))
(defn unchecked-multiply [x y] (unchecked-multiply x y))
(defn unchecked-inc [x] (unchecked-inc x))
(defn unchecked-dec [x] (unchecked-dec x))
(defn unchecked-negate [x] (unchecked-negate x))
(defn nth ([coll i] (nth coll i)) ([coll i not-found] (nth coll i not-found)))
(defn cons [x coll] (cons x coll))
(defn contains? [coll k] (contains? coll k))
(defn dissoc ([m] m) ([m k] (dissoc m k)) ([m k & ks] (reduce dissoc (dissoc m k) ks)))
(defn disj ([s] s) ([s x] (disj s x)) ([s x & xs] (reduce disj (disj s x) xs)))
(defn pop [coll] (pop coll))
(defn peek [coll] (peek coll))
(defn get ([m k] (get m k)) ([m k default] (get m k default)))
(defn subs ([s start] (subs s start)) ([s start end] (subs s start end)))
(defn conj ([] []) ([coll] coll) ([coll x] (conj coll x)) ([coll x & xs] (reduce conj (conj coll x) xs)))
(defn assoc
  ([m k v] (assoc m k v))
  ([m k v & kvs] (apply assoc (assoc m k v) kvs)))
(defn str [& xs] (%str-of-vector (vec xs)))
(defn pr-str [& xs] (%pr-str-of-vector (vec xs)))
(defn println [& xs] (%println-vector (vec xs)))
(defn print [& xs] (%print-vector (vec xs)))
(defn prn [& xs] (%prn-vector (vec xs)))
(defn pr [& xs] (%pr-vector (vec xs)))
(defn list [& xs] (if xs xs ()))
(defn vector [& xs] (vec xs))
(defn hash-map [& kvs] (%hash-map-of-vector (vec kvs)))
(defn hash-set [& xs] (%set-of-vector (vec xs)))

(defn apply
  ([f args] (%apply f (seq args)))
  ([f a args] (%apply f (cons a args)))
  ([f a b args] (%apply f (cons a (cons b args))))
  ([f a b c args] (%apply f (cons a (cons b (cons c args))))))

; Map destructuring of a seq (keyword arguments, `& {:keys [k]}`): the map
; built from its items as by assoc, or its one item, as Clojure's destructure.
(defn %map-of-seq [s]
  (if (next s) (%map-of-vector (vec s)) (if (seq s) (first s) {})))

(defn reduce
  ([f coll] (let [s (seq coll)] (if s (reduce f (first s) (next s)) (f))))
  ([f init coll]
   (loop [acc init s (seq coll)]
     (if s (recur (f acc (first s)) (next s)) acc))))

(defn reverse [coll]
  (loop [acc () s (seq coll)]
    (if s (recur (cons (first s) acc) (next s)) acc)))

(defn map
  ([f coll]
   (loop [acc () s (seq coll)]
     (if s (recur (cons (f (first s)) acc) (next s)) (%reverse! acc))))
  ([f c1 c2]
   (loop [acc () s1 (seq c1) s2 (seq c2)]
     (if (and s1 s2)
       (recur (cons (f (first s1) (first s2)) acc) (next s1) (next s2))
       (%reverse! acc)))))

(defn mapv [f coll] (vec (map f coll)))

(defn filter [pred coll]
  (loop [acc () s (seq coll)]
    (if s
      (recur (if (pred (first s)) (cons (first s) acc) acc) (next s))
      (%reverse! acc))))

(defn filterv [pred coll] (vec (filter pred coll)))
(defn complement [f] (fn [& args] (not (apply f args))))
(defn remove [pred coll] (filter (complement pred) coll))
(defn constantly [x] (fn [& args] x))

(defn concat [& colls]
  (loop [acc () cs colls]
    (if cs
      (recur (reduce (fn [a x] (cons x a)) acc (first cs)) (next cs))
      (%reverse! acc))))

(defn partial
  ([f] f)
  ([f a] (fn [& args] (apply f a args)))
  ([f a b] (fn [& args] (apply f a b args)))
  ([f a b & more] (fn [& args] (apply f a b (concat more args)))))

(defn comp
  ([] identity)
  ([f] f)
  ([f g] (fn [& args] (f (apply g args))))
  ([f g & fs] (reduce comp (comp f g) fs)))

(defn into [to from] (reduce conj to from))
(defn set [coll] (into #{} coll))

(defn range
  ([end] (range 0 end 1))
  ([start end] (range start end 1))
  ([start end step]
   (when (zero? step) (%fail "range: a step of 0 never ends (lazy sequences are not supported)"))
   (loop [acc () i start]
     (if (if (pos? step) (< i end) (> i end))
       (recur (cons i acc) (+ i step))
       (%reverse! acc)))))

(defn take [n coll]
  (loop [acc () k n s (seq coll)]
    (if (and s (pos? k)) (recur (cons (first s) acc) (dec k) (next s)) (%reverse! acc))))

(defn drop [n coll]
  (loop [k n s (seq coll)]
    (if (and s (pos? k)) (recur (dec k) (next s)) (if s s ()))))

(defn last [coll]
  (loop [s (seq coll)]
    (if (next s) (recur (next s)) (first s))))

(defn some [pred coll]
  (loop [s (seq coll)]
    (when s (or (pred (first s)) (recur (next s))))))

(defn every? [pred coll]
  (loop [s (seq coll)]
    (if s (if (pred (first s)) (recur (next s)) false) true)))

(defn keys [m] (when (seq m) (map first m)))
(defn vals [m] (when (seq m) (map second m)))

(defn merge [& maps]
  (when (some identity maps)
    (reduce (fn [acc m] (if m (into (if acc acc {}) m) acc)) nil maps)))

(defn zipmap [ks vs]
  (loop [m {} k (seq ks) v (seq vs)]
    (if (and k v) (recur (assoc m (first k) (first v)) (next k) (next v)) m)))

(defn frequencies [coll]
  (reduce (fn [m x] (assoc m x (inc (get m x 0)))) {} coll))

(defn group-by [f coll]
  (reduce (fn [m x] (let [k (f x)] (assoc m k (conj (get m k []) x)))) {} coll))

(defn get-in
  ([m ks] (reduce get m ks))
  ([m ks not-found]
   (loop [m m s (seq ks)]
     (if s
       (if (contains? m (first s)) (recur (get m (first s)) (next s)) not-found)
       m))))

(defn assoc-in [m ks v]
  (let [k (first ks) more (next ks)]
    (if more (assoc m k (assoc-in (get m k) more v)) (assoc m k v))))

(defn update
  ([m k f] (assoc m k (f (get m k))))
  ([m k f & args] (assoc m k (apply f (get m k) args))))

(defn update-in [m ks f & args]
  (let [k (first ks) more (next ks)]
    (if more
      (assoc m k (apply update-in (get m k) more f args))
      (assoc m k (apply f (get m k) args)))))

(defn %before? [cmp a b]
  (let [r (cmp a b)] (if (number? r) (neg? r) r)))

(defn %merge-sorted [cmp a b]
  (loop [acc () a (seq a) b (seq b)]
    (cond (nil? a) (concat (reverse acc) b)
          (nil? b) (concat (reverse acc) a)
          (%before? cmp (first b) (first a)) (recur (cons (first b) acc) a (next b))
          :else (recur (cons (first a) acc) (next a) b))))

(defn sort
  ([coll] (sort compare coll))
  ([cmp coll]
   (let [s (seq coll) n (count s)]
     (if (< n 2)
       (if s s ())
       (let [h (quot n 2)]
         (%merge-sorted cmp (sort cmp (take h s)) (sort cmp (drop h s))))))))

(defn sort-by
  ([keyfn coll] (sort-by keyfn compare coll))
  ([keyfn cmp coll] (sort (fn [a b] (cmp (keyfn a) (keyfn b))) coll)))
"""#
}
