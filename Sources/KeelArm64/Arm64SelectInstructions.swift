// Instruction selection of the straight-line IL instructions (see Arm64Selector.swift).
import KeelCodegen
import KeelIR

extension Arm64Selector {
    mutating func select(_ ins: Instruction, inEntry: Bool) throws(SelectionError) {
        let cls = ins.type
        let wide = cls == .l || cls == .r || cls == .d
        let d = ins.result.temp.map { VReg($0.int) }
        if let t = ins.result.temp, fusedCompare[t.int] || absorbed[t.int] { return }
        switch ins.op {
        case .add, .sub, .mul, .div, .udiv, .and, .or, .xor, .sar, .shr, .shl:
            guard let d else { return }
            if cls.isFloat {
                let op: Arm64FloatOp
                switch ins.op {
                case .add: op = .fadd
                case .sub: op = .fsub
                case .mul: op = .fmul
                case .div: op = .fdiv
                default: throw fail("\(ins.op.name) is not a float operation")
                }
                mf.append(.floatALU(op, double: cls == .d),
                          [.use(try value(ins.a, cls)), .use(try value(ins.b, cls)), .def(d)])
                return
            }
            if let mul = fusedMultiply[Int32(d.int)] {
                // d = a·b + c, or c − a·b for a `sub` (the product is its second operand).
                let c = (ins.op == .sub || ins.b == mul.result) ? ins.a : ins.b
                let va = try value(mul.a, cls), vb = try value(mul.b, cls), vc = try value(c, cls)
                mf.append(.multiplyAdd(subtract: ins.op == .sub, wide: wide), [.use(va), .use(vb), .use(vc), .def(d)])
                return
            }
            if let form = shiftedOperand[Int32(d.int)] {
                let op: Arm64ALU = ins.op == .add ? .add : ins.op == .sub ? .sub : ins.op == .and ? .and : ins.op == .or ? .orr : .eor
                let va = try value(form.other, cls), vb = try value(form.shifted, cls)
                mf.append(.aluShifted(op, wide: wide, shift: form.shift), [.use(va), .use(vb), .def(d)])
                return
            }
            try integerArithmetic(ins, d, wide: wide)
        case .rem, .urem:
            guard let d else { return }
            mf.append(.rem(signed: ins.op == .rem, wide: wide),
                      [.use(try value(ins.a, cls)), .use(try value(ins.b, cls)), .def(d)])
        case .neg:
            guard let d else { return }
            let va = try value(ins.a, cls)
            mf.append(cls.isFloat ? .floatNeg(double: cls == .d) : .neg(wide: wide), [.use(va), .def(d)])
        case .sqrt:
            guard let d else { return }
            guard cls.isFloat else { throw fail("sqrt of class \(cls)") }
            mf.append(.floatSqrt(double: cls == .d), [.use(try value(ins.a, cls)), .def(d)])
        case .tagr:
            // The low bit set makes the word an immediate the collector skips.
            guard let d else { return }
            mf.append(.aluImm(.orr, wide: true, imm: 1), [.use(try value(ins.a, .l)), .def(d)])
        case _ where ins.op.isComparison:
            try compare(ins, branch: false)
        case _ where ins.op.isStore:
            let size = ins.op.memoryWidth ?? 8
            let float = ins.op == .stores || ins.op == .stored
            let vcls: BaseType = float ? (size == 4 ? .s : .d) : (size == 8 ? .l : .w)
            let v = try value(ins.a, vcls)
            let (addr, regs) = try address(ins.b)
            mf.append(.store(size: size, float: float, addr), [.use(v)] + regs.map { .use($0) })
            if ins.op == .storer { cardMark(ins.b, addr, regs) }
        case _ where ins.op.isLoad:
            guard let d else { return }
            let kind: Arm64LoadKind
            switch ins.op {
            case .loadsb: kind = .sb
            case .loadub: kind = .ub
            case .loadsh: kind = .sh
            case .loaduh: kind = .uh
            case .loadsw: kind = cls == .w ? .uw : .sw
            case .loaduw: kind = .uw
            case .loads: kind = .s
            case .loadd: kind = .d
            default: kind = cls == .w ? .uw : .l
            }
            let (addr, regs) = try address(ins.a)
            mf.append(.load(kind, wide: wide, addr), regs.map { .use($0) } + [.def(d)])
        case .blit:
            let src = try value(ins.a, .l), dst = try value(ins.b, .l)
            mf.append(.blit(Int32(truncatingIfNeeded: ins.extra)), [.use(src), .use(dst)])
        case .alloc4, .alloc8, .alloc16:
            guard let d else { return }
            let align = ins.op.allocAlignment ?? 16
            if inEntry, let c = f.constant(ins.a), case .integer(let n) = c, n >= 0, n < 1 << 30 {
                let rounded = (Int(n) + align - 1) / align * align
                allocSlots.append((Int32(clamping: max(rounded, align)), Int32(clamping: align)))
                let slot = Int32(clamping: allocSlots.count - 1)
                staticSlot[d.int] = slot
                // A slot only ever used as a load/store address needs no register.
                if addressUses[d.int] < useCount[d.int] { mf.append(.slotAddress(slot, 0), [.def(d)]) }
            } else {
                // Every run-time allocation is rounded to 16, which covers each alignment.
                mf.append(.dynamicAlloc, [.use(try value(ins.a, .l)), .def(d)])
            }
        case .extsb, .extub, .extsh, .extuh, .extsw, .extuw:
            guard let d else { return }
            let k: Arm64Convert
            switch ins.op {
            case .extsb: k = .extsb
            case .extub: k = .extub
            case .extsh: k = .extsh
            case .extuh: k = .extuh
            case .extsw: k = .extsw
            default: k = .extuw
            }
            mf.append(.convert(k, wide: wide, double: false), [.use(try value(ins.a, .w)), .def(d)])
        case .exts, .truncd, .stosi, .stoui, .dtosi, .dtoui, .swtof, .uwtof, .sltof, .ultof, .cast:
            guard let d else { return }
            try convert(ins, d)
        case .copy:
            guard let d else { return }
            if let t = ins.a.temp, (f.temps[t.int].type ?? cls).isFloat != cls.isFloat {
                throw fail("copy between integer and float classes")
            }
            mf.append(.mov(float: cls.isFloat), [.use(try value(ins.a, cls)), .def(d)])
        case .call:
            try selectCall(ins)
        case .vastart:
            guard let v = variadic else { throw fail("vastart in a function that is not variadic") }
            mf.append(.vaStart(saveSlot: v.slot, grOffset: v.gr, vrOffset: v.vr, namedStack: v.stack),
                      [.use(try value(ins.a, .l))])
        case .vaarg:
            guard let d else { return }
            mf.append(.vaArg(float: cls.isFloat, wide: cls.size == 8), [.use(try value(ins.a, .l)), .def(d)])
        case .dbgloc:
            let line = f.constant(ins.a)?.bits ?? 0, col = f.constant(ins.b)?.bits ?? 0
            mf.append(.dbgloc(line: Int32(truncatingIfNeeded: line), column: Int32(truncatingIfNeeded: col)), [])
        default:
            throw fail("instruction \(ins.op.name) is not yet supported on arm64")
        }
    }

