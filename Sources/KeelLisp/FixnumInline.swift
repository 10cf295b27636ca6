import Keel

/// The inline form of a runtime arithmetic function on fixnums.
///
/// A fixnum n is the word 2n+1, so most operations work on the tagged words
/// directly: a+b−1 is the sum's word, a&b the and's. `emit` gets operands
/// already known to be fixnums and returns the result's word (its low bit is
/// set afterwards by `tagr`, so it may be left clear) and, for operations
/// that can leave the 63-bit fixnum range, a `w` that is nonzero when the
/// result does not fit: then the runtime's full function runs instead (it
/// boxes the long, or reports "integer overflow" past 64 bits), exactly as
/// the call `kl_*_fixnum` fast paths used to decline.
struct FixnumInline: Sendable {
    let arity: Int
    let emit: @Sendable (inout FunctionBuilder, [Ref]) -> (word: Ref, declined: Ref?)

    /// By the runtime function whose meaning they have (RuntimeFunctions).
    /// Multiplication and division keep their call fast paths: an inline
    /// overflow test of a product needs a high multiply the IL lacks.
    static let lowering: [String: FixnumInline] = [
        "kl_add": FixnumInline(arity: 2) { b, x in
            let t = b.emit(.sub, .l, x[1], b.integer(1))
            let s = b.emit(.add, .l, x[0], t)
            return (s, signedOverflow(&b, x[0], t, s, subtract: false))
        },
        "kl_sub": FixnumInline(arity: 2) { b, x in
            let t = b.emit(.sub, .l, x[1], b.integer(1))
            let s = b.emit(.sub, .l, x[0], t)
            return (s, signedOverflow(&b, x[0], t, s, subtract: true))
        },
        // Adding 2 overflows exactly when the sum is below the operand.
        "kl_inc": FixnumInline(arity: 1) { b, x in
            let s = b.emit(.add, .l, x[0], b.integer(2))
            return (s, b.emit(.csltl, .w, s, x[0]))
        },
        "kl_dec": FixnumInline(arity: 1) { b, x in
            let s = b.emit(.sub, .l, x[0], b.integer(2))
            return (s, b.emit(.csgtl, .w, s, x[0]))
        },
        "kl_bit_and": FixnumInline(arity: 2) { b, x in (b.emit(.and, .l, x[0], x[1]), nil) },
        "kl_bit_or": FixnumInline(arity: 2) { b, x in (b.emit(.or, .l, x[0], x[1]), nil) },
        // The xor of two odd words is even; tagr sets the bit back.
        "kl_bit_xor": FixnumInline(arity: 2) { b, x in (b.emit(.xor, .l, x[0], x[1]), nil) },
        // ~(2n+1) = 2(~n): tagr makes it 2(~n)+1.
        "kl_bit_not": FixnumInline(arity: 1) { b, x in (b.emit(.xor, .l, x[0], b.integer(-1)), nil) },
        // (2n+1) >> s has the bits of n >> s from bit 1 up; tagr sets bit 0.
        "kl_bit_shift_right": FixnumInline(arity: 2) { b, x in
            (b.emit(.sar, .l, x[0], shiftCount(&b, x[1])), nil)
        },
        // As an arithmetic shift for n ≥ 0; a negative n's result is a large
        // positive long, which the full function boxes.
        "kl_unsigned_bit_shift_right": FixnumInline(arity: 2) { b, x in
            (b.emit(.sar, .l, x[0], shiftCount(&b, x[1])), b.emit(.csltl, .w, x[0], b.integer(0)))
        },
        // 2n << s is the word of n << s; it fits when shifting back gives 2n.
        "kl_bit_shift_left": FixnumInline(arity: 2) { b, x in
            let even = b.emit(.sub, .l, x[0], b.integer(1))
            let count = shiftCount(&b, x[1])
            let s = b.emit(.shl, .l, even, count)
            let back = b.emit(.sar, .l, s, count)
            return (s, b.emit(.cnel, .w, back, even))
        },
    ]

    /// The inline form of `f` applied to `args` and the operands it reads (a
    /// constant factor or divisor is part of the form), or nil.
    static func form(of f: String, _ args: [Ref], fixnumConstant: (Ref) -> Int64?) -> (FixnumInline, [Ref])? {
        if let inline = lowering[f], inline.arity == args.count { return (inline, args) }
        guard args.count == 2 else { return nil }
        if f == "kl_add" {
            for (k, x) in [(args[1], args[0]), (args[0], args[1])] {
                if let k = fixnumConstant(k), k != 0 { return (add(k), [x]) }
            }
        }
        if f == "kl_sub", let k = fixnumConstant(args[1]), k != 0 { return (add(-k), [args[0]]) }
        if f == "kl_mul" {
            for (k, x) in [(args[0], args[1]), (args[1], args[0])] {
                if let k = fixnumConstant(k), let inline = multiply(by: k) { return (inline, [x]) }
            }
        }
        if let k = fixnumConstant(args[1]), let inline = divide(f, by: k) { return (inline, [args[0]]) }
        return nil
    }

