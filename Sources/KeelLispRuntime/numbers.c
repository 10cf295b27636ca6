/* Arithmetic with Clojure's long semantics: fixnums fast, boxed longs
 * outside 63 bits, "integer overflow" beyond 64; doubles contaminate. */
#include <math.h>
#include <string.h>
#include "KeelLisp.h"

static void check_number(const char *op, kl_value v) {
    if (!kl_is_number(v))
        kl_error("ClassCastException", "%s: %s cannot be cast to java.lang.Number", op, kl_type_name(v));
}

static double as_double(kl_value v) {
    int64_t n;
    if (kl_long_value(v, &n)) return (double)n;
    return kl_double_value(v);
}

static _Noreturn void overflow(void) { kl_error("ArithmeticException", "integer overflow"); }

enum op { ADD, SUB, MUL };

static kl_value arith(const char *name, enum op op, kl_value a, kl_value b) {
    int64_t x, y, r;
    /* Two doubles (nbody's whole diet): straight to the boxed result. */
    if (kl_layout(a) == &kl_double_layout && kl_layout(b) == &kl_double_layout) {
        double p = kl_double_value(a), q = kl_double_value(b);
        return kl_box_double(op == ADD ? p + q : op == SUB ? p - q : p * q);
    }
    if (kl_long_value(a, &x) && kl_long_value(b, &y)) {
        int bad = op == ADD ? __builtin_add_overflow(x, y, &r)
                  : op == SUB ? __builtin_sub_overflow(x, y, &r)
                              : __builtin_mul_overflow(x, y, &r);
        if (bad) overflow();
        return kl_integer(r);
    }
    check_number(name, a);
    check_number(name, b);
    double p = as_double(a), q = as_double(b);
    return kl_box_double(op == ADD ? p + q : op == SUB ? p - q : p * q);
}

kl_value kl_add_impl(kl_value a, kl_value b) {
    if (kl_is_fixnum(a & b)) {
        int64_t s = kl_fixnum_value(a) + kl_fixnum_value(b); /* cannot overflow 64 bits */
        if (s >= KL_FIXNUM_MIN && s <= KL_FIXNUM_MAX) return kl_fixnum(s);
    }
    return arith("+", ADD, a, b);
}
kl_value kl_sub_impl(kl_value a, kl_value b) { return arith("-", SUB, a, b); }
kl_value kl_mul_impl(kl_value a, kl_value b) { return arith("*", MUL, a, b); }
kl_value kl_inc_impl(kl_value a) { return arith("inc", ADD, a, kl_fixnum(1)); }
kl_value kl_dec_impl(kl_value a) { return arith("dec", SUB, a, kl_fixnum(1)); }
kl_value kl_neg_impl(kl_value a) {
    if (kl_layout(a) == &kl_double_layout) return kl_box_double(-kl_double_value(a)); /* -0.0 for 0.0, as Clojure */
    return arith("-", SUB, kl_fixnum(0), a);
}

/* unchecked-add, unchecked-subtract, unchecked-multiply, unchecked-inc,
 * unchecked-dec, unchecked-negate: on two longs, 64-bit two's complement
 * wrapping (no overflow error); with a double operand, as + - * on
 * doubles; anything else is the error of + - *. A wrapped long outside the
 * fixnum range is boxed: may collect. */
static kl_value unchecked(const char *name, enum op op, kl_value a, kl_value b) {
    int64_t x, y;
    if (kl_long_value(a, &x) && kl_long_value(b, &y)) {
        uint64_t p = (uint64_t)x, q = (uint64_t)y;
        return kl_integer((int64_t)(op == ADD ? p + q : op == SUB ? p - q : p * q));
    }
    check_number(name, a);
    check_number(name, b);
    double p = as_double(a), q = as_double(b);
    return kl_box_double(op == ADD ? p + q : op == SUB ? p - q : p * q);
}
kl_value kl_unchecked_add_impl(kl_value a, kl_value b) { return unchecked("unchecked-add", ADD, a, b); }
kl_value kl_unchecked_subtract_impl(kl_value a, kl_value b) { return unchecked("unchecked-subtract", SUB, a, b); }
kl_value kl_unchecked_multiply_impl(kl_value a, kl_value b) { return unchecked("unchecked-multiply", MUL, a, b); }
kl_value kl_unchecked_inc_impl(kl_value a) { return unchecked("unchecked-inc", ADD, a, kl_fixnum(1)); }
kl_value kl_unchecked_dec_impl(kl_value a) { return unchecked("unchecked-dec", SUB, a, kl_fixnum(1)); }
kl_value kl_unchecked_negate_impl(kl_value a) {
    if (kl_layout(a) == &kl_double_layout) return kl_box_double(-kl_double_value(a)); /* -0.0 for 0.0, as Clojure */
    return unchecked("unchecked-negate", SUB, kl_fixnum(0), a);
}

