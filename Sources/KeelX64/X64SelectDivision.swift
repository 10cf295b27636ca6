// Integer division and remainder by a constant, without `div`.
//
// A hardware divide costs 20–90 cycles; by a constant it is a multiply by a
// scaled reciprocal and a shift (Granlund & Montgomery, "Division by
// invariant integers using multiplication"):
//
// - by 1: the dividend; by 2^k: a shift (unsigned) or a shift of the
//   dividend biased toward zero (signed);
// - otherwise q = ⌊x·M / 2^s⌋ with M = ⌈2^s / d⌉, for the smallest s whose
//   rounding error e = M·d − 2^s is small enough that no dividend of the
//   width can tell (e·2^N ≤ 2^s for N-bit unsigned, e·2^(N−1) ≤ 2^s for
//   signed). A word is widened and multiplied in 64 bits when M < 2^32;
//   otherwise (and for a long) the high half of a 128-bit `mul`/`imul` is
//   taken. M may need one bit more than a register: an unsigned M = m + 2^64
//   gives ⌊(x + t)/2⌋ computed as (x − t)/2 + t (t the high half of x·m),
//   a signed M ≥ 2^63, which imul reads as M − 2^64, adds x back. A signed
//   quotient is the floor of that for negative x plus 1, which is
//   truncation since e > 0 (d not a power of 2); a negative divisor negates
//   the quotient of |d|;
// - a remainder is x − q·d (unsigned by 2^k: x & (2^k − 1)).
//
// Left to `div`: divisors 0 (the trap is the program's), −1 (INT_MIN / −1
// traps too), the most negative value, unsigned divisors of 2^(N−1) or more
// that are not powers of 2, and the rare divisors with no small enough m.
import KeelCodegen
import KeelIR

extension X64Selector {
    /// Selects `div`, `udiv`, `rem` or `urem` by a constant as multiplies and
    /// shifts; false leaves it to the hardware divide.
    mutating func selectConstantDivision(_ ins: Instruction, _ d: VReg) -> Bool {
        guard let c = integer(ins.b), ins.a.temp != nil else { return false }
        let cls = ins.type
        let bits = cls == .w ? 32 : 64
        let signed = ins.op == .div || ins.op == .rem
        let quotient = ins.op == .div || ins.op == .udiv
        // The divisor as the operation reads it: the low 32 bits for a `w`.
        let u = cls == .w ? UInt64(UInt32(truncatingIfNeeded: c)) : UInt64(bitPattern: c)
        let s = cls == .w ? Int64(Int32(truncatingIfNeeded: c)) : c
        let plan: DivisionPlan
        if signed {
            guard s != 0, s != -1, s != (cls == .w ? Int64(Int32.min) : Int64.min) else { return false }
            guard let p = DivisionPlan(signedBy: s.magnitude, bits: bits) else { return false }
            plan = p
        } else {
            guard u != 0, let p = DivisionPlan(unsignedBy: u, bits: bits) else { return false }
            plan = p
        }
        let x = value(ins.a, cls)
        let size = bits / 8
        if !quotient, case .identity = plan {
            mf.append(.movImm(size: 8, imm: 0), [.def(d)])
            return true
        }
        if !quotient, !signed, case .shift = plan {
            // The low bits: x & (d − 1).
            let mask = Int64(bitPattern: u - 1)
            if let imm = Int32(exactly: mask) {
                mf.append(.aluImm(.and, size: size, imm: imm), [.use(x), .def(d, .reuse(0))])
            } else {
                let k = newVReg(cls)
                mf.append(.movImm(size: 8, imm: mask), [.def(k)])
                mf.append(.alu(.and, size: size), [.use(x), .use(k), .def(d, .reuse(0))])
            }
            return true
        }
        var q = emitQuotient(plan, of: x, signed: signed, size: size, into: quotient && !(signed && s < 0) ? d : nil)
        if signed && s < 0 {
            let n = quotient ? d : newVReg(cls)
            mf.append(.neg(size: size), [.use(q), .def(n, .reuse(0))])
            q = n
        }
        if quotient { return true }
        // x − q·d (q·d wraps like the `mul` it is).
        let product = newVReg(cls)
        let divisor = signed ? s : Int64(bitPattern: u)
        if let imm = Int32(exactly: divisor) {
            mf.append(.aluImm(.imul, size: size, imm: imm), [.use(q), .def(product, .reuse(0))])
        } else {
            let k = newVReg(cls)
            mf.append(.movImm(size: 8, imm: divisor), [.def(k)])
            mf.append(.alu(.imul, size: size), [.use(q), .use(k), .def(product, .reuse(0))])
        }
        mf.append(.alu(.sub, size: size), [.use(x), .use(product), .def(d, .reuse(0))])
        return true
    }

