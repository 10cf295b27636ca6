import KeelCodegen

// arm64's frame: the target-independent `FrameLayout` below the entry stack
// pointer (its "frame pointer" is the caller's sp, the canonical frame
// address), with the frame record (x29, x30) below it all:
//
//     entry sp ─┬─ callee-saved registers (x19–x28, d8–d15 in that order)
//               ├─ spill cells
//               ├─ stack slots (static allocs)
//     x29 ──────┴─ saved x29, saved x30   (16 bytes)
//
// so every frame access is x29 plus a non-negative offset (the scaled
// unsigned 12-bit offsets of ldr/str reach 32 KiB for 8-byte cells), and
// x29 chains the frame records for debuggers, profilers and the collector.
// Stack-passed parameters are at the entry sp plus their offset.
public typealias Arm64Frame = FrameLayout

extension FrameLayout {
    public init(function: Arm64Function, allocation: AllocationResult, spillSlots: SpillSlotSharing) {
        self.init(saveOrder: Arm64Reg.calleeSaved, allocation: allocation, spillSlots: spillSlots,
                  stackSlots: function.stackSlots,
                  lifetimes: AllocSlotLifetimes(function: function.machine, slots: function.stackSlots))
    }

    /// Bytes from x29 to the entry stack pointer: the frame record plus the laid-out frame.
    public var arm64Total: Int { 16 + Int(size) }

    /// The x29-relative offset of a `FrameLayout` offset (relative to the entry sp).
    public func arm64Offset(_ layoutOffset: Int64) -> Int64 { Int64(arm64Total) + layoutOffset }
}

extension Arm64Function {
    /// The function's stack slots as the target-independent slot analyses see them.
    public var stackSlots: StackSlots {
        StackSlots(sizes: allocSlots, escaping: variadicSaveSlot.map { [$0] } ?? [])
    }
}

// What each arm64 instruction does to the function's own stack slots, for
// the slot lifetimes and the stack-slot check (operand positions as
// Arm64Instruction.swift documents them).
extension Arm64Inst: StackSlotInstruction {
    public var slotUse: SlotUse {
        switch self {
        case .slotAddress(let s, _):
            return SlotUse(addressOf: s)
        case .load(_, _, let a):
            if case .slot(let s, let off) = a { return SlotUse(direct: (s, off, 0, .read)) }
            return SlotUse(through: (.read, []))
        case .store(let size, _, let a):
            if case .slot(let s, let off) = a { return SlotUse(direct: (s, off, size, .write)) }
            return SlotUse(through: ([], .write))
        case .blit:
            return SlotUse(through: (.read, .write))
        case .copyToOutgoing:
            return SlotUse(through: (.read, []))
        case .vaStart(let save, _, _, _):
            return SlotUse(through: (.write, []), escaping: save)
        case .vaArg:
            return SlotUse(through: ([.read, .write], []))
        case .mov(float: false), .aluImm(.add, wide: true, _), .aluImm(.sub, wide: true, _):
            return SlotUse(derivation: .offset)
        case .alu(.add, wide: true):
            return SlotUse(derivation: .sum)
        case .aluShifted(.add, wide: true, _), .aluShifted(.sub, wide: true, _):
            // Only the unshifted operand may be an address.
            return SlotUse(derivation: .scaledSum)
        case .alu(.sub, wide: true):
            return SlotUse(derivation: .difference)
        default:
            return .none
        }
    }
}

/// The stack-slot check (KeelCodegen/StackSlotCheck.swift) on an arm64 function.
public func checkStackSlots(function fn: Arm64Function, allocation: AllocationResult, frame: Arm64Frame) -> [StackSlotError] {
    checkStackSlots(function: fn.machine, slots: fn.stackSlots, allocation: allocation, frame: frame,
                    registers: Arm64Reg.aapcs64)
}
