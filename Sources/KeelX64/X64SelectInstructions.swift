// Instruction selection of the straight-line IL instructions (see X64Selector.swift).
import KeelCodegen
import KeelIR

extension X64Selector {
    mutating func select(_ ins: Instruction, inEntry: Bool) throws(SelectionError) {
        let cls = ins.type
        let size = cls == .w ? 4 : 8
        let d = ins.result.temp.map { VReg($0.int) }
        if let t = ins.result.temp, fusedCompare[t.int] || absorbed[t.int] { return }
        switch ins.op {
        case .add, .sub, .mul, .and, .or, .xor:
            guard let d else { return }
            if cls.isFloat {
                let op: X64FloatOp = ins.op == .add ? .add : ins.op == .sub ? .sub : .mul
                try floatArith(op, ins, d)
                return
            }
            if ins.op == .add || ins.op == .sub, shapeOf[d.int] >= 0, selectSum(ins, d) { return }
            if ins.op == .mul, selectProduct(ins, d) { return }
            let op: X64ALU
            switch ins.op {
            case .add: op = .add
            case .sub: op = .sub
            case .mul: op = .imul
            case .and: op = .and
            case .or: op = .or
            default: op = .xor
            }
            var (a, b) = (ins.a, ins.b)
            if ins.op != .sub { (a, b) = commutedOperands(ins) }
            let va = value(a, cls)
            if let imm = immediate(b, size: size) {
                mf.append(.aluImm(op, size: size, imm: imm), [.use(va), .def(d, .reuse(0))])
            } else {
                let vb = value(b, cls)
                mf.append(.alu(op, size: size), [.use(va), .use(vb), .def(d, .reuse(0))])
            }
        case .div where cls.isFloat:
            guard let d else { return }
            try floatArith(.div, ins, d)
        case .div, .udiv, .rem, .urem:
            guard let d else { return }
            if selectConstantDivision(ins, d) { return }
            let signed = ins.op == .div || ins.op == .rem
            let va = value(ins.a, cls), vb = value(ins.b, cls)
            let junk = newVReg(.l)
            let quotient = ins.op == .div || ins.op == .udiv
            let ops: [MachineOperand] = [
                .use(va, .fixed(X64Reg.rax)), .use(vb),
                MachineOperand(quotient ? d : junk, .def, .fixed(X64Reg.rax)),
                MachineOperand(quotient ? junk : d, .def, .fixed(X64Reg.rdx), at: .early),
            ]
            mf.append(.div(signed: signed, size: size), ops)
        case .neg:
            guard let d else { return }
            let va = value(ins.a, cls)
            if cls.isFloat {
                mf.append(.floatNeg(double: cls == .d), [.use(va), .def(d, .reuse(0))])
            } else {
                mf.append(.neg(size: size), [.use(va), .def(d, .reuse(0))])
            }
        case .sqrt:
            guard let d else { return }
            guard cls.isFloat else { throw fail("sqrt of class \(cls)") }
            mf.append(.floatSqrt(double: cls == .d), [.use(value(ins.a, cls)), .def(d)])
        case .sar, .shr, .shl:
            guard let d else { return }
            let op: X64Shift = ins.op == .sar ? .sar : ins.op == .shr ? .shr : .shl
            let va = value(ins.a, cls)
            if let imm = immediate(ins.b, size: 4) {
                let count = UInt8(Int(imm) & (size * 8 - 1))
                mf.append(.shiftImm(op, size: size, imm: count), [.use(va), .def(d, .reuse(0))])
            } else {
                let vc = value(ins.b, .w)
                mf.append(.shift(op, size: size), [.use(va), .use(vc, .fixed(X64Reg.rcx)), .def(d, .reuse(0))])
            }
        case _ where ins.op.isComparison:
            try compare(ins, branch: false)
        case _ where ins.op.isStore:
            try store(ins)
        case _ where ins.op.isLoad:
            guard var d else { return }
            var kind: X64LoadKind
            switch ins.op {
            case .loadsb: kind = .sb
            case .loadub: kind = .ub
            case .loadsh: kind = .sh
            case .loaduh: kind = .uh
            case .loadsw: kind = .sw
            case .loaduw: kind = .uw
            case .loads: kind = .s
            case .loadd: kind = .d
            default: kind = .l
            }
            var size = size
            if let (target, k, resultSize) = extendedLoadTarget(ins) { (d, kind, size) = (target, k, resultSize) }
            let (addr, base, index) = memoryAddress(ins.a)
            // Literal operand lists (no concatenation): the compiler keeps them on the stack.
            if let base, let index {
                mf.append(.load(kind, resultSize: size, addr), [.use(base), .use(index), .def(d)])
            } else if let base { mf.append(.load(kind, resultSize: size, addr), [.use(base), .def(d)]) }
            else { mf.append(.load(kind, resultSize: size, addr), [.def(d)]) }
        case .blit:
            let src = value(ins.a, .l), dst = value(ins.b, .l)
            mf.append(.blit(Int32(truncatingIfNeeded: ins.extra)), [.use(src), .use(dst)])
        case .alloc4, .alloc8, .alloc16:
            guard let d else { return }
            let align = ins.op.allocAlignment ?? 16
            if inEntry, let c = f.constant(ins.a), case .integer(let n) = c, n >= 0, n < 1 << 30 {
                let rounded = (Int(n) + align - 1) / align * align
                allocSlots.append((Int32(clamping: max(rounded, align)), Int32(clamping: align)))
                let slot = Int32(clamping: allocSlots.count - 1)
                // Accesses address the slot directly; other uses take its address where they are.
                staticSlot[d.int] = slot
                slotAddressAtUse[d.int] = true
            } else {
                let vs = value(ins.a, .l)
                mf.append(.dynamicAlloc(align: align), [.use(vs), .def(d, .reuse(0))])
            }
        case .extsb, .extub, .extsh, .extuh, .extsw, .extuw:
            guard let d else { return }
            let k: X64Convert
            switch ins.op {
            case .extsb: k = .extsb
            case .extub: k = .extub
            case .extsh: k = .extsh
            case .extuh: k = .extuh
            case .extsw: k = .extsw
            default: k = .extuw
            }
            if let v = extendedConstant(ins.op, ins.a, cls) {
                mf.append(.movImm(size: 8, imm: v), [.def(d)])
                return
            }
            let va = value(ins.a, .w)
            mf.append(.convert(k, size: size, double: false), [.use(va), .def(d)])
        case .exts, .truncd, .stosi, .stoui, .dtosi, .dtoui, .swtof, .uwtof, .sltof, .ultof, .cast:
            guard let d else { return }
            try convert(ins, d)
        case .copy:
            guard let d else { return }
            if ins.a.temp == nil {
                // Materialize straight into the result.
                let v = value(ins.a, cls)
                mf.append(.mov(float: cls.isFloat), [.use(v), .def(d)])
            } else {
                let srcClass = f.temps[ins.a.temp!.int].type ?? cls
                if srcClass.isFloat != cls.isFloat { throw fail("copy between integer and float classes") }
                mf.append(.mov(float: cls.isFloat), [.use(value(ins.a, cls)), .def(d)])
            }
        case .tagr:
            // The low bit set makes the word an immediate the collector skips.
            guard let d else { return }
            mf.append(.aluImm(.or, size: 8, imm: 1), [.use(value(ins.a, .l)), .def(d, .reuse(0))])
        case .call:
            try selectCall(ins)
        case .vastart:
            try selectVAStart(ins)
        case .vaarg:
            try selectVAArg(ins)
        case .dbgloc:
            let line = f.constant(ins.a)?.bits ?? 0, col = f.constant(ins.b)?.bits ?? 0
            mf.append(.dbgloc(line: Int32(truncatingIfNeeded: line), column: Int32(truncatingIfNeeded: col)), [])
        default:
            throw fail("instruction \(ins.op.name) is not supported yet")
        }
    }

