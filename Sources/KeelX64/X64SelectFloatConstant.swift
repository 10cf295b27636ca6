// Float constants read where they are used (see X64Selector.swift for the
// selector it serves): SSE arithmetic and `ucomis` take their source
// operand from memory, so a constant of the literal pool is that operand
// (`mulsd .Lfp0_3(%rip), %xmm0`) instead of a load into a register first,
// which in a loop is repeated every iteration.
//
// Arithmetic: the constant is the source (second) operand; `add` and `mul`
// commute to put it there. Branches: `ucomis mem, reg` then `ja`/`jae`
// tests reg > mem and reg ≥ mem (false when unordered), so a constant is
// read in place for `x > c`, `x ≥ c`, their mirror images `c < x`, `c ≤ x`,
// and the symmetric `=`, `≠`, ordered and unordered tests; `x < c` needs
// `jb`, true when unordered, and keeps the register form.
import KeelCodegen
import KeelIR

extension X64Selector {
    /// The bits of float constant `r` as a value of class `cls` (as `value` materializes it).
    func floatConstantBits(_ r: Ref, _ cls: BaseType) -> UInt64? {
        guard let c = f.constant(r) else { return nil }
        if case .symbol = c { return nil }
        guard let bits = c.bits else { return nil }
        return cls == .d ? bits : bits & 0xffff_ffff
    }

    /// Float arithmetic with a constant source operand read from the pool; false when neither operand is one.
    mutating func floatArithmeticWithConstant(_ op: X64FloatOp, _ ins: Instruction, _ d: VReg) -> Bool {
        let cls = ins.type
        var a = ins.a, b = ins.b
        if op == .add || op == .mul, floatConstantBits(a, cls) != nil, floatConstantBits(b, cls) == nil { swap(&a, &b) }
        guard a.temp != nil, let bits = floatConstantBits(b, cls) else { return false }
        let double = cls == .d
        let index = addFloat(bits, double: double)
        mf.append(.floatALUConst(op, double: double, index: index), [.use(value(a, cls)), .def(d, .reuse(0))])
        return true
    }

    /// A float comparison branch with a constant read from the pool; false when no form reads it in place.
    mutating func floatBranchWithConstant(_ cond: X64FloatCond, _ ins: Instruction, double: Bool) -> Bool {
        let cls: BaseType = double ? .d : .s
        var a = ins.a, b = ins.b, c = cond
        if floatConstantBits(a, cls) != nil, floatConstantBits(b, cls) == nil {
            // Mirror the comparison so that the constant is on the right.
            switch cond {
            case .eq, .ne, .o, .uo: break
            case .lt: c = .gt
            case .le: c = .ge
            case .gt, .ge: return false
            }
            swap(&a, &b)
        }
        guard a.temp != nil, let bits = floatConstantBits(b, cls), c != .lt, c != .le else { return false }
        let index = addFloat(bits, double: double)
        mf.append(.floatCmpConstJump(c, double: double, index: index), [.use(value(a, cls))], terminator: true)
        return true
    }
}