    /// The quotient of `x` by the plan's divisor (its magnitude, when signed), in `into` when given.
    private mutating func emitQuotient(_ plan: DivisionPlan, of x: VReg, signed: Bool, size: Int,
                                       into: VReg?) -> VReg {
        let cls: BaseType = size == 4 ? .w : .l
        let bits = size * 8
        let result = into ?? newVReg(cls)
        switch plan {
        case .identity:
            mf.append(.mov(float: false), [.use(x), .def(result)])
        case .shift(let k) where !signed:
            mf.append(.shiftImm(.shr, size: size, imm: UInt8(k)), [.use(x), .def(result, .reuse(0))])
        case .shift(let k):
            // Bias a negative dividend by 2^k − 1 so the arithmetic shift truncates toward zero.
            let sign = newVReg(cls), bias = newVReg(cls), biased = newVReg(cls)
            mf.append(.shiftImm(.sar, size: size, imm: UInt8(bits - 1)), [.use(x), .def(sign, .reuse(0))])
            mf.append(.shiftImm(.shr, size: size, imm: UInt8(bits - k)), [.use(sign), .def(bias, .reuse(0))])
            mf.append(.alu(.add, size: size), [.use(bias), .use(x), .def(biased, .reuse(0))])
            mf.append(.shiftImm(.sar, size: size, imm: UInt8(k)), [.use(biased), .def(result, .reuse(0))])
        case .widened(let m, let shift):
            // 64-bit product of the widened word; m < 2^32 keeps it exact.
            let wide = newVReg(.l), product = newVReg(.l)
            let scaled = signed ? newVReg(cls) : result
            mf.append(.convert(signed ? .extsw : .extuw, size: 8, double: false), [.use(x), .def(wide)])
            if let imm = Int32(exactly: m) {
                mf.append(.aluImm(.imul, size: 8, imm: imm), [.use(wide), .def(product, .reuse(0))])
            } else {
                let k = newVReg(.l)
                mf.append(.movImm(size: 8, imm: Int64(m)), [.def(k)])
                mf.append(.alu(.imul, size: 8), [.use(wide), .use(k), .def(product, .reuse(0))])
            }
            mf.append(.shiftImm(signed ? .sar : .shr, size: 8, imm: UInt8(shift)),
                      [.use(product), .def(scaled, .reuse(0))])
            if signed { truncateTowardZero(scaled, x, size: size, into: result) }
        case .high(let m, let shift, let plusDividend):
            // The high half of the 128-bit product of the (widened) dividend.
            var wide = x
            if size == 4 {
                wide = newVReg(.l)
                mf.append(.convert(signed ? .extsw : .extuw, size: 8, double: false), [.use(x), .def(wide)])
            }
            let k = newVReg(.l), high = newVReg(.l), low = newVReg(.l)
            mf.append(.movImm(size: 8, imm: Int64(bitPattern: m)), [.def(k)])
            mf.append(.mulHigh(signed: signed), [
                .use(wide, .fixed(X64Reg.rax)), .use(k),
                .def(high, .fixed(X64Reg.rdx)), .def(low, .fixed(X64Reg.rax)),
            ])
            var t = high, remaining = shift - 64
            if plusDividend && signed {
                // imul read m as m − 2^64: add x·2^64 back (x to the high half).
                let sum = newVReg(.l)
                mf.append(.alu(.add, size: 8), [.use(high), .use(wide), .def(sum, .reuse(0))])
                t = sum
            } else if plusDividend {
                // The multiplier is m + 2^64: ⌊(x + t) / 2⌋ as (x − t) / 2 + t, which cannot overflow.
                let difference = newVReg(.l), half = newVReg(.l), sum = newVReg(.l)
                mf.append(.alu(.sub, size: 8), [.use(wide), .use(high), .def(difference, .reuse(0))])
                mf.append(.shiftImm(.shr, size: 8, imm: 1), [.use(difference), .def(half, .reuse(0))])
                mf.append(.alu(.add, size: 8), [.use(half), .use(high), .def(sum, .reuse(0))])
                (t, remaining) = (sum, remaining - 1)
            }
            var scaled = t
            if remaining > 0 {
                scaled = signed ? newVReg(.l) : result
                mf.append(.shiftImm(signed ? .sar : .shr, size: 8, imm: UInt8(remaining)),
                          [.use(t), .def(scaled, .reuse(0))])
            } else if !signed {
                mf.append(.mov(float: false), [.use(t), .def(result)])
            }
            if signed { truncateTowardZero(scaled, x, size: size, into: result) }
        }
        return result
    }

