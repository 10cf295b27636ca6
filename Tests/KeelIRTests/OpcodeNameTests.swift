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
