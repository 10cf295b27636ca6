/// Why `allocateRegisters` refused a machine function: the input breaks the
/// machine layer's invariants or asks for something no assignment satisfies.
public enum AllocationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A vreg of this class exists but the register file allocates none of that class.
    case noRegisters(RegClass)
    /// An operand names a vreg out of range, or a fixed register of another class than its vreg.
    case invalidOperand(MInst, operand: Int)
    /// A `.reuse(i)` def whose `i` is not a use of the same instruction and class, or a use reused twice.
    case invalidReuse(MInst, operand: Int)
    /// Two uses fix the same register but carry different vregs.
    case conflictingFixedUses(MInst, PReg)
    /// Two defs of one instruction land in the same fixed register.
    case conflictingFixedDefs(MInst, PReg)
    /// A fixed early def on a register a use needs, a fixed def on a late use's
    /// register, or a fixed late use of a register the instruction clobbers.
    case fixedDefOverlapsUse(MInst, PReg)
    /// The instruction needs more registers of this class at once than the file has.
    case tooManyOperands(MInst, RegClass)
    /// A control-flow edge breaks the model: argument count or class mismatch, a
    /// branch with several successors into a join or a block with parameters,
    /// or a jump into a join that has operands or clobbers of its own.
    case invalidEdge(from: MBlock, to: MBlock)
    /// A block is empty or does not end with its (only) terminator.
    case malformedBlock(MBlock)
    /// A value is read where no definition reaches it (not SSA, or not dominated).
    case useWithoutDefinition(VReg, MBlock)

    public var description: String {
        switch self {
        case .noRegisters(let c): return "no allocatable registers of class \(c)"
        case .invalidOperand(let i, let k): return "\(i): operand \(k) is invalid"
        case .invalidReuse(let i, let k): return "\(i): operand \(k) reuses an operand that is not a free use of its class"
        case .conflictingFixedUses(let i, let r): return "\(i): two different values fixed to \(r)"
        case .conflictingFixedDefs(let i, let r): return "\(i): two defs fixed to \(r)"
        case .fixedDefOverlapsUse(let i, let r): return "\(i): fixed def of \(r) overlaps a use of it"
        case .tooManyOperands(let i, let c): return "\(i): more simultaneous \(c) operands than registers"
        case .invalidEdge(let a, let b): return "edge \(a) -> \(b) breaks the block-parameter rules"
        case .malformedBlock(let b): return "\(b) is empty or its terminator is misplaced"
        case .useWithoutDefinition(let v, let b): return "\(v) is used in or below \(b) without a reaching definition"
        }
    }
}
