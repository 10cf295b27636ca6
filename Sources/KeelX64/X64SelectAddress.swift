// Addressing modes: `base + index·scale + disp` folded into memory operands
// and `lea` (see X64Selector.swift for the selector it serves).
//
// Expects: the selector's use counts (`useCount`, `addressUses`,
// `localUses`) and each temp's defining instruction (`defBlock`,
// `defIndex`), of a function in strict SSA form.
//
// Guarantees: a temp is `absorbed` (selects to nothing) only if every use
// of it reads the operands of its definition instead: the address of
// memory accesses (all its uses are such addresses), or an inner term of
// one absorbed or `lea`-selected temp (its only use). The operands are SSA
// values defined before the absorbed temp, so they hold the same values at
// each use. Only definitions in the user's own block are folded: no
// computation moves into a loop, and a folded operand's live range grows
// only inside that block.
//
// Algorithm: per block, from the last instruction to the first, so that the
// users of a temp are decided before the temp: each memory access matches
// its address, and each integer `add` still selected matches its own value,
// against the form. Matching is greedy: starting from the root, each term
// whose definition may be absorbed (`add`, `sub`/`mul`/`shl` by a constant,
// `copy`, an extended constant, of the root's class) is replaced by its
// operands when the result still fits the form; an accepted step is final.
// Each integer `add` and `sub` of a constant is such a root for `lea`.
import KeelCodegen
import KeelIR

/// A linear combination `Σ mult·term + disp (+ symbol)` of at most three
/// register terms, as matching builds it.
struct LinearTerms {
    var refs: (Ref, Ref, Ref) = (.none, .none, .none)
    var mults: (Int64, Int64, Int64) = (0, 0, 0)
    var count = 0
    var disp: Int64 = 0
    /// A direct symbol (its offset is in the constant, not in `disp`).
    var symbol = Ref.none

    func ref(_ i: Int) -> Ref { i == 0 ? refs.0 : i == 1 ? refs.1 : refs.2 }
    func mult(_ i: Int) -> Int64 { i == 0 ? mults.0 : i == 1 ? mults.1 : mults.2 }

    mutating func set(_ i: Int, _ r: Ref, _ m: Int64) {
        switch i {
        case 0: refs.0 = r; mults.0 = m
        case 1: refs.1 = r; mults.1 = m
        default: refs.2 = r; mults.2 = m
        }
    }

    mutating func remove(at i: Int) {
        for k in i..<(count - 1) { set(k, ref(k + 1), mult(k + 1)) }
        count -= 1
    }

    /// Adds `m·r` for a register term, merging equal terms; false when a fourth term would be needed.
    mutating func addTerm(_ r: Ref, _ m: Int64) -> Bool {
        for k in 0..<count where ref(k) == r {
            set(k, r, mult(k) &+ m)
            return true
        }
        guard count < 3 else { return false }
        set(count, r, m)
        count += 1
        return true
    }
}

/// A matched address: `base + index·scale + disp`, or a direct symbol plus
/// `disp` (rip-relative), or `disp` alone (absolute).
struct AddressShape {
    var base = Ref.none
    var index = Ref.none
    var scale: UInt8 = 1
    var disp: Int32 = 0
    var symbol = Ref.none
    /// Temps absorbed below the root (the root itself not counted).
    var inner = 0
}

