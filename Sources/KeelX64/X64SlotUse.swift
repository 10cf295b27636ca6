import KeelCodegen

// What each x86-64 instruction does to the function's own stack slots
// (`X64Function.allocSlots`), for the target-independent slot lifetimes and
// stack-slot check. Operand positions are those X64Instruction.swift documents:
// a memory access goes through its base (the index of an `.indexed` address
// is never taken for a slot's address, so a slot address found there escapes).
extension X64Inst: StackSlotInstruction {
    public var slotUse: SlotUse {
        switch self {
        case .slotAddress(let s, _):
            return SlotUse(addressOf: s)
        case .load(_, _, let a):
            if case .slot(let s, let off) = a { return SlotUse(direct: (s, off, 0, .read)) }
            return a.usesBase ? SlotUse(through: (.read, [])) : .none
        case .store(let size, _, let a):
            if case .slot(let s, let off) = a { return SlotUse(direct: (s, off, size, .write)) }
            return a.usesBase ? SlotUse(through: ([], .write)) : .none
        case .storeImm(let size, _, let a):
            if case .slot(let s, let off) = a { return SlotUse(direct: (s, off, size, .write)) }
            return a.usesBase ? SlotUse(through: (.write, [])) : .none
        case .cmpMemImmJump(_, _, _, let a):
            if case .slot(let s, let off) = a { return SlotUse(direct: (s, off, 0, .read)) }
            return a.usesBase ? SlotUse(through: (.read, [])) : .none
        case .cmpMemJump(_, _, let a):
            if case .slot(let s, let off) = a { return SlotUse(direct: (s, off, 0, .read)) }
            return a.usesBase ? SlotUse(through: ([], .read)) : .none
        case .vaStart(let save, _, _, _):
            return SlotUse(through: (.write, []), escaping: save)
        case .vaArg:
            return SlotUse(through: ([.read, .write], []))
        case .copyToOutgoing:
            return SlotUse(through: (.read, []))
        case .blit:
            return SlotUse(through: (.read, .write))
        case .mov(float: false), .aluImm(.add, size: 8, _), .aluImm(.sub, size: 8, _), .lea(size: 8, .base):
            return SlotUse(derivation: .offset)
        case .lea(size: 8, .indexed(_, let scale)):
            // An address scaled by 2, 4 or 8 is no address: only the base may carry one.
            return SlotUse(derivation: scale == 1 ? .sum : .scaledSum)
        case .alu(.add, size: 8):
            return SlotUse(derivation: .sum)
        case .alu(.sub, size: 8):
            return SlotUse(derivation: .difference)
        default:
            return .none
        }
    }
}
