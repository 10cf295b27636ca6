import KeelIR

// Constant folding: the value an instruction computes from constant
// operands, with exactly the IL's semantics (those of KeelInterp, the
// oracle), or nil when folding would not be exact or the instruction must
// run to behave as the program says.
//
// Expects: an opcode, its result class, and its operands as constants.
// Guarantees: a non-nil result is the value every execution computes, as a
// constant of the kind the result class reads: integers for w and l (a w
// result zero-extended, as a word sits in a register), `.single` for s,
// `.double` for d. Nothing is folded that
// - may trap: division and remainder by zero, INT_MIN / -1 (either width);
// - could differ bit for bit at run time: a float operation with a NaN
//   operand or result (payloads depend on operand order), float-to-integer
//   conversions out of the range where every lowering agrees, unsigned
//   conversions of values with the top bit set;
// - mixes kinds: integer operations read only integer constants, s
//   operations only `.single`, d operations only `.double`; symbols only
//   pass through `copy` of class l (their value is a link-time address);
// - reads memory, has effects, allocates, or has class r.

/// The constant `op` (of result class `type`) computes from `a` and `b`
/// (`b` nil for one-operand instructions), or nil (see above).
func foldConstant(_ op: Opcode, type: BaseType, _ a: Constant, _ b: Constant?) -> Constant? {
    if type == .r { return nil }
    if op == .copy { return foldCopy(type, a) }
    if op == .cast { return foldCast(type, a) }
    if op.isComparison { return b.flatMap { foldComparison(op, a, $0) } }
    switch type {
    case .w, .l:
        if op == .stosi || op == .stoui || op == .dtosi || op == .dtoui { return foldFloatToInteger(op, type: type, a) }
        guard case .integer(let x) = a else { return nil }
        var y: Int64 = 0
        if let b {
            guard case .integer(let v) = b else { return nil }
            y = v
        }
        return foldInteger(op, type, UInt64(bitPattern: x), UInt64(bitPattern: y), b != nil).map { integer($0, type) }
    case .s:
        return foldSingle(op, a, b)
    case .d:
        return foldDouble(op, a, b)
    case .r:
        return nil
    }
}

/// An integer result of class `type`: a word keeps its low 32 bits, zero-extended.
@inline(__always)
func integer(_ v: UInt64, _ type: BaseType) -> Constant {
    .integer(Int64(bitPattern: type == .w ? v & 0xFFFF_FFFF : v))
}

private func foldCopy(_ type: BaseType, _ a: Constant) -> Constant? {
    switch (type, a) {
    case (.w, .integer(let v)): return integer(UInt64(bitPattern: v), .w)
    case (.l, .integer), (.l, .symbol), (.s, .single), (.d, .double): return a
    default: return nil
    }
}

/// `cast`: the same bits read as the other kind of the same width.
private func foldCast(_ type: BaseType, _ a: Constant) -> Constant? {
    switch (type, a) {
    case (.w, .single(let b)): return .integer(Int64(b))
    case (.l, .double(let b)): return .integer(Int64(bitPattern: b))
    case (.s, .integer(let v)): return .single(bits: UInt32(truncatingIfNeeded: v))
    case (.d, .integer(let v)): return .double(bits: UInt64(bitPattern: v))
    default: return nil
    }
}

