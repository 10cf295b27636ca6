import Testing
@testable import KeelCodegen

// A value computed for a call's argument register is defined there, even
// when that register holds a value which lives across the call: that value
// moves to a callee-saved register first, as it would at the call anyway.
@Suite struct CallArgumentHintTests {
    @Test func argumentIsDefinedInItsRegister() throws {
        var f = MachineFunction<ToyOp>(name: "argdef")
        _ = f.beginBlock()
        let x = f.int(), one = f.int(), d = f.int(), r = f.int(), s = f.int()
        f.op(.args, [.def(x, .fixed(Toy.p0))])
        f.op(.const(1), [.def(one)])
        let add = f.op(.add, [.def(d), .use(x), .use(one)])
        f.call(1, [d], result: r)
        f.op(.add, [.def(s), .use(r), .use(x)])
        f.ret(s)
        f.computePredecessors()
        let a = try allocateAndCompare(f)
        let defOperand = f.instructions[add.int].operandRange.lowerBound
        #expect(a.operandLocations[defOperand] == .reg(Toy.p0))
        #expect(!a.edits.contains { $0.vreg == d }, "\(a.edits)")
        let moves = a.edits.filter { $0.vreg == x }
        #expect(moves.count == 1, "\(moves)")
        if case .reg(let c)? = moves.first?.to { #expect(!Toy.callerSaved.contains(c)) }
        else { Issue.record("x not moved to a register: \(moves)") }
    }
}