extension X64Selector {
    /// Decides, for every block, which address computations fold into their users
    /// (and which extensions fold into their loads, X64SelectExtension.swift).
    mutating func planAddressing() {
        let f = self.f
        for b in f.blocks.indices where reachable[b] {
            let instructions = f.blocks[b].instructions
            for i in instructions.indices.reversed() {
                let ins = instructions[i]
                if ins.op.isLoad || ins.op.isStore {
                    let a = ins.op.isLoad ? ins.a : ins.b
                    if let t = a.temp, shapeOf[t.int] < 0, isFoldableRoot(t) {
                        if let shape = match(root: t, cls: .l, absorbRoot: true) {
                            shapeOf[t.int] = Int32(shapes.count)
                            shapes.append(shape)
                        }
                    }
                } else if X64Selector.extensionWidth(ins.op) != nil {
                    planExtendedLoad(ins)
                } else if ins.op == .add || (ins.op == .sub && integer(ins.b) != nil),
                          ins.type == .w || ins.type == .l, let t = ins.result.temp,
                          !absorbed[t.int], useCount[t.int] > 0 {
                    if let shape = match(root: t, cls: ins.type, absorbRoot: false) {
                        shapeOf[t.int] = Int32(shapes.count)
                        shapes.append(shape)
                    }
                }
            }
        }
    }

    /// An address only memory accesses of its own block read.
    func isFoldableRoot(_ t: Temp) -> Bool {
        let n = useCount[t.int]
        return n > 0 && addressUses[t.int] == n && localUses[t.int] == n && defIndex[t.int] >= 0
    }

    /// The definition of `t` when it may be expanded in a form of class `cls`.
    func foldableDefinition(_ t: Temp, cls: BaseType) -> Instruction? {
        guard defIndex[t.int] >= 0 else { return nil }
        let ins = f.blocks[Int(defBlock[t.int])].instructions[Int(defIndex[t.int])]
        guard ins.type == cls else { return nil }
        switch ins.op {
        case .add, .copy: return ins
        case .sub, .shl: return integer(ins.b) != nil ? ins : nil
        case .mul: return integer(ins.a) != nil || integer(ins.b) != nil ? ins : nil
        case .extsb, .extub, .extsh, .extuh, .extsw, .extuw:
            // An extended constant (cproc's `extsw 0` for an index 0) is a displacement.
            return extendedConstant(ins.op, ins.a, ins.type) != nil ? ins : nil
        default: return nil
        }
    }

    func integer(_ r: Ref) -> Int64? {
        if case .integer(let v) = f.constant(r) { return v }
        return nil
    }

    /// Matches the value of `root` (its definition expanded first) against
    /// the form, absorbing what it expands; nil when the root's own
    /// definition does not fit (nothing is absorbed then).
    mutating func match(root: Temp, cls: BaseType, absorbRoot: Bool) -> AddressShape? {
        var terms = LinearTerms()
        _ = terms.addTerm(.temp(root), 1)
        var inner = 0
        var i = 0
        while i < terms.count {
            guard let t = terms.ref(i).temp,
                  t == root || (useCount[t.int] == 1 && localUses[t.int] == 1 && !absorbed[t.int]),
                  let def = foldableDefinition(t, cls: cls),
                  let expanded = expand(terms, at: i, def), shape(expanded, cls: cls) != nil else {
                if terms.ref(i) == .temp(root) { return nil }
                i += 1
                continue
            }
            // Accepted: the term's operands take its place (and may expand in turn).
            terms = expanded
            if t != root { absorbed[t.int] = true; inner += 1 } else if absorbRoot { absorbed[t.int] = true }
        }
        var s = shape(terms, cls: cls)!
        s.inner = inner
        return s
    }

    /// `terms` with term `i` replaced by the operands of its definition `def`.
    func expand(_ terms: LinearTerms, at i: Int, _ def: Instruction) -> LinearTerms? {
        var out = terms
        let m = terms.mult(i)
        out.remove(at: i)
        func add(_ r: Ref, _ k: Int64) -> Bool {
            guard let c = f.constant(r) else { return out.addTerm(r, k) }
            switch c {
            case .integer(let v):
                out.disp = out.disp &+ v &* k
                return true
            case .symbol(_, _, .direct) where k == 1 && out.symbol == .none && def.type == .l:
                out.symbol = r
                return true
            default:
                return out.addTerm(r, k)
            }
        }
        let bits: Int64 = def.type == .w ? 31 : 63
        switch def.op {
        case .add:
            guard add(def.a, m), add(def.b, m) else { return nil }
        case .sub:
            guard add(def.a, m), add(def.b, 0 &- m) else { return nil }
        case .mul:
            let (x, c) = integer(def.b).map { (def.a, $0) } ?? (def.b, integer(def.a)!)
            guard add(x, m &* c) else { return nil }
        case .shl:
            guard add(def.a, m &* (1 << (integer(def.b)! & bits))) else { return nil }
        case .extsb, .extub, .extsh, .extuh, .extsw, .extuw:
            out.disp = out.disp &+ extendedConstant(def.op, def.a, def.type)! &* m
        default:  // copy
            guard add(def.a, m) else { return nil }
        }
        return out
    }

