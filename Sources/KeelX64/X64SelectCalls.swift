/// Selection of the function boundary: parameters, calls and returns, for
/// arguments of the base classes and sub-words (System V AMD64: the first six
/// integers in rdi, rsi, rdx, rcx, r8, r9, the first eight floats in
/// xmm0–xmm7, the rest in 8-byte stack cells in order; results in rax/xmm0;
/// %al holds the number of vector registers used by a variadic call; the
/// environment travels in rax as in QBE). Aggregates by value are the System V
/// classification's job (SysVABI.swift) and are rejected until it is merged.
import KeelCodegen
import KeelIR

extension X64Selector {
    /// Where each base-class value of a parameter or argument list goes.
    struct BaseAssignment {
        var intUsed = 0, floatUsed = 0, stackBytes: Int32 = 0
        enum Place { case reg(PReg), stack(Int32) }
        mutating func place(float: Bool) -> Place {
            if float, floatUsed < 8 { floatUsed += 1; return .reg(X64Reg.floatArguments[floatUsed - 1]) }
            if !float, intUsed < 6 { intUsed += 1; return .reg(X64Reg.intArguments[intUsed - 1]) }
            stackBytes += 8
            return .stack(stackBytes - 8)
        }
    }

    func subwordExtension(for t: ABIType) -> X64Convert? {
        switch t {
        case .sb: return .extsb
        case .ub: return .extub
        case .sh: return .extsh
        case .uh: return .extuh
        default: return nil
        }
    }

    mutating func selectParameters() throws(SelectionError) {
        var assign = BaseAssignment()
        var defs: [MachineOperand] = []
        var after: [(X64Inst, [MachineOperand])] = []
        if let env = f.env { defs.append(.def(VReg(env.int), .fixed(X64Reg.rax))) }
        for p in f.parameters {
            position = p.position
            if case .aggregate = p.type { throw fail("aggregate parameters are not supported yet") }
            let cls = p.type.valueClass
            let d = VReg(p.temp.int)
            let ext = subwordExtension(for: p.type)
            let target = ext == nil ? d : newVReg(.w)
            switch assign.place(float: cls.isFloat) {
            case .reg(let r): defs.append(.def(target, .fixed(r)))
            case .stack(let off):
                after.append((.stackParameter(offset: off, float: cls.isFloat, size: cls.size), [.def(target)]))
            }
            if let ext { after.append((.convert(ext, size: 4, double: false), [.use(target), .def(d)])) }
        }
        if !defs.isEmpty { mf.append(.parameters, defs) }
        for (p, ops) in after { mf.append(p, ops) }
    }

    mutating func selectCall(_ ins: Instruction) throws(SelectionError) {
        guard Int(ins.extra) < f.calls.count else { throw fail("malformed call") }
        let site = f.calls[Int(ins.extra)]
        var assign = BaseAssignment()
        var uses: [MachineOperand] = []
        var stack: [(VReg, Int32, Bool)] = []
        if !site.env.isNone { uses.append(.use(value(site.env, .l), .fixed(X64Reg.rax))) }
        for arg in site.arguments {
            if case .aggregate = arg.type { throw fail("aggregate arguments are not supported yet") }
            let cls = arg.type.valueClass
            var v = value(arg.value, cls)
            if let ext = subwordExtension(for: arg.type) {
                let e = newVReg(.w)
                mf.append(.convert(ext, size: 4, double: false), [.use(v), .def(e)])
                v = e
            }
            switch assign.place(float: cls.isFloat) {
            case .reg(let r): uses.append(.use(v, .fixed(r)))
            case .stack(let off): stack.append((v, off, cls.isFloat))
            }
        }
        let frame = (assign.stackBytes + 15) & ~15
        if frame > 0 {
            mf.append(.adjustStack(-frame), [])
            for (v, off, float) in stack { mf.append(.storeOutgoing(offset: off, float: float), [.use(v)]) }
        }
        if site.variadicStart != nil, site.env.isNone {
            let al = newVReg(.w)
            mf.append(.movImm(size: 4, imm: Int64(assign.floatUsed)), [.def(al)])
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
        var post: (X64Convert, VReg, VReg)? = nil
        if let rt = site.returnType, let d = ins.result.temp {
            if case .aggregate = rt { throw fail("aggregate results are not supported yet") }
            let cls = rt.valueClass
            let dv = VReg(d.int)
            if let ext = subwordExtension(for: rt) {
                let raw = newVReg(.w)
                ops.append(.def(raw, .fixed(X64Reg.rax)))
                post = (ext, raw, dv)
            } else {
                ops.append(.def(dv, .fixed(cls.isFloat ? X64Reg.xmm(0) : X64Reg.rax)))
            }
        } else if case .aggregate = site.returnType {
            throw fail("aggregate results are not supported yet")
        }
        mf.append(.call(target), ops, clobbers: X64Reg.sysV.callerSaved)
        if frame > 0 { mf.append(.adjustStack(frame), []) }
        if let (ext, raw, dv) = post { mf.append(.convert(ext, size: 4, double: false), [.use(raw), .def(dv)]) }
    }

    mutating func selectReturn(_ r: Ref) throws(SelectionError) {
        guard let rt = f.returnType, !r.isNone else {
            mf.append(.ret, [], terminator: true)
            mf.setSuccessors([], arguments: [])
            return
        }
        if case .aggregate = rt { throw fail("aggregate results are not supported yet") }
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
}