    mutating func floatArith(_ op: X64FloatOp, _ ins: Instruction, _ d: VReg) throws(SelectionError) {
        if floatArithmeticWithConstant(op, ins, d) { return }
        let va = value(ins.a, ins.type), vb = value(ins.b, ins.type)
        mf.append(.floatALU(op, double: ins.type == .d), [.use(va), .use(vb), .def(d, .reuse(0))])
    }

    /// Selects comparison `ins`, as a value (setcc) or, with `branch`, as the block's terminator.
    mutating func compare(_ ins: Instruction, branch: Bool) throws(SelectionError) {
        let op = ins.op
        let raw = Int(op.rawValue)
        let d = ins.result.temp.map { VReg($0.int) }
        if raw >= Int(Opcode.ceqs.rawValue) {
            let double = raw >= Int(Opcode.ceqd.rawValue)
            let k = (raw - Int((double ? Opcode.ceqd : Opcode.ceqs).rawValue))
            let conds: [X64FloatCond] = [.eq, .ne, .ge, .gt, .le, .lt, .o, .uo]
            let cls: BaseType = double ? .d : .s
            if branch, floatBranchWithConstant(conds[k], ins, double: double) { return }
            let va = value(ins.a, cls), vb = value(ins.b, cls)
            if branch {
                mf.append(.floatCmpJump(conds[k], double: double), [.use(va), .use(vb)], terminator: true)
            } else if let d {
                mf.append(.floatCmpSet(conds[k], double: double), [.use(va), .use(vb), .def(d)])
            }
            return
        }
        let isLong = raw >= Int(Opcode.ceql.rawValue)
        let k = raw - Int((isLong ? Opcode.ceql : Opcode.ceqw).rawValue)
        let conds: [X64Cond] = [.e, .ne, .ge, .g, .le, .l, .ae, .a, .be, .b]
        var cond = conds[k]
        let size = isLong ? 8 : 4
        let cls: BaseType = isLong ? .l : .w
        var a = ins.a, b = ins.b
        if f.constant(a) != nil, f.constant(b) == nil {
            swap(&a, &b)
            cond = cond.swapped
        }
        let va = value(a, cls)
        if let imm = immediate(b, size: size) {
            if branch {
                mf.append(.cmpImmJump(cond, size: size, imm: imm), [.use(va)], terminator: true)
            } else if let d {
                mf.append(.cmpImmSet(cond, size: size, imm: imm), [.use(va), .def(d)])
            }
            return
        }
        let vb = value(b, cls)
        if branch {
            mf.append(.cmpJump(cond, size: size), [.use(va), .use(vb)], terminator: true)
        } else if let d {
            mf.append(.cmpSet(cond, size: size), [.use(va), .use(vb), .def(d)])
        }
    }