    /// Integer add … shl, with an encodable constant second operand as an immediate.
    mutating func integerArithmetic(_ ins: Instruction, _ d: VReg, wide: Bool) throws(SelectionError) {
        let op: Arm64ALU
        switch ins.op {
        case .add: op = .add
        case .sub: op = .sub
        case .mul: op = .mul
        case .div: op = .sdiv
        case .udiv: op = .udiv
        case .and: op = .and
        case .or: op = .orr
        case .xor: op = .eor
        case .sar: op = .asr
        case .shr: op = .lsr
        default: op = .lsl
        }
        var (a, b) = (ins.a, ins.b)
        let commutes = op == .add || op == .mul || op == .and || op == .orr || op == .eor
        if commutes, f.constant(a) != nil, f.constant(b) == nil { swap(&a, &b) }
        if let imm = integerConstant(b, wide: wide), a.temp != nil || f.constant(a) != nil {
            var immOp: (Arm64ALU, Int64)? = nil
            switch op {
            case .add, .sub:
                if Arm64Immediate.isAddSub(imm) { immOp = (op, imm) }
                else if imm != Int64.min, Arm64Immediate.isAddSub(-imm) { immOp = (op == .add ? .sub : .add, -imm) }
            case .and, .orr, .eor:
                if Arm64Immediate.isLogical(imm, wide: wide) { immOp = (op, imm) }
            case .lsl, .lsr, .asr:
                immOp = (op, imm & (wide ? 63 : 31))
            default: break
            }
            if let (o, v) = immOp {
                mf.append(.aluImm(o, wide: wide, imm: v), [.use(try value(a, ins.type)), .def(d)])
                return
            }
        }
        let va = try value(a, ins.type), vb = try value(b, ins.type)
        mf.append(.alu(op, wide: wide), [.use(va), .use(vb), .def(d)])
    }

