import KeelIR

/// Which temporaries an instruction or terminator reads. The one place that
/// knows where operands live, shared by the analyses.
extension Function {
    /// Temps read by `i`, in operand order: the written operands
    /// (`Opcode.operandCount` of them; for a call, the callee), then for a
    /// `call` its environment and arguments from `calls[extra]` (an
    /// out-of-range call index contributes nothing).
    @inline(__always)
    public func forEachUse(of i: Instruction, _ body: (Temp) -> Void) {
        if let t = i.a.temp { body(t) }
        if i.op.operandCount > 1, let t = i.b.temp { body(t) }
        if i.op == .call, Int(i.extra) < calls.count {
            let site = calls[Int(i.extra)]
            if let t = site.env.temp { body(t) }
            for arg in site.arguments { if let t = arg.value.temp { body(t) } }
        }
    }

    /// Temps read by a terminator: the `jnz` condition, the `ret` value.
    @inline(__always)
    public func forEachUse(of t: Terminator, _ body: (Temp) -> Void) {
        switch t {
        case .jnz(let c, _, _): if let x = c.temp { body(x) }
        case .ret(let v): if let x = v.temp { body(x) }
        case .none, .jmp, .hlt: break
        }
    }
}
