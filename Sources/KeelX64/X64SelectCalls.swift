// Selection of the function boundary: parameters, calls, returns and
// variadic arguments, following the System V assignment computed by
// `SysVABI` (SysVABI.swift): scalars in their registers or 8-byte stack
// cells, aggregates split into eightbyte parts (loaded from / stored to
// memory, since an aggregate value is its address in the IL) or copied to
// the stack, MEMORY-class results through a hidden pointer in rdi, %al set
// for variadic calls, the environment in rax.
import KeelCodegen
import KeelIR

extension X64Selector {
    func subwordExtension(for t: ABIType) -> X64Convert? {
        switch t {
        case .sb: return .extsb
        case .ub: return .extub
        case .sh: return .extsh
        case .uh: return .extuh
        default: return nil
        }
    }

    func aggregate(_ t: ABIType) -> AggregateType? {
        if case .aggregate(let id) = t, id.int < module.types.count { return module.types[id.int] }
        return nil
    }

    /// A new static frame slot of at least `size` bytes, rounded to 8 so whole eightbytes fit.
    mutating func newSlot(size: Int, align: Int) -> Int32 {
        let a = max(8, min(align, 16))
        allocSlots.append((Int32(clamping: (max(size, 1) + 7) / 8 * 8), Int32(clamping: a)))
        return Int32(clamping: allocSlots.count - 1)
    }

    func partLoad(_ p: RegisterPart) -> X64LoadKind {
        switch p.type {
        case .s: return .s
        case .d: return .d
        default: return p.size <= 4 ? .uw : .l
        }
    }

    func partClass(_ p: RegisterPart) -> BaseType {
        switch p.type {
        case .s: return .s
        case .d: return .d
        default: return .l
        }
    }

    mutating func storePart(_ v: VReg, _ p: RegisterPart, slot: Int32) {
        let float = p.type.isFloat
        let size = p.type == .s ? 4 : 8
        mf.append(.store(size: size, float: float, .slot(slot, Int32(clamping: p.offset))), [.use(v)])
    }

    mutating func selectParameters() throws(SelectionError) {
        guard let assign = boundary.parameters else { throw fail("a variadic function cannot take an environment") }
        var defs: [MachineOperand] = []
        var after: [(X64Inst, [MachineOperand])] = []
        if let env = f.env { defs.append(.def(VReg(env.int), .fixed(X64Reg.rax))) }
        if assign.returnLocation == .hiddenPointer {
            let h = newVReg(.l)
            hiddenReturn = h
            defs.append(.def(h, .fixed(X64Reg.rdi)))
        }
        for (p, loc) in zip(f.parameters, assign.arguments) {
            position = p.position
            let d = VReg(p.temp.int)
            let cls = p.type.valueClass
            if let agg = aggregate(p.type) {
                switch loc {
                case .registers(let parts):
                    let slot = newSlot(size: agg.size, align: agg.alignment)
                    for part in parts {
                        let v = newVReg(partClass(part))
                        defs.append(.def(v, .fixed(part.register)))
                        after.append((.store(size: part.type == .s ? 4 : 8, float: part.type.isFloat,
                                             .slot(slot, Int32(clamping: part.offset))), [.use(v)]))
                    }
                    // Accesses through the parameter address its slot directly;
                    // other uses take its address where they are.
                    staticSlot[d.int] = slot
                    slotAddressAtUse[d.int] = true
                case .stack(let off, _):
                    after.append((.stackParameterAddress(offset: Int32(clamping: off)), [.def(d)]))
                }
                continue
            }
            let ext = subwordExtension(for: p.type)
            let target = ext == nil ? d : newVReg(.w)
            switch loc {
            case .registers(let parts): defs.append(.def(target, .fixed(parts.first?.register ?? X64Reg.rdi)))
            case .stack(let off, _):
                after.append((.stackParameter(offset: Int32(clamping: off), float: cls.isFloat, size: cls.size), [.def(target)]))
            }
            if let ext { after.append((.convert(ext, size: 4, double: false), [.use(target), .def(d)])) }
        }
        if f.isVariadic {
            let slot = newSlot(size: 176, align: 16)
            variadic = (slot, Int32(clamping: assign.integerRegistersUsed * 8), Int32(clamping: 48 + assign.sseRegistersUsed * 16),
                        Int32(clamping: assign.stackArgumentBytes))
        }
        if !defs.isEmpty { mf.append(.parameters, defs) }
        for (p, ops) in after { mf.append(p, ops) }
    }