/* `/`: exact integer division gives an integer; ratios are not supported. */
kl_value kl_div_impl(kl_value a, kl_value b) {
    int64_t x, y;
    if (kl_long_value(a, &x) && kl_long_value(b, &y)) {
        if (y == 0) kl_error("ArithmeticException", "Divide by zero");
        if (x == INT64_MIN && y == -1) overflow();
        if (x % y != 0)
            kl_error("ArithmeticException", "/: %lld/%lld is not an integer (ratios are not supported)",
                     (long long)x, (long long)y);
        return kl_integer(x / y);
    }
    check_number("/", a);
    check_number("/", b);
    double q = as_double(b);
    return kl_box_double(as_double(a) / q);
}

static void integer_operands(const char *name, kl_value a, kl_value b, int64_t *x, int64_t *y) {
    if (!kl_long_value(a, x) || !kl_long_value(b, y)) {
        kl_value bad = kl_long_value(a, x) ? b : a;
        kl_error("IllegalArgumentException", "%s: expected integers, got %s", name, kl_type_name(bad));
    }
    if (*y == 0) kl_error("ArithmeticException", "Divide by zero");
}

/* quot, rem and mod with a double operand, as Clojure's Numbers: the
 * quotient truncated toward zero, the remainder n - q*d, and mod's result
 * moved to the divisor's side when the dividend's sign differs from it. */
enum division { QUOT, REM, MOD };
static int has_double_operand(kl_value a, kl_value b) {
    return kl_is_number(a) && kl_is_number(b) && (kl_layout(a) == &kl_double_layout || kl_layout(b) == &kl_double_layout);
}
static kl_value double_division(enum division op, kl_value a, kl_value b) {
    double n = as_double(a), d = as_double(b);
    if (d == 0) kl_error("ArithmeticException", "Divide by zero");
    double q = trunc(n / d);
    if (op == QUOT) return kl_box_double(q);
    double m = n - q * d;
    if (op == MOD && m != 0 && (n > 0) != (d > 0)) m += d;
    return kl_box_double(m);
}

kl_value kl_quot_impl(kl_value a, kl_value b) {
    int64_t x, y;
    if (has_double_operand(a, b)) return double_division(QUOT, a, b);
    integer_operands("quot", a, b, &x, &y);
    if (x == INT64_MIN && y == -1) overflow();
    return kl_integer(x / y);
}
kl_value kl_rem_impl(kl_value a, kl_value b) {
    int64_t x, y;
    if (has_double_operand(a, b)) return double_division(REM, a, b);
    integer_operands("rem", a, b, &x, &y);
    if (y == -1) return kl_fixnum(0);
    return kl_integer(x % y);
}
kl_value kl_mod_impl(kl_value a, kl_value b) {
    int64_t x, y;
    if (has_double_operand(a, b)) return double_division(MOD, a, b);
    integer_operands("mod", a, b, &x, &y);
    if (y == -1) return kl_fixnum(0);
    int64_t m = x % y;
    if (m != 0 && ((m < 0) != (y < 0))) m += y;
    return kl_integer(m);
}

/* Comparison of two numbers: -1, 0, 1 (NaN compares unordered: 2). */
static int compare(const char *name, kl_value a, kl_value b) {
    int64_t x, y;
    /* Two fixnums: tagged words order as their values do. */
    if (kl_is_fixnum(a & b)) return (int64_t)a < (int64_t)b ? -1 : a != b;
    if (kl_long_value(a, &x) && kl_long_value(b, &y)) return x < y ? -1 : x > y;
    check_number(name, a);
    check_number(name, b);
    double p = as_double(a), q = as_double(b);
    if (isnan(p) || isnan(q)) return 2;
    return p < q ? -1 : p > q;
}

int kl_lt(kl_value a, kl_value b) { return compare("<", a, b) == -1; }
int kl_gt(kl_value a, kl_value b) { return compare(">", a, b) == 1; }
int kl_le(kl_value a, kl_value b) { int c = compare("<=", a, b); return c == -1 || c == 0; }
int kl_ge(kl_value a, kl_value b) { int c = compare(">=", a, b); return c == 1 || c == 0; }
int kl_num_eq(kl_value a, kl_value b) { return compare("==", a, b) == 0; }

