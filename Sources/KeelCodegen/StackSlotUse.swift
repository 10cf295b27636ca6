// How a machine instruction touches the function's own stack slots (static
// `alloc` slots, aggregate buffers, save areas — numbered by the target), told
// by the target so that slot lifetimes (AllocSlotLifetimes.swift) and the
// stack-slot check (StackSlotCheck.swift) need no target knowledge.
//
// An instruction may access a slot directly (at a known offset), access the
// slot whose address one of its first two use operands holds, produce a
// slot's address, or derive an address from its uses' (copies and address
// arithmetic). Any other use of a value holding a slot's address makes the
// slot escape.

/// The function's own stack slots, as the target numbers them.
public struct StackSlots {
    public var sizes: [(size: Int32, align: Int32)]
    /// Slots that escape whatever the instructions do (a variadic save area).
    public var escaping: [Int32]
    public init(sizes: [(size: Int32, align: Int32)], escaping: [Int32] = []) {
        (self.sizes, self.escaping) = (sizes, escaping)
    }
}

/// Reads and writes, as bits.
public struct SlotAccess: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let read = SlotAccess(rawValue: 1)
    public static let write = SlotAccess(rawValue: 2)
}

/// How the first def of an instruction relates to addresses in its uses.
public enum AddressDerivation: UInt8, Hashable, Sendable {
    /// The def holds no slot address (a use holding one escapes).
    case none
    /// The def is use 0 plus something that is not an address (a copy, an immediate offset).
    case offset
    /// The def is use 0 + use 1: either may be the address, not both.
    case sum
    /// The def is use 0 - use 1: only use 0 may be the address.
    case difference
    /// The def is use 0 + k·use 1 with k > 1 (a scaled index): only use 0
    /// may be the address, as for a difference.
    case scaledSum
}

public struct SlotUse: Sendable {
    /// The first def receives the address of this slot.
    public var addressOf: Int32?
    /// A direct access to a slot at a known byte offset; a write of `size`
    /// bytes at offset 0 covering the whole slot overwrites it whole.
    public var direct: (slot: Int32, offset: Int32, size: Int, access: SlotAccess)?
    /// Accesses through the address held by use operand 0 and use operand 1
    /// (their offsets unknown, so never whole writes).
    public var through: (SlotAccess, SlotAccess)
    public var derivation: AddressDerivation
    /// A slot whose address the instruction hands out of the model (a
    /// `va_list` save area): it escapes.
    public var escaping: Int32?

    public init(addressOf: Int32? = nil, direct: (slot: Int32, offset: Int32, size: Int, access: SlotAccess)? = nil,
                through: (SlotAccess, SlotAccess) = ([], []), derivation: AddressDerivation = .none,
                escaping: Int32? = nil) {
        self.addressOf = addressOf
        self.direct = direct
        self.through = through
        self.derivation = derivation
        self.escaping = escaping
    }

    public static let none = SlotUse()
}

/// A target's machine instruction payload, as far as stack slots are concerned.
public protocol StackSlotInstruction: Sendable {
    var slotUse: SlotUse { get }
}

/// What the slot analyses read of a machine function, without its payload
/// type: they are not generic, so they run specialized whatever the target
/// (a generic function called from another module would not be).
public struct SlotView {
    public struct Instruction {
        public var operandRange: Range<Int>
        public var slotUse: SlotUse
        @inlinable public init(operandRange: Range<Int>, slotUse: SlotUse) {
            (self.operandRange, self.slotUse) = (operandRange, slotUse)
        }
    }
    public var name: String
    public var blocks: [MachineBlock]
    public var instructions: [Instruction]
    public var operands: [MachineOperand]
    public var vregCount: Int

    @inlinable
    public init<P: StackSlotInstruction>(_ mf: MachineFunction<P>) {
        name = mf.name
        blocks = mf.blocks
        operands = mf.operands
        vregCount = mf.vregClasses.count
        var list: [Instruction] = []
        list.reserveCapacity(mf.instructions.count)
        for ins in mf.instructions {
            list.append(Instruction(operandRange: ins.operandRange, slotUse: ins.payload.slotUse))
        }
        instructions = list
    }
}

extension SlotView {
    /// A view with no instructions, for functions without stack slots.
    @inlinable
    public init(name: String) {
        (self.name, blocks, instructions, operands, vregCount) = (name, [], [], [], 0)
    }
}
