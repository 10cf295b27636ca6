import Testing
@testable import KeelIR

/// `Opcode.name` is a written-out table (for start-up speed); it must stay in
/// step with the cases, whose Swift names are the IL mnemonics.
@Test func opcodeNamesAreTheCaseNames() {
    for op in Opcode.allCases {
        #expect(op.name == "\(op)")
        #expect(Opcode.byName[op.name] == op)
    }
}

@Suite struct OpcodePropertiesTests {
    @Test func effectsAndMemory() {
        for op in Opcode.allCases {
            let p = op.properties
            // Whatever writes memory must run even when unused.
            if p.contains(.writesMemory) { #expect(op.hasEffects, "\(op.name)") }
            #expect(op.hasEffects == p.contains(.hasEffects), "\(op.name)")
            #expect(p.isPure == !(op.isLoad || op.isStore || [.blit, .call, .vastart, .vaarg, .dbgloc].contains(op)),
                    "\(op.name)")
        }
        #expect(Opcode.add.properties.contains(.commutative) && !Opcode.sub.properties.contains(.commutative))
        #expect(Opcode.loadl.properties == .readsMemory && !Opcode.loadl.hasEffects)
        #expect(Opcode.div.properties.contains(.mayTrap) && Opcode.div.properties.isPure)
    }
}
