// Integer `add` selected by what the machine offers beyond the
// two-address form (see X64SelectAddress.swift for the matched forms):
//
// - an `add` whose form absorbed operand computations, or whose reused
//   operand is still needed afterwards, is one `lea` into a fresh register
//   (no copy, no flags; the low 32 bits of a 64-bit sum for `w`);
// - a two-register `add` whose second operand dies there reuses that one
//   (addition commutes), so the allocator needs no copy either;
// Anything else keeps the two-address form.
import KeelCodegen
import KeelIR

extension X64Selector {
    /// Selects integer `add` `ins` from its matched form; false leaves it to the two-address form.
    mutating func selectSum(_ ins: Instruction, _ d: VReg) -> Bool {
        let s = shapes[Int(shapeOf[d.int])]
        let cls = ins.type
        let size = cls == .w ? 4 : 8
        if s.inner == 0 {
            // Nothing folded: the two-address form costs nothing when the operand it overwrites dies here.
            var a = ins.a, b = ins.b
            if f.constant(a) != nil, f.constant(b) == nil { swap(&a, &b) }
            if let t = a.temp, useCount[t.int] == 1 { return false }
            if let t = b.temp, useCount[t.int] == 1, let ta = a.temp, ta != t {
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
}
