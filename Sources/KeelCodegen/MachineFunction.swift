import KeelIR

/// The target-independent machine layer: instructions over virtual registers,
/// seen by the register allocator only through their operands.
///
/// This is regalloc2's model (Chris Fallin et al., Cranelift): an instruction
/// is an opaque target payload plus a list of operands, each of which says
/// whether it reads or writes a virtual register, when (early: before the
/// instruction's effect, late: after it), and where the value must be
/// (any register of its class, one fixed register, or — for a definition —
/// the same register as one of the uses, for two-address forms). Calls add a
/// clobber set, and a call at which the collector may run is flagged a
/// safepoint (the vregs holding references are listed in
/// `referenceVRegs`). Control flow is SSA with block parameters: a block's
/// parameters are defined on entry, and each branch passes one argument per
/// parameter of each successor; the allocator turns those edges into parallel
/// copies.
///
/// Invariants a target's instruction selection guarantees (the allocator and
/// its checker rely on them):
/// - every virtual register is defined exactly once (SSA), by an instruction
///   operand or as a block parameter, and every use is dominated by its definition;
/// - the last instruction of every block is its terminator (a branch or a
///   return), and only terminators end blocks;
/// - no critical edges: a block with several successors only branches to
///   blocks with a single predecessor (edges are split before selection);
/// - only join blocks have parameters, and every predecessor of a block with
///   parameters ends in an unconditional jump (its only successor), so the
///   allocator places each edge's parallel copy just before that jump;
/// - a `.reuse(i)` definition names a use operand `i` of the same instruction
///   and the same register class.

/// A virtual register.
public struct VReg: ArenaIndex, CustomStringConvertible {
    public var index: UInt32
    @inlinable public init(index: UInt32) { self.index = index }
    public var description: String { "v\(index)" }
}

/// Index of a block in `MachineFunction.blocks`; block 0 is the entry.
public struct MBlock: ArenaIndex, CustomStringConvertible {
    public var index: UInt32
    @inlinable public init(index: UInt32) { self.index = index }
    public var description: String { "mb\(index)" }
}

/// Index of an instruction in `MachineFunction.instructions`.
public struct MInst: ArenaIndex, CustomStringConvertible {
    public var index: UInt32
    @inlinable public init(index: UInt32) { self.index = index }
    public var description: String { "i\(index)" }
}

/// How one instruction touches one virtual register.
public struct MachineOperand: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: UInt8, Hashable, Sendable { case use, def }
    /// Early operands happen before the instruction's effect, late ones after.
    /// Uses are normally early and defs late, so a def may share a register with
    /// a use that dies at the instruction; an early def (written before all
    /// uses are read) or a late use (read after defs are written) may not.
    public enum Position: UInt8, Hashable, Sendable { case early, late }
    public enum Constraint: Hashable, Sendable {
        /// Any allocatable register of the vreg's class.
        case reg
        /// Exactly this register (argument registers, division, shifts by %cl ...).
        case fixed(PReg)
        /// A def in the register allocated to use operand `i` of the same instruction.
        case reuse(Int)
    }

    public var vreg: VReg
    public var kind: Kind
    public var position: Position
    public var constraint: Constraint

    @inlinable
    public init(_ vreg: VReg, _ kind: Kind, _ constraint: Constraint = .reg, at position: Position? = nil) {
        self.vreg = vreg
        self.kind = kind
        self.constraint = constraint
        self.position = position ?? (kind == .use ? .early : .late)
    }

    @inlinable
    public static func use(_ v: VReg, _ c: Constraint = .reg) -> MachineOperand { MachineOperand(v, .use, c) }
    @inlinable
    public static func def(_ v: VReg, _ c: Constraint = .reg) -> MachineOperand { MachineOperand(v, .def, c) }

    public var description: String {
        let c: String
        switch constraint {
        case .reg: c = "reg"
        case .fixed(let p): c = "fixed(\(p))"
        case .reuse(let i): c = "reuse(\(i))"
        }
        return "\(kind == .use ? "use" : "def") \(vreg) \(c)\(position == .early && kind == .def ? " early" : "")\(position == .late && kind == .use ? " late" : "")"
    }
}