    mutating func selectCall(_ ins: Instruction) throws(SelectionError) {
        guard Int(ins.extra) < boundary.callSites.count else { throw fail("malformed call") }
        let site = boundary.callSites[Int(ins.extra)]
        if site.isTail { throw fail("tailcall is not the last instruction of its block (the verifier requires it)") }
        if try selectInlineAllocation(ins, site) { return }
        guard let assign = boundary.calls[Int(ins.extra)] else { throw fail("a variadic call cannot pass an environment") }
        var uses: [MachineOperand] = []
        var stackCopies: [(X64Inst, [MachineOperand])] = []
        if !site.env.isNone { uses.append(.use(value(site.env, .l), .fixed(X64Reg.rax))) }
        var resultSlot: Int32? = nil
        if let rt = site.returnType, let agg = aggregate(rt) {
            resultSlot = newSlot(size: agg.size, align: agg.alignment)
            if assign.returnLocation == .hiddenPointer {
                let p = newVReg(.l)
                mf.append(.slotAddress(resultSlot!, 0), [.def(p)])
                uses.append(.use(p, .fixed(X64Reg.rdi)))
            }
        }
        for (arg, loc) in zip(site.arguments, assign.arguments) {
            if let agg = aggregate(arg.type) {
                let (addr, base) = address(arg.value)
                if base == nil, case .registers(let parts) = loc, case .slot(let s, let off) = addr {
                    // A frame slot's parts are read in place: no register for its address.
                    for part in parts {
                        let v = newVReg(partClass(part))
                        mf.append(.load(partLoad(part), resultSize: 8, .slot(s, off + Int32(clamping: part.offset))),
                                  [.def(v)])
                        uses.append(.use(v, .fixed(part.register)))
                    }
                    continue
                }
                let baseVReg = base ?? newVReg(.l)
                if base == nil {
                    // Take the address once so parts and copies have a register base.
                    switch addr {
                    case .slot(let s, let off): mf.append(.slotAddress(s, off), [.def(baseVReg)])
                    case .symbol(let s, let off): mf.append(.leaSymbol(s, off), [.def(baseVReg)])
                    case .absolute(let v): mf.append(.movImm(size: 8, imm: Int64(v)), [.def(baseVReg)])
                    case .base, .indexed: break
                    }
                }
                switch loc {
                case .registers(let parts):
                    for part in parts {
                        let v = newVReg(partClass(part))
                        mf.append(.load(partLoad(part), resultSize: 8, .base(Int32(clamping: part.offset))),
                                  [.use(baseVReg), .def(v)])
                        uses.append(.use(v, .fixed(part.register)))
                    }
                case .stack(let off, _):
                    stackCopies.append((.copyToOutgoing(offset: Int32(clamping: off), size: Int32(clamping: agg.size)), [.use(baseVReg)]))
                }
                continue
            }
            let cls = arg.type.valueClass
            var v = value(arg.value, cls)
            if let ext = subwordExtension(for: arg.type) {
                let e = newVReg(.w)
                mf.append(.convert(ext, size: 4, double: false), [.use(v), .def(e)])
                v = e
            }
            switch loc {
            case .registers(let parts): uses.append(.use(v, .fixed(parts.first?.register ?? X64Reg.rdi)))
            case .stack(let off, _): stackCopies.append((.storeOutgoing(offset: Int32(clamping: off), float: cls.isFloat), [.use(v)]))
            }
        }
        let frame = Int32(clamping: (assign.stackSize + 15) & ~15)
        if frame > 0 {
            mf.append(.adjustStack(-frame), [])
            for (p, ops) in stackCopies { mf.append(p, ops) }
        }
        if let n = assign.vectorRegisterCount, site.env.isNone {
            let al = newVReg(.w)
            mf.append(.movImm(size: 4, imm: Int64(n)), [.def(al)])
            uses.append(.use(al, .fixed(X64Reg.rax)))
        }
        var ops: [MachineOperand] = []
        var target: SymbolID? = nil
        if let c = f.constant(ins.a), case .symbol(let sym, 0, .direct) = c {
            target = sym
        } else {
            ops.append(.use(value(ins.a, .l)))
        }
        ops += uses
        var post: [(X64Inst, [MachineOperand])] = []
        let d = ins.result.temp.map { VReg($0.int) }
        if let rt = site.returnType {
            if let slot = resultSlot {
                if case .registers(let parts) = assign.returnLocation {
                    for part in parts {
                        let v = newVReg(partClass(part))
                        ops.append(.def(v, .fixed(part.register)))
                        post.append((.store(size: part.type == .s ? 4 : 8, float: part.type.isFloat,
                                            .slot(slot, Int32(clamping: part.offset))), [.use(v)]))
                    }
                }
                if let d {
                    staticSlot[d.int] = slot
                    if localUses[d.int] == useCount[d.int] {
                        // Every use follows in this block, selected after the call:
                        // each takes the address where it is.
                        slotAddressAtUse[d.int] = true
                    } else {
                        post.append((.slotAddress(slot, 0), [.def(d)]))
                    }
                }
            } else if let d {
                let cls = rt.valueClass
                if let ext = subwordExtension(for: rt) {
                    let raw = newVReg(.w)
                    ops.append(.def(raw, .fixed(X64Reg.rax)))
                    post.append((.convert(ext, size: 4, double: false), [.use(raw), .def(d)]))
                } else {
                    ops.append(.def(d, .fixed(cls.isFloat ? X64Reg.xmm(0) : X64Reg.rax)))
                }
            }
        }
        mf.append(.call(target), ops, clobbers: X64Reg.sysV.callerSaved,
                  safepoint: safepoints.isSafepoint(callee: target))
        if frame > 0 { mf.append(.adjustStack(frame), []) }
        for (p, o) in post { mf.append(p, o) }
    }