    /// The condition that holds after `fcmp a, b` exactly when QBE's float comparison `k`
    /// (eq ne ge gt le lt o uo) does: unordered operands set C and V, so
    /// `ls`/`mi` stand for le/lt, and ne is true on unordered operands.
    static let floatConditions: [Arm64Cond] = [.eq, .ne, .ge, .gt, .ls, .mi, .vc, .vs]
    static let integerConditions: [Arm64Cond] = [.eq, .ne, .ge, .gt, .le, .lt, .hs, .hi, .ls, .lo]

    /// Selects comparison `ins`, as a value (cset) or, with `branch`, as the block's terminator.
    mutating func compare(_ ins: Instruction, branch: Bool) throws(SelectionError) {
        let raw = Int(ins.op.rawValue)
        let d = ins.result.temp.map { VReg($0.int) }
        if raw >= Int(Opcode.ceqs.rawValue) {
            let double = raw >= Int(Opcode.ceqd.rawValue)
            let cond = Self.floatConditions[raw - Int((double ? Opcode.ceqd : Opcode.ceqs).rawValue)]
            let cls: BaseType = double ? .d : .s
            let va = try value(ins.a, cls), vb = try value(ins.b, cls)
            if branch {
                mf.append(.floatCmpJump(cond, double: double), [.use(va), .use(vb)], terminator: true)
            } else if let d {
                mf.append(.floatCmpSet(cond, double: double), [.use(va), .use(vb), .def(d)])
            }
            return
        }
        let wide = raw >= Int(Opcode.ceql.rawValue)
        var cond = Self.integerConditions[raw - Int((wide ? Opcode.ceql : Opcode.ceqw).rawValue)]
        let cls: BaseType = wide ? .l : .w
        var a = ins.a, b = ins.b
        if f.constant(a) != nil, f.constant(b) == nil {
            swap(&a, &b)
            cond = cond.swapped
        }
        let va = try value(a, cls)
        // An equality test with zero that only branches is cbz/cbnz.
        if branch, let imm = integerConstant(b, wide: wide), imm == 0, cond == .eq || cond == .ne {
            mf.append(cond == .eq ? .jz(wide: wide) : .jnz(wide: wide), [.use(va)], terminator: true)
            return
        }
        // cmp takes an add/sub immediate; cmn the negated one.
        if let imm = integerConstant(b, wide: wide),
           Arm64Immediate.isAddSub(imm) || (imm != Int64.min && Arm64Immediate.isAddSub(-imm)) {
            if branch {
                mf.append(.cmpImmJump(cond, wide: wide, imm: imm), [.use(va)], terminator: true)
            } else if let d {
                mf.append(.cmpImmSet(cond, wide: wide, imm: imm), [.use(va), .def(d)])
            }
            return
        }
        let vb = try value(b, cls)
        if branch {
            mf.append(.cmpJump(cond, wide: wide), [.use(va), .use(vb)], terminator: true)
        } else if let d {
            mf.append(.cmpSet(cond, wide: wide), [.use(va), .use(vb), .def(d)])
        }
    }

    mutating func convert(_ ins: Instruction, _ d: VReg) throws(SelectionError) {
        let cls = ins.type
        let k: Arm64Convert, src: BaseType, wide: Bool, double: Bool
        switch ins.op {
        case .exts: (k, src, wide, double) = (.stod, .s, false, true)
        case .truncd: (k, src, wide, double) = (.dtos, .d, false, false)
        case .stosi: (k, src, wide, double) = (.ftosi, .s, cls == .l, false)
        case .dtosi: (k, src, wide, double) = (.ftosi, .d, cls == .l, true)
        case .stoui: (k, src, wide, double) = (.ftoui, .s, cls == .l, false)
        case .dtoui: (k, src, wide, double) = (.ftoui, .d, cls == .l, true)
        case .swtof: (k, src, wide, double) = (.sitof, .w, false, cls == .d)
        case .uwtof: (k, src, wide, double) = (.uitof, .w, false, cls == .d)
        case .sltof: (k, src, wide, double) = (.sitof, .l, true, cls == .d)
        case .ultof: (k, src, wide, double) = (.uitof, .l, true, cls == .d)
        default:  // cast
            switch cls {
            case .w: (k, src, wide, double) = (.floatToInt, .s, false, false)
            case .l: (k, src, wide, double) = (.floatToInt, .d, true, true)
            case .s: (k, src, wide, double) = (.intToFloat, .w, false, false)
            default: (k, src, wide, double) = (.intToFloat, .l, true, true)
            }
        }
        mf.append(.convert(k, wide: wide, double: double), [.use(try value(ins.a, src)), .def(d)])
    }
}