private func foldComparison(_ op: Opcode, _ a: Constant, _ b: Constant) -> Constant? {
    func flag(_ c: Bool) -> Constant { .integer(c ? 1 : 0) }
    switch (a, b) {
    case (.integer(let x), .integer(let y)):
        let ux = UInt64(bitPattern: x), uy = UInt64(bitPattern: y)
        let sw = Int32(truncatingIfNeeded: x), tw = Int32(truncatingIfNeeded: y)
        let uw = UInt32(truncatingIfNeeded: x), vw = UInt32(truncatingIfNeeded: y)
        switch op {
        case .ceqw: return flag(uw == vw)
        case .cnew: return flag(uw != vw)
        case .csgew: return flag(sw >= tw)
        case .csgtw: return flag(sw > tw)
        case .cslew: return flag(sw <= tw)
        case .csltw: return flag(sw < tw)
        case .cugew: return flag(uw >= vw)
        case .cugtw: return flag(uw > vw)
        case .culew: return flag(uw <= vw)
        case .cultw: return flag(uw < vw)
        case .ceql: return flag(ux == uy)
        case .cnel: return flag(ux != uy)
        case .csgel: return flag(x >= y)
        case .csgtl: return flag(x > y)
        case .cslel: return flag(x <= y)
        case .csltl: return flag(x < y)
        case .cugel: return flag(ux >= uy)
        case .cugtl: return flag(ux > uy)
        case .culel: return flag(ux <= uy)
        case .cultl: return flag(ux < uy)
        default: return nil
        }
    case (.single(let p), .single(let q)):
        let x = Float(bitPattern: p), y = Float(bitPattern: q)
        switch op {
        case .ceqs: return flag(x == y)
        case .cnes: return flag(x != y)
        case .cges: return flag(x >= y)
        case .cgts: return flag(x > y)
        case .cles: return flag(x <= y)
        case .clts: return flag(x < y)
        case .cos: return flag(!x.isNaN && !y.isNaN)
        case .cuos: return flag(x.isNaN || y.isNaN)
        default: return nil
        }
    case (.double(let p), .double(let q)):
        let x = Double(bitPattern: p), y = Double(bitPattern: q)
        switch op {
        case .ceqd: return flag(x == y)
        case .cned: return flag(x != y)
        case .cged: return flag(x >= y)
        case .cgtd: return flag(x > y)
        case .cled: return flag(x <= y)
        case .cltd: return flag(x < y)
        case .cod: return flag(!x.isNaN && !y.isNaN)
        case .cuod: return flag(x.isNaN || y.isNaN)
        default: return nil
        }
    default:
        return nil
    }
}

/// Integer operations of class w or l on the operands' 64 bits; the caller
/// keeps the low 32 bits of a word result.
private func foldInteger(_ op: Opcode, _ type: BaseType, _ x: UInt64, _ y: UInt64, _ binary: Bool) -> UInt64? {
    let word = type == .w
    switch op {
    case .add where binary: return x &+ y
    case .sub where binary: return x &- y
    case .mul where binary: return x &* y
    case .and where binary: return x & y
    case .or where binary: return x | y
    case .xor where binary: return x ^ y
    case .neg: return 0 &- x
    case .div, .rem:
        guard binary else { return nil }
        if word {
            let a = Int32(truncatingIfNeeded: x), b = Int32(truncatingIfNeeded: y)
            if b == 0 || (a == .min && b == -1) { return nil }
            return UInt64(UInt32(bitPattern: op == .div ? a / b : a % b))
        }
        let a = Int64(bitPattern: x), b = Int64(bitPattern: y)
        if b == 0 || (a == .min && b == -1) { return nil }
        return UInt64(bitPattern: op == .div ? a / b : a % b)
    case .udiv, .urem:
        guard binary else { return nil }
        if word {
            let a = UInt32(truncatingIfNeeded: x), b = UInt32(truncatingIfNeeded: y)
            if b == 0 { return nil }
            return UInt64(op == .udiv ? a / b : a % b)
        }
        if y == 0 { return nil }
        return op == .udiv ? x / y : x % y
    case .sar where binary:
        if word { return UInt64(UInt32(bitPattern: Int32(truncatingIfNeeded: x) >> (y & 31))) }
        return UInt64(bitPattern: Int64(bitPattern: x) >> (y & 63))
    case .shr where binary:
        if word { return UInt64(UInt32(truncatingIfNeeded: x) >> (y & 31)) }
        return x >> (y & 63)
    case .shl where binary:
        if word { return UInt64(UInt32(truncatingIfNeeded: x) << (y & 31)) }
        return x << (y & 63)
    case .extsb: return word ? UInt64(UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: x))))
                             : UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: x)))
    case .extub: return x & 0xFF
    case .extsh: return word ? UInt64(UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: x))))
                             : UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: x)))
    case .extuh: return x & 0xFFFF
    case .extsw: return word ? x : UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: x)))
    case .extuw: return x & 0xFFFF_FFFF
    default: return nil
    }
}