static int sign(const char *name, kl_value a) { return compare(name, a, kl_fixnum(0)); }
int kl_zero_p(kl_value a) { return sign("zero?", a) == 0; }
int kl_pos_p(kl_value a) { return sign("pos?", a) == 1; }
int kl_neg_p(kl_value a) { return sign("neg?", a) == -1; }

int kl_even_p(kl_value a) {
    int64_t x;
    if (!kl_long_value(a, &x)) kl_error("IllegalArgumentException", "Argument must be an integer: %s", kl_type_name(a));
    return (x & 1) == 0;
}
int kl_odd_p(kl_value a) { return !kl_even_p(a); }

/* max/min return one of their arguments: no allocation. */
kl_value kl_max2(kl_value a, kl_value b) { return compare("max", a, b) == -1 ? b : a; }
kl_value kl_min2(kl_value a, kl_value b) { return compare("min", a, b) == 1 ? b : a; }

/* (parse-long s): the integer a whole string of decimal digits (optional
 * sign) denotes, nil when it is not one or is out of the 64-bit range. */
kl_value kl_parse_long_impl(kl_value s) {
    if (!kl_is_string(s)) kl_error("IllegalArgumentException", "parse-long: expected a string, got %s", kl_type_name(s));
    const char *p = kl_string_bytes(s);
    int64_t n = kl_string_length(s), i = 0, value = 0;
    int negative = 0;
    if (n > 0 && (p[0] == '-' || p[0] == '+')) { negative = p[0] == '-'; i = 1; }
    if (i == n) return KL_NIL;
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return KL_NIL;
        if (__builtin_mul_overflow(value, 10, &value) ||
            (negative ? __builtin_sub_overflow(value, p[i] - '0', &value) : __builtin_add_overflow(value, p[i] - '0', &value)))
            return KL_NIL;
    }
    return kl_integer(value);
}

/* The fixnum fast paths, which never allocate (so calls to them are not
 * safepoints): the result, or KL_UNBOUND when the operands are not both
 * fixnums or the result leaves the fixnum range; compiled code then calls
 * the full function (boxing, doubles, errors). */
static kl_value fixnum_or_unbound(int64_t r, int overflowed) {
    return !overflowed && r >= KL_FIXNUM_MIN && r <= KL_FIXNUM_MAX ? kl_fixnum(r) : KL_UNBOUND;
}
kl_value kl_add_fixnum(kl_value a, kl_value b) {
    if (!kl_is_fixnum(a & b)) return KL_UNBOUND;
    return fixnum_or_unbound(kl_fixnum_value(a) + kl_fixnum_value(b), 0);
}
kl_value kl_sub_fixnum(kl_value a, kl_value b) {
    if (!kl_is_fixnum(a & b)) return KL_UNBOUND;
    return fixnum_or_unbound(kl_fixnum_value(a) - kl_fixnum_value(b), 0);
}
kl_value kl_mul_fixnum(kl_value a, kl_value b) {
    int64_t r;
    if (!kl_is_fixnum(a & b)) return KL_UNBOUND;
    int overflowed = __builtin_mul_overflow(kl_fixnum_value(a), kl_fixnum_value(b), &r);
    return fixnum_or_unbound(r, overflowed);
}
kl_value kl_inc_fixnum(kl_value a) { return kl_is_fixnum(a) ? fixnum_or_unbound(kl_fixnum_value(a) + 1, 0) : KL_UNBOUND; }
kl_value kl_dec_fixnum(kl_value a) { return kl_is_fixnum(a) ? fixnum_or_unbound(kl_fixnum_value(a) - 1, 0) : KL_UNBOUND; }

/* Bit operations on longs, as Clojure's: anything but an integer is an
 * error; shift counts use their low 6 bits (Java's << >> >>>). */
static int64_t bit_operand(kl_value v) {
    int64_t n;
    if (!kl_long_value(v, &n))
        kl_error("IllegalArgumentException", "bit operation not supported for: class %s", kl_type_name(v));
    return n;
}
kl_value kl_bit_and_impl(kl_value a, kl_value b) { return kl_integer(bit_operand(a) & bit_operand(b)); }
kl_value kl_bit_or_impl(kl_value a, kl_value b) { return kl_integer(bit_operand(a) | bit_operand(b)); }
kl_value kl_bit_xor_impl(kl_value a, kl_value b) { return kl_integer(bit_operand(a) ^ bit_operand(b)); }
kl_value kl_bit_not_impl(kl_value a) { return kl_integer(~bit_operand(a)); }
kl_value kl_bit_shift_left_impl(kl_value a, kl_value n) {
    return kl_integer((int64_t)((uint64_t)bit_operand(a) << (bit_operand(n) & 63)));
}
kl_value kl_bit_shift_right_impl(kl_value a, kl_value n) { return kl_integer(bit_operand(a) >> (bit_operand(n) & 63)); }
kl_value kl_unsigned_bit_shift_right_impl(kl_value a, kl_value n) {
    return kl_integer((int64_t)((uint64_t)bit_operand(a) >> (bit_operand(n) & 63)));
}

