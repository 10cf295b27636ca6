// Integer `add` and `mul` selected by what the machine offers beyond the
// two-address form (see X64SelectAddress.swift for the matched forms):
//
// - an `add` (or `sub` of a constant) whose form absorbed operand
//   computations, or whose reused operand is still needed afterwards, is
//   one `lea` into a fresh register
//   (no copy, no flags; the low 32 bits of a 64-bit sum for `w`);
// - a two-register `add`, `and`, `or`, `xor` or `mul` whose second operand
//   dies there, and not its first, reuses that one (they commute), so the
//   allocator needs no copy either; an accumulator phi as second operand is
//   reused likewise when the first dies (the back edge needs no copy);
// - `mul` by 1 is a copy, by 2^k a shift, by 3, 5 or 9 a `lea` of the
//   operand with itself scaled by 2, 4 or 8.
// Anything else keeps the two-address form.
import KeelCodegen
import KeelIR

extension X64Selector {
    /// Selects integer `add` (or `sub` of a constant) `ins` from its matched form;
    /// false leaves it to the two-address form.
    mutating func selectSum(_ ins: Instruction, _ d: VReg) -> Bool {
        let s = shapes[Int(shapeOf[d.int])]
        let cls = ins.type
        let size = cls == .w ? 4 : 8
        if s.inner == 0 {
            // Nothing folded: the two-address form costs nothing when the operand it overwrites dies here.
            var a = ins.a, b = ins.b
            if ins.op == .add, f.constant(a) != nil, f.constant(b) == nil { swap(&a, &b) }
            if let t = a.temp, diesAtItsUse(t) { return false }
            // An accumulator overwritten in place (commutedOperands).
            if ins.op == .add, let ta = a.temp, let tb = b.temp, diesAtItsUse(tb), isPhi(ta, receiving: ins.result) {
                return false
            }
            if ins.op == .add, let t = b.temp, diesAtItsUse(t), let ta = a.temp, ta != t {
                let vb = value(b, cls), va = value(a, cls)
                mf.append(.alu(.add, size: size), [.use(vb), .use(va), .def(d, .reuse(0))])
                return true
            }
        }
        if s.symbol != .none {
            guard case .symbol(let sym, let off, _) = f.constant(s.symbol) else { return false }
            mf.append(.leaSymbol(sym, off + Int64(s.disp)), [.def(d)])
            return true
        }
        if s.base == .none {
            let v = cls == .w ? Int64(UInt32(bitPattern: s.disp)) : Int64(s.disp)
            mf.append(.movImm(size: 8, imm: v), [.def(d)])
            return true
        }
        let vb = value(s.base, cls)
        if s.index == .none {
            if s.disp == 0 { mf.append(.mov(float: false), [.use(vb), .def(d)]) }
            else { mf.append(.lea(size: size, .base(s.disp)), [.use(vb), .def(d)]) }
        } else {
            let vi = s.index == s.base ? vb : value(s.index, cls)
            mf.append(.lea(size: size, .indexed(s.disp, scale: s.scale)), [.use(vb), .use(vi), .def(d)])
        }
        return true
    }

    /// Whether the only use of `t` is in its own block: the value dies there.
    /// (A value defined before a loop and used once inside it stays live.)
    func diesAtItsUse(_ t: Temp) -> Bool { useCount[t.int] == 1 && localUses[t.int] == 1 }

    /// The operands of commutative two-address `ins`, ordered so that the
    /// one overwritten is the phi the result flows back into when the other
    /// dies there (an accumulator: `s1 = x + s` with `s = phi ..., s1`
    /// reuses s's register, so the back edge needs no copy; the phi is
    /// normally dead past its update), else so that the one overwritten dies
    /// there when only the other stays live.
    func commutedOperands(_ ins: Instruction) -> (Ref, Ref) {
        let a = ins.a, b = ins.b
        if f.constant(a) != nil, f.constant(b) == nil { return (b, a) }
        guard let ta = a.temp, let tb = b.temp else { return (a, b) }
        if diesAtItsUse(tb), isPhi(ta, receiving: ins.result) { return (a, b) }
        if diesAtItsUse(ta), isPhi(tb, receiving: ins.result) { return (b, a) }
        if !diesAtItsUse(ta), diesAtItsUse(tb) { return (b, a) }
        return (a, b)
    }

    /// Whether `t` is a phi with `value` among its incoming values.
    func isPhi(_ t: Temp, receiving value: Ref) -> Bool {
        guard t.int < defIndex.count, defIndex[t.int] < 0, defBlock[t.int] >= 0 else { return false }
        for p in f.blocks[Int(defBlock[t.int])].phis where p.result == t {
            return p.incoming.contains { $0.value == value }
        }
        return false
    }

    /// Selects integer `mul` `ins` by a constant as a copy, shift or `lea`; false when none applies.
    mutating func selectProduct(_ ins: Instruction, _ d: VReg) -> Bool {
        let cls = ins.type
        let size = cls == .w ? 4 : 8
        let x: Ref, c: Int64
        if let k = integer(ins.b), ins.a.temp != nil { (x, c) = (ins.a, k) }
        else if let k = integer(ins.a), ins.b.temp != nil { (x, c) = (ins.b, k) }
        else { return false }
        // A `w` product keeps the low 32 bits: the multiplier counts modulo 2^32.
        let m = cls == .w ? Int64(UInt32(truncatingIfNeeded: c)) : c
        let vx = value(x, cls)
        switch m {
        case 1:
            mf.append(.mov(float: false), [.use(vx), .def(d)])
        case 3, 5, 9:
            mf.append(.lea(size: size, .indexed(0, scale: UInt8(m - 1))), [.use(vx), .use(vx), .def(d)])
        case _ where m > 0 && m & (m - 1) == 0:
            mf.append(.shiftImm(.shl, size: size, imm: UInt8(m.trailingZeroBitCount)), [.use(vx), .def(d, .reuse(0))])
        default:
            return false
        }
        return true
    }
}
