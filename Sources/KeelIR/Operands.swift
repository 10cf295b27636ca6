// Where an instruction's value operands live: the one description of
// operand layout, for every pass that reads or rewrites operands.
//
// Operand k of an instruction, in order:
// - a non-call: its written operands, `a` then `b` (`Opcode.operandCount` of them);
// - a call: the callee (`a`), then its environment and each argument from
//   `Function.calls[extra]` (an out-of-range call index has only the callee).
// A terminator's operand is the `jnz` condition or the `ret` value.
// Results are not operands; `dbgloc` line and column are (constants).
extension Function {
    /// The number of value operands of `i` (some may be `.none`).
    @inlinable
    public func operandCount(of i: Instruction) -> Int {
        guard i.op == .call else { return i.op.operandCount }
        let c = Int(i.extra)
        return c < calls.count ? 2 + calls[c].arguments.count : 1
    }

    /// Operand `k` of `i` (`k < operandCount(of: i)`).
    @inlinable
    public func operand(_ k: Int, of i: Instruction) -> Ref {
        switch k {
        case 0: return i.a
        case 1: return i.op == .call ? calls[Int(i.extra)].env : i.b
        default: return calls[Int(i.extra)].arguments[k - 2].value
        }
    }

    /// Sets operand `k` of instruction `i` of block `b`.
    @inlinable
    public mutating func setOperand(_ k: Int, ofInstruction i: Int, inBlock b: Int, to value: Ref) {
        let ins = blocks[b].instructions[i]
        switch k {
        case 0: blocks[b].instructions[i].a = value
        case 1:
            if ins.op == .call { calls[Int(ins.extra)].env = value } else { blocks[b].instructions[i].b = value }
        default: calls[Int(ins.extra)].arguments[k - 2].value = value
        }
    }

    /// The temps read by `i`, in operand order (the layout above, written out
    /// for the analyses' hot loops; `OperandLayoutTests` checks they agree).
    @inlinable
    public func forEachUse(of i: Instruction, _ body: (Temp) -> Void) {
        if let t = i.a.temp { body(t) }
        if i.op.operandCount > 1, let t = i.b.temp { body(t) }
        if i.op == .call, Int(i.extra) < calls.count {
            let site = calls[Int(i.extra)]
            if let t = site.env.temp { body(t) }
            for arg in site.arguments { if let t = arg.value.temp { body(t) } }
        }
    }

    /// The terminator's operand, `.none` when it has none.
    @inlinable
    public static func operand(of t: Terminator) -> Ref {
        switch t {
        case .jnz(let c, _, _): return c
        case .ret(let v): return v
        case .none, .jmp, .hlt: return .none
        }
    }

    /// The terminator with its operand replaced.
    public static func terminator(_ t: Terminator, withOperand value: Ref) -> Terminator {
        switch t {
        case .jnz(_, let a, let b): return .jnz(value, a, b)
        case .ret: return .ret(value)
        case .none, .jmp, .hlt: return t
        }
    }

    /// Temps read by a terminator: the `jnz` condition, the `ret` value.
    @inlinable
    public func forEachUse(of t: Terminator, _ body: (Temp) -> Void) {
        if let x = Function.operand(of: t).temp { body(x) }
    }
}