private func foldSingle(_ op: Opcode, _ a: Constant, _ b: Constant?) -> Constant? {
    func exact(_ r: Float) -> Constant? { r.isNaN ? nil : .single(r) }
    switch (op, a) {
    case (.truncd, .double(let p)):
        let d = Double(bitPattern: p)
        return d.isNaN ? nil : .single(Float(d))
    case (.swtof, .integer(let v)): return .single(Float(Int32(truncatingIfNeeded: v)))
    case (.uwtof, .integer(let v)): return .single(Float(UInt32(truncatingIfNeeded: v)))
    case (.sltof, .integer(let v)): return .single(Float(v))
    case (.ultof, .integer(let v)) where v >= 0: return .single(Float(v))
    case (.neg, .single(let p)):
        let x = Float(bitPattern: p)
        return x.isNaN ? nil : .single(-x)
    case (.sqrt, .single(let p)):
        // Correctly rounded (IEEE 754) on every target; sqrt(-0) is -0, and
        // a negative operand's NaN is left to run (its sign differs by target).
        let x = Float(bitPattern: p)
        return x.isNaN ? nil : exact(x.squareRoot())
    case (_, .single(let p)):
        guard case .single(let q)? = b else { return nil }
        let x = Float(bitPattern: p), y = Float(bitPattern: q)
        if x.isNaN || y.isNaN { return nil }
        switch op {
        case .add: return exact(x + y)
        case .sub: return exact(x - y)
        case .mul: return exact(x * y)
        case .div: return exact(x / y)
        default: return nil
        }
    default:
        return nil
    }
}

private func foldDouble(_ op: Opcode, _ a: Constant, _ b: Constant?) -> Constant? {
    func exact(_ r: Double) -> Constant? { r.isNaN ? nil : .double(r) }
    switch (op, a) {
    case (.exts, .single(let p)):
        let x = Float(bitPattern: p)
        return x.isNaN ? nil : .double(Double(x))
    case (.swtof, .integer(let v)): return .double(Double(Int32(truncatingIfNeeded: v)))
    case (.uwtof, .integer(let v)): return .double(Double(UInt32(truncatingIfNeeded: v)))
    case (.sltof, .integer(let v)): return .double(Double(v))
    case (.ultof, .integer(let v)) where v >= 0: return .double(Double(v))
    case (.neg, .double(let p)):
        let x = Double(bitPattern: p)
        return x.isNaN ? nil : .double(-x)
    case (.sqrt, .double(let p)):
        let x = Double(bitPattern: p)
        return x.isNaN ? nil : exact(x.squareRoot())
    case (.add, .double(let p)), (.sub, .double(let p)), (.mul, .double(let p)), (.div, .double(let p)):
        guard case .double(let q)? = b else { return nil }
        let x = Double(bitPattern: p), y = Double(bitPattern: q)
        if x.isNaN || y.isNaN { return nil }
        switch op {
        case .add: return exact(x + y)
        case .sub: return exact(x - y)
        case .mul: return exact(x * y)
        default: return exact(x / y)
        }
    default:
        return nil
    }
}

/// Float-to-integer conversions (`stosi`, `stoui`, `dtosi`, `dtoui`) of
/// class w or l, folded only where the truncated value fits the result
/// (signed), or lies in [0, 2^31) / [0, 2^63) (unsigned), where every
/// lowering gives the same answer.
func foldFloatToInteger(_ op: Opcode, type: BaseType, _ a: Constant) -> Constant? {
    let d: Double
    switch (op, a) {
    case (.stosi, .single(let p)), (.stoui, .single(let p)): d = Double(Float(bitPattern: p))
    case (.dtosi, .double(let p)), (.dtoui, .double(let p)): d = Double(bitPattern: p)
    default: return nil
    }
    guard !d.isNaN else { return nil }
    let t = d.rounded(.towardZero)
    let signed = op == .stosi || op == .dtosi
    let low: Double = signed ? (type == .w ? -2147483648.0 : -9223372036854775808.0) : 0
    let high: Double = type == .w ? 2147483648.0 : 9223372036854775808.0
    guard t >= low, t < high else { return nil }
    return integer(UInt64(bitPattern: Int64(t)), type)
}
