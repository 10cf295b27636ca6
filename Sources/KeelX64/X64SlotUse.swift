import KeelCodegen

// What each x86-64 instruction does to the function's own stack slots
// (`X64Function.allocSlots`), for the target-independent slot lifetimes and
// stack-slot check. Operand positions are those X64Instruction.swift documents.
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
        case .vaStart(let save, _, _, _):
            return SlotUse(through: (.write, []), escaping: save)
        case .vaArg:
            return SlotUse(through: ([.read, .write], []))
        case .copyToOutgoing:
            return SlotUse(through: (.read, []))
        case .blit:
            return SlotUse(through: (.read, .write))
        case .mov(float: false), .aluImm(.add, size: 8, _), .aluImm(.sub, size: 8, _):
            return SlotUse(derivation: .offset)
        case .alu(.add, size: 8):
            return SlotUse(derivation: .sum)
        case .alu(.sub, size: 8):
            return SlotUse(derivation: .difference)
        default:
            return .none
        }
    }
}
