import KeelIR

/// What a register allocator produces, in a form its independent checker and
/// the emitter can both read without knowing how it was computed.

/// A spill slot: an 8-byte (16 for vectors) stack cell the allocator uses.
/// Slots are abstract here; frame layout gives them offsets, sharing memory
/// between slots whose live ranges do not overlap.
public struct SpillSlot: ArenaIndex, CustomStringConvertible {
    public var index: UInt32
    public init(index: UInt32) { self.index = index }
    public var description: String { "ss\(index)" }
}

/// Where a value is at some point.
public enum Location: Hashable, Sendable, CustomStringConvertible {
    case reg(PReg)
    case stack(SpillSlot)

    public var description: String {
        switch self {
        case .reg(let r): return "\(r)"
        case .stack(let s): return "\(s)"
        }
    }
}

/// A point between instructions: just before or just after instruction `inst`.
public struct ProgramPoint: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var raw: UInt32
    public init(before i: MInst) { raw = i.index << 1 }
    public init(after i: MInst) { raw = i.index << 1 | 1 }
    public var inst: MInst { MInst(Int(raw >> 1)) }
    public var isAfter: Bool { raw & 1 == 1 }
    public static func < (a: ProgramPoint, b: ProgramPoint) -> Bool { a.raw < b.raw }
    public var description: String { "\(isAfter ? "after" : "before") \(inst)" }
}

/// A move the allocator inserts. Moves at the same program point form one
/// parallel copy (all sources are read before any destination is written);
/// the emitter sequentializes them, breaking cycles with a scratch location.
public struct Edit: Hashable, Sendable {
    public var point: ProgramPoint
    public var from: Location
    public var to: Location
    /// The value moved (for the checker and for debugging).
    public var vreg: VReg
    public init(at point: ProgramPoint, from: Location, to: Location, vreg: VReg) {
        self.point = point
        self.from = from
        self.to = to
        self.vreg = vreg
    }
}

/// The allocator's answer for one function.
public struct AllocationResult: Sendable {
    /// The location of every operand, parallel to `MachineFunction.operands`.
    public var operandLocations: [Location]
    /// Where each block parameter lives on entry to its block, parallel to `MachineBlock.params`.
    public var blockParamLocations: [[Location]]
    /// Inserted moves, sorted by program point.
    public var edits: [Edit]
    /// Number of spill slots used and the register class each one holds.
    public var spillSlotClasses: [RegClass]
    /// Callee-saved registers the function writes (the prologue saves them).
    public var usedCalleeSaved: RegSet
    /// The stack map of every safepoint of a reachable block, in instruction
    /// order (StackMaps.swift); the emitter writes them, the checker proves them.
    public var safepointMaps: [SafepointMap]

    public init(operandLocations: [Location], blockParamLocations: [[Location]], edits: [Edit],
                spillSlotClasses: [RegClass], usedCalleeSaved: RegSet, safepointMaps: [SafepointMap] = []) {
        self.safepointMaps = safepointMaps
        self.operandLocations = operandLocations
        self.blockParamLocations = blockParamLocations
        self.edits = edits
        self.spillSlotClasses = spillSlotClasses
        self.usedCalleeSaved = usedCalleeSaved
    }
}