/// One machine instruction: a target payload and its operands (stored in
/// the function's operand arena).
/// (`Payload` needs no `Hashable` for the type itself: a generic requirement
/// is checked at run time when the type's metadata is built, a conformance
/// lookup every process would pay; the conformance below is conditional.)
public struct MachineInstruction<Payload: Sendable>: Sendable {
    public var payload: Payload
    public var operandStart: UInt32
    public var operandCount: UInt16
    /// Registers the instruction overwrites besides its defs (calls: the caller-saved set).
    public var clobbers: RegSet
    public var isTerminator: Bool
    /// A call at which the collector may run (docs/stack-maps.md): no
    /// reference may stay in a register across it, and it gets a stack map.
    public var isSafepoint: Bool

    @inlinable
    public init(payload: Payload, operandStart: UInt32, operandCount: UInt16, clobbers: RegSet, isTerminator: Bool,
                isSafepoint: Bool = false) {
        self.payload = payload
        self.operandStart = operandStart
        self.operandCount = operandCount
        self.clobbers = clobbers
        self.isTerminator = isTerminator
        self.isSafepoint = isSafepoint
    }

    @inlinable
    public var operandRange: Range<Int> { Int(operandStart)..<Int(operandStart) + Int(operandCount) }
}

extension MachineInstruction: Equatable where Payload: Equatable {}
extension MachineInstruction: Hashable where Payload: Hashable {}

public struct MachineBlock: Hashable, Sendable {
    /// Values defined on entry to the block (the machine form of phis).
    public var params: [VReg]
    /// The block's instructions, contiguous in `MachineFunction.instructions`; the last is the terminator.
    public var instructions: Range<Int>
    public var successors: [MBlock]
    /// For each successor, the vregs passed to its parameters, in order.
    public var branchArguments: [[VReg]]
    public var predecessors: [MBlock]

    @inlinable
    public init(params: [VReg], instructions: Range<Int>, successors: [MBlock], branchArguments: [[VReg]],
                predecessors: [MBlock]) {
        self.params = params
        self.instructions = instructions
        self.successors = successors
        self.branchArguments = branchArguments
        self.predecessors = predecessors
    }
}

/// A function in machine form, generic over the target's instruction payload.
public struct MachineFunction<Payload: Sendable>: Sendable {
    public var name: String
    public var blocks: [MachineBlock] = []
    public var instructions: [MachineInstruction<Payload>] = []
    public var operands: [MachineOperand] = []
    /// The register class of every vreg.
    public var vregClasses: [RegClass] = []
    /// Vregs that hold garbage-collected references (class `r` in the IL):
    /// the allocator keeps them out of registers across safepoints and the
    /// stack maps list their slots.
    public var referenceVRegs: Set<VReg> = []

    @inlinable
    public init(name: String) { self.name = name }

    @inlinable
    public mutating func newVReg(_ c: RegClass) -> VReg {
        vregClasses.append(c)
        return VReg(vregClasses.count - 1)
    }

    @inlinable
    public func operands(of i: MInst) -> ArraySlice<MachineOperand> {
        operands[instructions[i.int].operandRange]
    }

    // MARK: building (blocks must be built in order: begin, append..., end)
    // Inlinable so that a target's selector gets them specialized for its
    // payload type instead of calling generic code (metadata lookups per call).

    @inlinable
    public mutating func beginBlock(params: [VReg] = []) -> MBlock {
        blocks.append(MachineBlock(params: params, instructions: instructions.count..<instructions.count,
                                   successors: [], branchArguments: [], predecessors: []))
        return MBlock(blocks.count - 1)
    }

    @inlinable @discardableResult
    public mutating func append(_ payload: Payload, _ ops: [MachineOperand], clobbers: RegSet = .empty,
                                terminator: Bool = false, safepoint: Bool = false) -> MInst {
        instructions.append(MachineInstruction(payload: payload, operandStart: UInt32(operands.count),
                                               operandCount: UInt16(ops.count), clobbers: clobbers,
                                               isTerminator: terminator, isSafepoint: safepoint))
        operands.append(contentsOf: ops)
        let b = blocks.count - 1
        blocks[b].instructions = blocks[b].instructions.lowerBound..<instructions.count
        return MInst(instructions.count - 1)
    }

    /// Records the successors of the block under construction (the terminator must be appended too).
    @inlinable
    public mutating func setSuccessors(_ succs: [MBlock], arguments: [[VReg]]) {
        let b = blocks.count - 1
        blocks[b].successors = succs
        blocks[b].branchArguments = arguments
    }

    /// Fills `predecessors` from `successors`; call once all blocks exist.
    @inlinable
    public mutating func computePredecessors() {
        for i in blocks.indices { blocks[i].predecessors = [] }
        for (i, b) in blocks.enumerated() {
            for s in b.successors { blocks[s.int].predecessors.append(MBlock(i)) }
        }
    }
}