    /// `floor` of a signed quotient to truncation: add 1 when x < 0 (subtract its sign, 0 or −1).
    private mutating func truncateTowardZero(_ floor: VReg, _ x: VReg, size: Int, into result: VReg) {
        let sign = newVReg(size == 4 ? .w : .l)
        mf.append(.shiftImm(.sar, size: size, imm: UInt8(size * 8 - 1)), [.use(x), .def(sign, .reuse(0))])
        mf.append(.alu(.sub, size: size), [.use(floor), .use(sign), .def(result, .reuse(0))])
    }
}

/// How a division by a positive constant is done.
enum DivisionPlan: Equatable {
    /// By 1.
    case identity
    /// By 2^k.
    case shift(Int)
    /// A word: ⌊x·m / 2^shift⌋ in 64 bits, m < 2^32.
    case widened(m: UInt64, shift: Int)
    /// ⌊x·M / 2^shift⌋ from the high half of a 128-bit product by m, where
    /// M = m, or m + 2^64 with `plusDividend` (then added as the dividend).
    case high(m: UInt64, shift: Int, plusDividend: Bool)

    /// An unsigned N-bit division by `d` > 0; nil when only `div` will do.
    init?(unsignedBy d: UInt64, bits: Int) {
        if let p = DivisionPlan(special: d, bits: bits) { self = p; return }
        guard d < UInt64(1) << (bits - 1) else { return nil }
        if bits == 32, let (m, s) = Self.reciprocal(of: d, from: 32, dividendBits: 32, below: 32) {
            self = .widened(m: UInt64(m), shift: s)
        } else if let (m, s) = Self.reciprocal(of: d, from: 64, dividendBits: bits, below: 65) {
            self = .high(m: UInt64(truncatingIfNeeded: m), shift: s, plusDividend: m >> 64 != 0)
        } else {
            return nil
        }
    }

    /// A signed N-bit division by `d` > 0 (the magnitude of the divisor), |x| ≤ 2^(N−1).
    init?(signedBy d: UInt64, bits: Int) {
        if let p = DivisionPlan(special: d, bits: bits) { self = p; return }
        guard d < UInt64(1) << (bits - 1) else { return nil }
        // imul reads m ≥ 2^63 as m − 2^64: `plusDividend` adds the difference back.
        if bits == 32, let (m, s) = Self.reciprocal(of: d, from: 32, dividendBits: 31, below: 32) {
            self = .widened(m: UInt64(m), shift: s)
        } else if let (m, s) = Self.reciprocal(of: d, from: 64, dividendBits: bits - 1, below: 64) {
            self = .high(m: UInt64(m), shift: s, plusDividend: m >> 63 != 0)
        } else {
            return nil
        }
    }

    private init?(special d: UInt64, bits: Int) {
        if d == 1 { self = .identity } else if d & (d - 1) == 0 { self = .shift(d.trailingZeroBitCount) } else { return nil }
    }

    /// The smallest shift s ≥ `from` (up to from + ⌈log2 d⌉, where one always
    /// exists below 2^(N+1), Granlund & Montgomery's theorem 4.2) whose m = ⌈2^s / d⌉
    /// is below 2^`below` and whose rounding error no dividend of
    /// `dividendBits` bits can see: (m·d − 2^s)·2^dividendBits ≤ 2^s.
    static func reciprocal(of d: UInt64, from: Int, dividendBits: Int, below: Int) -> (UInt128, Int)? {
        let log = 63 - d.leadingZeroBitCount
        for s in from...(from + log + 1) {
            let power = UInt128(1) << s
            let m = (power + UInt128(d) - 1) / UInt128(d)
            guard m < UInt128(1) << below else { continue }
            if (m * UInt128(d) - power) << dividendBits <= power { return (m, s) }
        }
        return nil
    }
}