    /// The x86 form of `terms`, or nil when it has none. A `w` form keeps
    /// only the low 32 bits, so multipliers and displacement count modulo 2^32.
    func shape(_ terms: LinearTerms, cls: BaseType) -> AddressShape? {
        var regs: [(Ref, Int64)] = []
        regs.reserveCapacity(4)
        for k in 0..<terms.count {
            let m = cls == .w ? Int64(UInt32(truncatingIfNeeded: terms.mult(k))) : terms.mult(k)
            if m != 0 { regs.append((terms.ref(k), m)) }
        }
        var disp = terms.disp
        var s = AddressShape()
        if terms.symbol != .none {
            if regs.isEmpty {
                guard case .symbol(_, let off, _) = f.constant(terms.symbol), Int32(exactly: disp) != nil,
                      Int32(exactly: off &+ disp) != nil else { return nil }
                s.symbol = terms.symbol
                s.disp = Int32(disp)
                return s
            }
            // With registers the symbol's address is taken into one (rip-relative has no index).
            regs.append((terms.symbol, 1))
        }
        if cls == .w { disp = Int64(Int32(truncatingIfNeeded: disp)) }
        guard let d = Int32(exactly: disp) else { return nil }
        s.disp = d
        switch regs.count {
        case 0:
            return s
        case 1:
            let (x, m) = regs[0]
            switch m {
            case 1: s.base = x
            case 2, 3, 5, 9: (s.base, s.index, s.scale) = (x, x, UInt8(m - 1))
            default: return nil
            }
        case 2:
            var ((x, mx), (y, my)) = (regs[0], regs[1])
            if mx != 1 { swap(&x, &y); swap(&mx, &my) }
            guard mx == 1, my == 1 || my == 2 || my == 4 || my == 8 else { return nil }
            (s.base, s.index, s.scale) = (x, y, UInt8(my))
        default:
            return nil
        }
        return s
    }

    /// The memory operand of an absorbed address `r`, with the base and index registers it reads.
    mutating func foldedAddress(_ r: Ref) -> (X64Address, VReg?, VReg?)? {
        guard let t = r.temp, absorbed[t.int], shapeOf[t.int] >= 0 else { return nil }
        let s = shapes[Int(shapeOf[t.int])]
        if s.symbol != .none {
            guard case .symbol(let sym, let off, _) = f.constant(s.symbol) else { return nil }
            return (.symbol(sym, off + Int64(s.disp)), nil, nil)
        }
        if s.base == .none { return (.absolute(s.disp), nil, nil) }
        if s.index == .none, let t = s.base.temp, staticSlot[t.int] >= 0 {
            // A frame slot plus a displacement: the slot's cell at that offset, no register.
            return (.slot(staticSlot[t.int], s.disp), nil, nil)
        }
        let base = value(s.base, .l)
        if s.index == .none { return (.base(s.disp), base, nil) }
        return (.indexed(s.disp, scale: s.scale), base, value(s.index, .l))
    }
}

extension X64Selector {
    /// The memory operand of a load or store address: folded when planned, else as `address` gives it.
    mutating func memoryAddress(_ r: Ref) -> (X64Address, VReg?, VReg?) {
        if let folded = foldedAddress(r) { return folded }
        let (a, base) = address(r)
        return (a, base, nil)
    }
}
