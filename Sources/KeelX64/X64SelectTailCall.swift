// Selection of a tail call (`tailcall`, docs/il-extensions.md): one
// terminator that takes the arguments in the callee's argument registers
// (and the environment in rax) and, when emitted, restores the callee-saved
// registers, tears the frame down and jumps to the callee, which returns to
// our caller. Only register arguments are supported: a callee that needs
// stack arguments would need them in our caller's outgoing area, which this
// frame does not own, so such a tail call is refused here at its position.
// The tail call is not a safepoint: no frame of ours exists while the callee
// runs, so it has no stack map; references it passes are the callee's roots.
import KeelCodegen
import KeelIR

extension X64Selector {
    mutating func selectTailCall(_ ins: Instruction) throws(SelectionError) {
        guard Int(ins.extra) < boundary.callSites.count, let assign = boundary.calls[Int(ins.extra)] else {
            throw fail("malformed tailcall")
        }
        let site = boundary.callSites[Int(ins.extra)]
        if site.variadicStart != nil { throw fail("tailcall cannot pass variadic arguments") }
        let onStack = assign.arguments.filter { if case .stack = $0 { return true } else { return false } }.count
        if onStack > 0 || assign.stackSize > 0 {
            throw fail("tailcall passes \(onStack) argument\(onStack == 1 ? "" : "s") on the stack; on x86-64 a tail call passes its arguments in registers only (at most 6 integer and 8 floating-point): use call")
        }
        var uses: [MachineOperand] = []
        if !site.env.isNone { uses.append(.use(value(site.env, .l), .fixed(X64Reg.rax))) }
        for (arg, loc) in zip(site.arguments, assign.arguments) {
            if aggregate(arg.type) != nil { throw fail("tailcall cannot pass an aggregate by value") }
            guard case .registers(let parts) = loc, let reg = parts.first?.register else {
                throw fail("tailcall argument does not fit a register")
            }
            var v = value(arg.value, arg.type.valueClass)
            if let ext = subwordExtension(for: arg.type) {
                let e = newVReg(.w)
                mf.append(.convert(ext, size: 4, double: false), [.use(v), .def(e)])
                v = e
            }
            uses.append(.use(v, .fixed(reg)))
        }
        var ops: [MachineOperand] = []
        var target: SymbolID? = nil
        if let c = f.constant(ins.a), case .symbol(let sym, 0, .direct) = c {
            target = sym
        } else {
            ops.append(.use(value(ins.a, .l), .fixed(X64Reg.r10)))
        }
        // The callee runs after the jump and may overwrite every caller-saved
        // register, as at a call; saying so also keeps the function out of the
        // frameless leaves (X64LeafFrame on main: a function with clobbers calls).
        mf.append(.tailCall(target), ops + uses, clobbers: X64Reg.sysV.callerSaved, terminator: true)
        mf.setSuccessors([], arguments: [])
    }
}
