// Selection of the function boundary: parameters, calls and returns,
// following the AAPCS64 assignment of AAPCS64.swift: scalars in x0–x7 /
// v0–v7 or 8-byte stack cells; aggregates (an address in the IL) split into
// register parts loaded from / stored to memory, copied to the stack, or
// copied by the caller and passed by address; results in x0 / v0, in parts,
// or through the buffer the caller passes in x8; the environment in x9;
// sub-word values extended by both caller and callee.
import KeelCodegen
import KeelIR

extension Arm64Selector {
    func subwordExtension(for t: ABIType) -> Arm64Convert? {
        switch t {
        case .sb: return .extsb
        case .ub: return .extub
        case .sh: return .extsh
        case .uh: return .extuh
        default: return nil
        }
    }

    func aggregate(_ t: ABIType?) -> AggregateType? {
        if case .aggregate(let id)? = t, id.int < module.types.count { return module.types[id.int] }
        return nil
    }

    /// A new static frame slot of at least `size` bytes, rounded to 8 so whole parts fit.
    mutating func newSlot(size: Int, align: Int) -> Int32 {
        allocSlots.append((Int32(clamping: (max(size, 1) + 7) / 8 * 8), Int32(clamping: max(8, min(align, 16)))))
        return Int32(clamping: allocSlots.count - 1)
    }

    /// The load of one part from its aggregate: a short integer tail reads only its 4 bytes.
    func partLoad(_ p: Arm64Part) -> Arm64LoadKind {
        switch p.type {
        case .s: return .s
        case .d: return .d
        default: return p.size <= 4 ? .uw : .l
        }
    }

    func partStore(_ p: Arm64Part, slot: Int32) -> Arm64Inst {
        .store(size: p.type == .s ? 4 : 8, float: p.type.isFloat, .slot(slot, Int32(clamping: p.offset)))
    }

    /// Loads each part from the aggregate at `base` into a fresh vreg, used in its register.
    mutating func loadParts(_ parts: [Arm64Part], from base: VReg) -> [MachineOperand] {
        parts.map { part in
            let v = newVReg(part.type)
            mf.append(.load(partLoad(part), wide: true, .base(Int32(clamping: part.offset))), [.use(base), .def(v)])
            return .use(v, .fixed(part.register))
        }
    }

    mutating func selectParameters() throws(SelectionError) {
        let assign: Arm64Assignment
        switch boundary.parameters {
        case .success(let a): assign = a
        case .failure(let e): throw e
        }
        var defs: [MachineOperand] = []
        var after: [(Arm64Inst, [MachineOperand])] = []
        if let env = f.env { defs.append(.def(VReg(env.int), .fixed(Arm64Reg.environment))) }
        if assign.returnLocation == .memory {
            let h = newVReg(.l)
            hiddenReturn = h
            defs.append(.def(h, .fixed(Arm64Reg.indirectResult)))
        }
        for (p, loc) in zip(f.parameters, assign.arguments) {
            position = p.position
            let d = VReg(p.temp.int)
            let cls = p.type.valueClass
            switch loc {
            case .parts(let parts):
                let agg = aggregate(p.type)
                let slot = newSlot(size: agg?.size ?? 8, align: agg?.alignment ?? 8)
                for part in parts {
                    let v = newVReg(part.type)
                    defs.append(.def(v, .fixed(part.register)))
                    after.append((partStore(part, slot: slot), [.use(v)]))
                }
                after.append((.slotAddress(slot, 0), [.def(d)]))
                continue
            case .stackBlock(let off, _):
                after.append((.stackParameterAddress(offset: Int32(clamping: off)), [.def(d)]))
                continue
            case .reference(.register(let r)):
                defs.append(.def(d, .fixed(r)))
                continue
            case .reference(let inner):
                guard case .stack(let off) = inner else { throw fail("malformed parameter location") }
                after.append((.stackParameter(offset: Int32(clamping: off), float: false, wide: true), [.def(d)]))
                continue
            case .register, .stack:
                break
            }
            let ext = subwordExtension(for: p.type)
            let target = ext == nil ? d : newVReg(.w)
            if case .register(let r) = loc { defs.append(.def(target, .fixed(r))) }
            if case .stack(let off) = loc {
                after.append((.stackParameter(offset: Int32(clamping: off), float: cls.isFloat, wide: cls.size == 8),
                              [.def(target)]))
            }
            if let ext { after.append((.convert(ext, wide: false, double: false), [.use(target), .def(d)])) }
        }
        if f.isVariadic {
            // 8 x registers, then 8 v registers in 16-byte cells, as va_list's __gr_top/__vr_top expect.
            let slot = newSlot(size: 192, align: 16)
            variadic = (slot, Int32(-(8 - assign.integerRegistersUsed) * 8), Int32(-(8 - assign.floatRegistersUsed) * 16),
                        Int32(clamping: assign.namedStackBytes))
        }
        if !defs.isEmpty { mf.append(.parameters, defs) }
        for (p, ops) in after { mf.append(p, ops) }
    }

