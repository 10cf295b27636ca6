// Selection of the function boundary: parameters, calls and returns,
// following the AAPCS64 assignment of AAPCS64.swift: scalars in x0–x7 /
// v0–v7 or 8-byte stack cells, results in x0 / v0, the environment in x9,
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

    mutating func selectParameters() throws(SelectionError) {
        let assign: Arm64Assignment
        switch boundary.parameters {
        case .success(let a): assign = a
        case .failure(let e): throw e
        }
        var defs: [MachineOperand] = []
        var after: [(Arm64Inst, [MachineOperand])] = []
        if let env = f.env { defs.append(.def(VReg(env.int), .fixed(Arm64Reg.environment))) }
        for (p, loc) in zip(f.parameters, assign.arguments) {
            position = p.position
            let d = VReg(p.temp.int)
            let cls = p.type.valueClass
            let ext = subwordExtension(for: p.type)
            let target = ext == nil ? d : newVReg(.w)
            switch loc {
            case .register(let r): defs.append(.def(target, .fixed(r)))
            case .stack(let off):
                after.append((.stackParameter(offset: Int32(clamping: off), float: cls.isFloat, wide: cls.size == 8),
                              [.def(target)]))
            }
            if let ext { after.append((.convert(ext, wide: false, double: false), [.use(target), .def(d)])) }
        }
        if !defs.isEmpty { mf.append(.parameters, defs) }
        for (p, ops) in after { mf.append(p, ops) }
    }

    mutating func selectCall(_ ins: Instruction) throws(SelectionError) {
        guard Int(ins.extra) < f.calls.count, Int(ins.extra) < boundary.calls.count else { throw fail("malformed call") }
        let site = f.calls[Int(ins.extra)]
        let assign: Arm64Assignment
        switch boundary.calls[Int(ins.extra)] {
        case .success(let a): assign = a
        case .failure(let e): throw fail(e.message)
        }
        var uses: [MachineOperand] = []
        var stackStores: [(Arm64Inst, [MachineOperand])] = []
        if !site.env.isNone { uses.append(.use(try value(site.env, .l), .fixed(Arm64Reg.environment))) }
        for (arg, loc) in zip(site.arguments, assign.arguments) {
            let cls = arg.type.valueClass
            var v = try value(arg.value, cls)
            if let ext = subwordExtension(for: arg.type) {
                let e = newVReg(.w)
                mf.append(.convert(ext, wide: false, double: false), [.use(v), .def(e)])
                v = e
            }
            switch loc {
            case .register(let r): uses.append(.use(v, .fixed(r)))
            case .stack(let off):
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
        if let rt = site.returnType, let d = ins.result.temp.map({ VReg($0.int) }) {
            let cls = rt.valueClass
            if let ext = subwordExtension(for: rt) {
                let raw = newVReg(.w)
                ops.append(.def(raw, .fixed(Arm64Reg.x(0))))
                post.append((.convert(ext, wide: false, double: false), [.use(raw), .def(d)]))
            } else {
                ops.append(.def(d, .fixed(cls.isFloat ? Arm64Reg.v(0) : Arm64Reg.x(0))))
            }
        }
        mf.append(.call(target), ops, clobbers: Arm64Reg.aapcs64.callerSaved)
        if frame > 0 { mf.append(.adjustStack(frame), []) }
        for (p, o) in post { mf.append(p, o) }
    }

    mutating func selectReturn(_ r: Ref) throws(SelectionError) {
        guard let rt = f.returnType, !r.isNone else {
            mf.append(.ret, [], terminator: true)
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
