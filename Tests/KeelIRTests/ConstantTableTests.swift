import Testing
@testable import KeelIR

/// The parser's constant interning table: every kind of constant is found
/// again after growth, distinct constants stay distinct, and reset empties it.
@Test func constantTableFindsWhatItStored() {
    var table = ConstantTable(capacity: 4)
    var constants: [Constant] = []
    for i in 0..<300 {
        constants.append(.integer(Int64(i) * 1_000_003 - 150))
        constants.append(.single(bits: UInt32(i)))
        constants.append(.double(bits: UInt64(i)))
        constants.append(.symbol(SymbolID(i % 7), offset: Int64(i), access: i % 2 == 0 ? .direct : .thread))
    }
    for (k, c) in constants.enumerated() {
        #expect(table.lookup(c) == nil)
        table.insert(c, .const(ConstID(k)))
    }
    for (k, c) in constants.enumerated() {
        #expect(table.lookup(c) == .const(ConstID(k)))
    }
    // Same bits, different kind: different constants.
    #expect(table.lookup(.integer(Int64(bitPattern: 0x5555_0000_0000_0000))) == nil)
    table.reset()
    for c in constants { #expect(table.lookup(c) == nil) }
    table.insert(constants[5], .const(ConstID(1)))
    #expect(table.lookup(constants[5]) == .const(ConstID(1)))
}