    mutating func selectCall(_ ins: Instruction) throws(SelectionError) {
        guard Int(ins.extra) < boundary.callSites.count else { throw fail("malformed call") }
        let site = boundary.callSites[Int(ins.extra)]
        if site.isTail { throw fail("tailcall is not the last instruction of its block (the verifier requires it)") }
        if try selectInlineAllocation(ins, site) { return }
        let assign = boundary.calls[Int(ins.extra)]
        var uses: [MachineOperand] = []
        var stackStores: [(Arm64Inst, [MachineOperand])] = []
        if !site.env.isNone { uses.append(.use(try value(site.env, .l), .fixed(Arm64Reg.environment))) }
        var resultSlot: Int32? = nil
        if let agg = aggregate(site.returnType) {
            let slot = newSlot(size: agg.size, align: agg.alignment)
            resultSlot = slot
            if assign.returnLocation == .memory {
                let p = newVReg(.l)
                mf.append(.slotAddress(slot, 0), [.def(p)])
                uses.append(.use(p, .fixed(Arm64Reg.indirectResult)))
            }
        }
        for (arg, loc) in zip(site.arguments, assign.arguments) {
            let cls = arg.type.valueClass
            var v = try value(arg.value, cls)
            switch loc {
            case .parts(let parts):
                uses += loadParts(parts, from: v)
                continue
            case .stackBlock(let off, let size):
                stackStores.append((.copyToOutgoing(offset: Int32(clamping: off), size: Int32(clamping: size)), [.use(v)]))
                continue
            case .reference(let inner):
                // The callee may write its copy: pass the address of a fresh one.
                let agg = aggregate(arg.type)
                let slot = newSlot(size: agg?.size ?? 8, align: agg?.alignment ?? 8)
                let copy = newVReg(.l)
                mf.append(.slotAddress(slot, 0), [.def(copy)])
                mf.append(.blit(Int32(clamping: agg?.size ?? 0)), [.use(v), .use(copy)])
                switch inner {
                case .register(let r): uses.append(.use(copy, .fixed(r)))
                case .stack(let off):
                    stackStores.append((.storeOutgoing(offset: Int32(clamping: off), float: false, wide: true), [.use(copy)]))
                default: throw fail("malformed argument location")
                }
                continue
            case .register, .stack:
                break
            }
            if let ext = subwordExtension(for: arg.type) {
                let e = newVReg(.w)
                mf.append(.convert(ext, wide: false, double: false), [.use(v), .def(e)])
                v = e
            }
            if case .register(let r) = loc { uses.append(.use(v, .fixed(r))) }
            if case .stack(let off) = loc {
                stackStores.append((.storeOutgoing(offset: Int32(clamping: off), float: cls.isFloat, wide: cls.size == 8),
                                    [.use(v)]))
            }
        }
        let frame = Int32(clamping: assign.stackSize)
        if frame > 0 {
            mf.append(.adjustStack(-frame), [])
            for (p, ops) in stackStores { mf.append(p, ops) }
        }
        var ops: [MachineOperand] = []
        var target: SymbolID? = nil
        if let c = f.constant(ins.a), case .symbol(let sym, 0, .direct) = c {
            target = sym
        } else {
            ops.append(.use(try value(ins.a, .l)))
        }
        ops += uses
        var post: [(Arm64Inst, [MachineOperand])] = []
        let d = ins.result.temp.map { VReg($0.int) }
        if let slot = resultSlot {
            if case .parts(let parts) = assign.returnLocation {
                for part in parts {
                    let v = newVReg(part.type)
                    ops.append(.def(v, .fixed(part.register)))
                    post.append((partStore(part, slot: slot), [.use(v)]))
                }
            }
            if let d { post.append((.slotAddress(slot, 0), [.def(d)])) }
        } else if let rt = site.returnType, let d {
            let cls = rt.valueClass
            if let ext = subwordExtension(for: rt) {
                let raw = newVReg(.w)
                ops.append(.def(raw, .fixed(Arm64Reg.x(0))))
                post.append((.convert(ext, wide: false, double: false), [.use(raw), .def(d)]))
            } else {
                ops.append(.def(d, .fixed(cls.isFloat ? Arm64Reg.v(0) : Arm64Reg.x(0))))
            }
        }
        mf.append(.call(target), ops, clobbers: Arm64Reg.aapcs64.callerSaved,
                  safepoint: safepoints.isSafepoint(callee: target))
        if frame > 0 { mf.append(.adjustStack(frame), []) }
        for (p, o) in post { mf.append(p, o) }
    }

    mutating func selectReturn(_ r: Ref) throws(SelectionError) {
        guard let rt = f.returnType, !r.isNone else {
            mf.append(.ret, [], terminator: true)
            mf.setSuccessors([], arguments: [])
            return
        }
        if let agg = aggregate(rt) {
            let src = try value(r, .l)
            var ops: [MachineOperand] = []
            if let h = hiddenReturn {
                mf.append(.blit(Int32(clamping: agg.size)), [.use(src), .use(h)])
            } else if case .success(let a) = boundary.parameters, case .parts(let parts) = a.returnLocation {
                ops = loadParts(parts, from: src)
            }
            mf.append(.ret, ops, terminator: true)
            mf.setSuccessors([], arguments: [])
            return
        }
        let cls = rt.valueClass
        var v = try value(r, cls)
        if let ext = subwordExtension(for: rt) {
            let e = newVReg(.w)
            mf.append(.convert(ext, wide: false, double: false), [.use(v), .def(e)])
            v = e
        }
        mf.append(.ret, [.use(v, .fixed(cls.isFloat ? Arm64Reg.v(0) : Arm64Reg.x(0)))], terminator: true)
        mf.setSuccessors([], arguments: [])
    }
}