    /// `(+ x k)`, `(+ k x)` or `(- x j)` (k = −j) for a constant k ≠ 0: the
    /// word plus 2k, which overflowed exactly when it moved the other way
    /// than k's sign says: one compare. (2k wraps only for k = 2^62, the
    /// negated least fixnum: adding −2^63 is adding 2^63 modulo 2^64, and
    /// the compare still tells.)
    static func add(_ k: Int64) -> FixnumInline {
        let twice = k &* 2
        return FixnumInline(arity: 1) { b, x in
            let s = b.emit(.add, .l, x[0], b.integer(twice))
            return (s, b.emit(k > 0 ? .csltl : .csgtl, .w, s, x[0]))
        }
    }

    /// `(* k x)` or `(* x k)` for a constant k: 2n·k is the product's word
    /// less 1, and it fits when 2n lies within the bounds k allows, which are
    /// constants (so no high multiply is needed).
    static func multiply(by k: Int64) -> FixnumInline? {
        guard k != 0 else { return nil }
        let lo = k > 0 ? -(Int64.max / k) : Int64.max / k, hi = k > 0 ? Int64.max / k : -(Int64.max / k)
        return FixnumInline(arity: 1) { b, x in
            let even = b.emit(.sub, .l, x[0], b.integer(1))
            let product = b.emit(.mul, .l, even, b.integer(k))
            // even − lo ≤ hi − lo, unsigned: one compare for both bounds.
            let offset = b.emit(.sub, .l, even, b.integer(lo))
            return (product, b.emit(.cugtl, .w, offset, b.integer(hi &- lo)))
        }
    }

    /// `(quot x k)`, `(rem x k)`, `(mod x k)` for a constant k other than 0
    /// and −1 (whose quotient of the least fixnum leaves the range): the
    /// IL's division by a constant, which the backends strength-reduce; a
    /// result never exceeds the dividend's magnitude, so it always fits.
    /// `mod` is floored as Clojure's: a remainder of the other sign than k
    /// gets k added; by a positive power of two it is one `and`.
    static func divide(_ f: String, by k: Int64) -> FixnumInline? {
        guard k != 0, k != -1, ["kl_quot", "kl_rem", "kl_mod"].contains(f) else { return nil }
        if f == "kl_mod", k > 0, k & (k - 1) == 0 {
            // (2n+1) & (2k−1) = 2(n & (k−1)) + 1.
            return FixnumInline(arity: 1) { b, x in (b.emit(.and, .l, x[0], b.integer(2 &* k &- 1)), nil) }
        }
        return FixnumInline(arity: 1) { b, x in
            let n = b.emit(.sar, .l, x[0], b.integer(1))
            var r = b.emit(f == "kl_quot" ? .div : .rem, .l, n, b.integer(k))
            if f == "kl_mod" {
                // (r ^ k) < 0 and r ≠ 0: the signs differ, add k.
                let differ = b.emit(.sar, .l, b.emit(.xor, .l, r, b.integer(k)), b.integer(63))
                let nonzero = b.emit(.cnel, .l, r, b.integer(0))
                let mask = b.emit(.and, .l, differ, b.emit(.sub, .l, b.integer(0), nonzero))
                r = b.emit(.add, .l, r, b.emit(.and, .l, mask, b.integer(k)))
            }
            return (b.emit(.shl, .l, r, b.integer(1)), nil)
        }
    }

    /// The shift count of a fixnum: its value's low 6 bits (Java's rule).
    private static func shiftCount(_ b: inout FunctionBuilder, _ n: Ref) -> Ref {
        b.emit(.and, .w, b.emit(.sar, .l, n, b.integer(1)), b.integer(63))
    }

    /// Nonzero when s = a + t (or a − t) overflowed 64 bits: the operands'
    /// signs make the result's impossible.
    private static func signedOverflow(_ b: inout FunctionBuilder, _ a: Ref, _ t: Ref, _ s: Ref, subtract: Bool) -> Ref {
        let sa = b.emit(.xor, .l, a, s)
        let st = subtract ? b.emit(.xor, .l, a, t) : b.emit(.xor, .l, t, s)
        return b.emit(.csltl, .w, b.emit(.and, .l, sa, st), b.integer(0))
    }
}