    /// `call $keel_alloc(l $layout, l N)` with a layout of the module and a
    /// small constant N: one `.allocate` instruction, the nursery's bump
    /// pointer inline and the runtime call only when the nursery is full
    /// (docs/runtime.md, "Allocation"). To the allocator it is the call it
    /// replaces — a safepoint clobbering the caller-saved registers with its
    /// result in rax — so references are in their slots whichever path runs.
    mutating func selectInlineAllocation(_ ins: Instruction, _ site: CallSite) throws(SelectionError) -> Bool {
        guard let (layout, words) = safepoints.inlineAllocation(ins, site, in: f) else { return false }
        let d = ins.result.temp.map { VReg($0.int) } ?? newVReg(.l)
        mf.append(.allocate(layout: layout, words: Int32(words)), [.def(d, .fixed(X64Reg.rax))],
                  clobbers: X64Reg.sysV.callerSaved, safepoint: true)
        return true
    }

    mutating func selectReturn(_ r: Ref) throws(SelectionError) {
        guard let rt = f.returnType, !r.isNone else {
            mf.append(.ret, [], terminator: true)
            mf.setSuccessors([], arguments: [])
            return
        }
        if let agg = aggregate(rt) {
            var ops: [MachineOperand] = []
            if hiddenReturn == nil, case .registers(let parts) = boundary.returnLocation,
               case (.slot(let slot, let off), nil) = address(r) {
                // A frame slot's parts are read in place.
                for part in parts {
                    let v = newVReg(partClass(part))
                    mf.append(.load(partLoad(part), resultSize: 8, .slot(slot, off + Int32(clamping: part.offset))), [.def(v)])
                    ops.append(.use(v, .fixed(part.register)))
                }
                mf.append(.ret, ops, terminator: true)
                mf.setSuccessors([], arguments: [])
                return
            }
            let src = value(r, .l)
            if let h = hiddenReturn {
                mf.append(.blit(Int32(clamping: agg.size)), [.use(src), .use(h)])
                ops.append(.use(h, .fixed(X64Reg.rax)))
            } else if case .registers(let parts) = boundary.returnLocation {
                for part in parts {
                    let v = newVReg(partClass(part))
                    mf.append(.load(partLoad(part), resultSize: 8, .base(Int32(clamping: part.offset))), [.use(src), .def(v)])
                    ops.append(.use(v, .fixed(part.register)))
                }
            }
            mf.append(.ret, ops, terminator: true)
            mf.setSuccessors([], arguments: [])
            return
        }
        let cls = rt.valueClass
        var v = value(r, cls)
        if let ext = subwordExtension(for: rt) {
            let e = newVReg(.w)
            mf.append(.convert(ext, size: 4, double: false), [.use(v), .def(e)])
            v = e
        }
        mf.append(.ret, [.use(v, .fixed(cls.isFloat ? X64Reg.xmm(0) : X64Reg.rax))], terminator: true)
        mf.setSuccessors([], arguments: [])
    }

    /// `vastart %ap`: fills the 24-byte va_list.
    mutating func selectVAStart(_ ins: Instruction) throws(SelectionError) {
        guard let v = variadic else { throw fail("vastart in a function that is not variadic") }
        let ap = value(ins.a, .l)
        mf.append(.vaStart(saveSlot: v.slot, gp: v.gp, fp: v.fp, overflow: v.overflow), [.use(ap)])
    }

    /// `%x =T vaarg %ap`.
    mutating func selectVAArg(_ ins: Instruction) throws(SelectionError) {
        guard let d = ins.result.temp.map({ VReg($0.int) }) else { return }
        let ap = value(ins.a, .l)
        let tmp = newVReg(.l)
        mf.append(.vaArg(float: ins.type.isFloat, size: ins.type.size),
                  [.use(ap), .def(d), MachineOperand(tmp, .def, .reg, at: .early)])
    }
}
