// Facts about each opcode, kept as data beside the opcodes so that passes
// ask one table instead of listing opcodes again.
public struct OpcodeProperties: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `op a, b` equals `op b, a`.
    public static let commutative = OpcodeProperties(rawValue: 1 << 0)
    /// May fault at run time for some operands (integer division by zero or overflow).
    public static let mayTrap = OpcodeProperties(rawValue: 1 << 1)
    public static let readsMemory = OpcodeProperties(rawValue: 1 << 2)
    public static let writesMemory = OpcodeProperties(rawValue: 1 << 3)
    /// Does something besides computing its result (see `Opcode.hasEffects`):
    /// must run even when the result is unused.
    public static let hasEffects = OpcodeProperties(rawValue: 1 << 4)

    /// Neither reads nor writes memory nor has effects: the result depends on
    /// the operands alone (it may still trap).
    public var isPure: Bool { intersection([.readsMemory, .writesMemory, .hasEffects]).isEmpty }

    /// Indexed by `Opcode.rawValue`.
    static let table: [OpcodeProperties] = Opcode.allCases.map { op in
        switch op {
        case .add, .mul, .and, .or, .xor,
             .ceqw, .cnew, .ceql, .cnel, .ceqs, .cnes, .ceqd, .cned, .cos, .cuos, .cod, .cuod:
            return .commutative
        case .div, .udiv, .rem, .urem:
            return .mayTrap  // for integer classes; float division never traps
        case _ where op.isLoad:
            return .readsMemory
        case _ where op.isStore:
            return [.writesMemory, .hasEffects]
        case .blit, .call:
            return [.readsMemory, .writesMemory, .hasEffects]
        case .vastart:
            return [.writesMemory, .hasEffects]
        case .vaarg:
            return [.readsMemory, .writesMemory, .hasEffects]
        case .dbgloc:
            return .hasEffects
        default:
            return []
        }
    }
}
