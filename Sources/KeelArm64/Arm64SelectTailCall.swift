// Selection of a tail call (`tailcall`, docs/il-extensions.md) on arm64:
// one terminator taking the arguments in the callee's argument registers
// (the environment in x9, an indirect callee in x10) that, when emitted,
// restores the callee-saved registers, tears the frame down and branches to
// the callee with x30 still holding our caller's return address. Register
// arguments only: a callee needing stack arguments is refused here, as on
// x86-64. Not a safepoint: no frame of ours exists while the callee runs.
import KeelCodegen
import KeelIR

extension Arm64Selector {
    mutating func selectTailCall(_ ins: Instruction) throws(SelectionError) {
        guard Int(ins.extra) < boundary.callSites.count else { throw fail("malformed tailcall") }
        let site = boundary.callSites[Int(ins.extra)]
        let assign = boundary.calls[Int(ins.extra)]
        if site.variadicStart != nil { throw fail("tailcall cannot pass variadic arguments") }
        var uses: [MachineOperand] = []
        if !site.env.isNone { uses.append(.use(try value(site.env, .l), .fixed(Arm64Reg.environment))) }
        var onStack = 0
        for (arg, loc) in zip(site.arguments, assign.arguments) {
            if aggregate(arg.type) != nil { throw fail("tailcall cannot pass an aggregate by value") }
            guard case .register(let r) = loc else { onStack += 1; continue }
            var v = try value(arg.value, arg.type.valueClass)
            if let ext = subwordExtension(for: arg.type) {
                let e = newVReg(.w)
                mf.append(.convert(ext, wide: false, double: false), [.use(v), .def(e)])
                v = e
            }
            uses.append(.use(v, .fixed(r)))
        }
        if onStack > 0 || assign.stackSize > 0 {
            throw fail("tailcall passes \(onStack) argument\(onStack == 1 ? "" : "s") on the stack; on arm64 a tail call passes its arguments in registers only (at most 8 integer and 8 floating-point): use call")
        }
        var ops: [MachineOperand] = []
        var target: SymbolID? = nil
        if let c = f.constant(ins.a), case .symbol(let sym, 0, .direct) = c {
            target = sym
        } else {
            ops.append(.use(try value(ins.a, .l), .fixed(Arm64Reg.x(10))))
        }
        mf.append(.tailCall(target), ops + uses, terminator: true)
        mf.setSuccessors([], arguments: [])
    }
}