/* Fixnum fast paths of the bit operations (never allocate): and, or, xor
 * and not of fixnums are fixnums; a right shift of a non-negative fixnum
 * stays one. Anything else goes to the full function. */
kl_value kl_bit_and_fixnum(kl_value a, kl_value b) { return kl_is_fixnum(a & b) ? (a & b) : KL_UNBOUND; }
kl_value kl_bit_or_fixnum(kl_value a, kl_value b) { return kl_is_fixnum(a & b) ? (a | b) : KL_UNBOUND; }
kl_value kl_bit_xor_fixnum(kl_value a, kl_value b) { return kl_is_fixnum(a & b) ? ((a ^ b) | 1) : KL_UNBOUND; }
kl_value kl_bit_not_fixnum(kl_value a) { return kl_is_fixnum(a) ? kl_fixnum(~kl_fixnum_value(a)) : KL_UNBOUND; }
kl_value kl_bit_shift_left_fixnum(kl_value a, kl_value n) {
    if (!kl_is_fixnum(a & n)) return KL_UNBOUND;
    int64_t x = kl_fixnum_value(a), s = kl_fixnum_value(n) & 63;
    int64_t r = (int64_t)((uint64_t)x << s);
    return s < 62 && (r >> s) == x ? fixnum_or_unbound(r, 0) : KL_UNBOUND;
}
kl_value kl_bit_shift_right_fixnum(kl_value a, kl_value n) {
    if (!kl_is_fixnum(a & n)) return KL_UNBOUND;
    return kl_fixnum(kl_fixnum_value(a) >> (kl_fixnum_value(n) & 63));
}
kl_value kl_unsigned_bit_shift_right_fixnum(kl_value a, kl_value n) {
    if (!kl_is_fixnum(a & n) || kl_fixnum_value(a) < 0) return KL_UNBOUND;
    return kl_fixnum(kl_fixnum_value(a) >> (kl_fixnum_value(n) & 63));
}

/* (Math/sqrt x), (double x): a double of any number. */
static double double_operand(const char *name, kl_value v) {
    if (!kl_is_number(v))
        kl_error("ClassCastException", "%s: class %s cannot be cast to class java.lang.Number", name, kl_type_name(v));
    return as_double(v);
}
kl_value kl_sqrt_impl(kl_value a) { return kl_box_double(sqrt(double_operand("Math/sqrt", a))); }
kl_value kl_double_impl(kl_value a) {
    if (kl_layout(a) == &kl_double_layout) return a;
    return kl_box_double(double_operand("double", a));
}

/* (long x): an integer is itself; a double is truncated toward zero and
 * must fit in 64 bits (Clojure: "Value out of range for long"). */
kl_value kl_long_impl(kl_value a) {
    int64_t n;
    if (kl_long_value(a, &n)) return a;
    double d = double_operand("long", a);
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
        kl_error("IllegalArgumentException", "Value out of range for long: %g", d);
    return kl_integer((int64_t)d);
}

/* Fixnum fast paths of quot, rem and mod (never allocate; KL_UNBOUND when
 * an operand is not a fixnum or the divisor is 0, for the full function's
 * errors). */
kl_value kl_quot_fixnum(kl_value a, kl_value b) {
    if (!kl_is_fixnum(a & b) || kl_fixnum_value(b) == 0) return KL_UNBOUND;
    return fixnum_or_unbound(kl_fixnum_value(a) / kl_fixnum_value(b), 0);
}
kl_value kl_rem_fixnum(kl_value a, kl_value b) {
    if (!kl_is_fixnum(a & b) || kl_fixnum_value(b) == 0) return KL_UNBOUND;
    return kl_fixnum(kl_fixnum_value(a) % kl_fixnum_value(b));
}
kl_value kl_mod_fixnum(kl_value a, kl_value b) {
    if (!kl_is_fixnum(a & b) || kl_fixnum_value(b) == 0) return KL_UNBOUND;
    int64_t y = kl_fixnum_value(b), m = kl_fixnum_value(a) % y;
    if (m != 0 && ((m < 0) != (y < 0))) m += y;
    return kl_fixnum(m);
}