    /// Selects `and` `ins`, whose only use is its block's `jnz`, as `test` and a branch on its flags.
    /// `jnz` reads the low 32 bits of its operand, so a 32-bit test serves either class.
    mutating func testBranch(_ ins: Instruction) {
        var a = ins.a, b = ins.b
        if f.constant(a) != nil, f.constant(b) == nil { swap(&a, &b) }
        let va = value(a, ins.type)
        if let imm = immediate(b, size: 4) {
            mf.append(.testImmJump(imm: imm), [.use(va)], terminator: true)
        } else {
            mf.append(.testJump, [.use(va), .use(value(b, ins.type))], terminator: true)
        }
    }

    mutating func store(_ ins: Instruction) throws(SelectionError) {
        let size = ins.op.memoryWidth ?? 8
        let float = ins.op == .stores || ins.op == .stored
        if !float, let imm = immediate(ins.a, size: size == 8 ? 8 : 4) {
            let (addr, base, index) = memoryAddress(ins.b)
            if let base, let index { mf.append(.storeImm(size: size, imm: imm, addr), [.use(base), .use(index)]) }
            else if let base { mf.append(.storeImm(size: size, imm: imm, addr), [.use(base)]) }
            else { mf.append(.storeImm(size: size, imm: imm, addr), []) }
            if ins.op == .storer { cardMark(addr, base, index) }
            return
        }
        let cls: BaseType = float ? (size == 4 ? .s : .d) : (size == 8 ? .l : .w)
        let v = value(ins.a, cls)
        let (addr, base, index) = memoryAddress(ins.b)
        if let base, let index {
            mf.append(.store(size: size, float: float, addr), [.use(v), .use(base), .use(index)])
        } else if let base { mf.append(.store(size: size, float: float, addr), [.use(v), .use(base)]) }
        else { mf.append(.store(size: size, float: float, addr), [.use(v)]) }
        if ins.op == .storer { cardMark(addr, base, index) }
    }

    /// The write barrier of a `storer` to `addr`: the card of the field is
    /// marked dirty. Only a field addressed through a register can be in the
    /// heap (the card table covers nothing else): a store to a frame slot or
    /// a global needs no barrier, since those are roots scanned at every collection.
    mutating func cardMark(_ addr: X64Address, _ base: VReg?, _ index: VReg?) {
        guard let base else { return }
        let t = newVReg(.l)
        if let index { mf.append(.cardMark(addr), [.use(base), .use(index), .def(t)]) }
        else { mf.append(.cardMark(addr), [.use(base), .def(t)]) }
    }

    mutating func convert(_ ins: Instruction, _ d: VReg) throws(SelectionError) {
        let cls = ins.type
        let size = cls == .w || cls == .s ? 4 : 8
        var extraTemp = false
        let k: X64Convert, src: BaseType, double: Bool
        switch ins.op {
        case .exts: (k, src, double) = (.stod, .s, true)
        case .truncd: (k, src, double) = (.dtos, .d, false)
        case .stosi: (k, src, double) = (.stosi, .s, false)
        case .dtosi: (k, src, double) = (.dtosi, .d, true)
        case .stoui: (k, src, double) = (.stoui, .s, false)
        case .dtoui: (k, src, double) = (.dtoui, .d, true)
        case .swtof: (k, src, double) = (.swtof, .w, cls == .d)
        case .uwtof: (k, src, double) = (.uwtof, .w, cls == .d)
        case .sltof: (k, src, double) = (.sltof, .l, cls == .d)
        case .ultof:
            (k, src, double) = (.ultof, .l, cls == .d)
            extraTemp = true
        default:  // cast
            switch cls {
            case .w: (k, src, double) = (.floatToInt, .s, false)
            case .l: (k, src, double) = (.floatToInt, .d, true)
            case .s: (k, src, double) = (.intToFloat, .w, false)
            default: (k, src, double) = (.intToFloat, .l, true)
            }
        }
        let va = value(ins.a, src)
        var ops: [MachineOperand] = [.use(va), .def(d)]
        if extraTemp { ops.append(MachineOperand(newVReg(.l), .def, .reg, at: .early)) }
        let resultSize = cls.isFloat ? (cls == .d ? 8 : 4) : size
        mf.append(.convert(k, size: resultSize, double: double), ops)
    }
}

extension X64Cond {
    /// The condition with the operands exchanged (a < b ⇔ b > a).
    var swapped: X64Cond {
        switch self {
        case .e, .ne: return self
        case .ge: return .le
        case .le: return .ge
        case .g: return .l
        case .l: return .g
        case .ae: return .be
        case .be: return .ae
        case .a: return .b
        case .b: return .a
        }
    }
}
