import Testing
import KeelIR
@testable import KeelCodegen

// Which blocks the emitters align: the targets of backward branches in the layout.
@Suite struct LoopAlignmentTests {
    /// mb0: jmp mb1 · mb1: br c, mb2, mb4 · mb2: jmp mb3 · mb3: jmp mb1 (the
    /// latch, a lone jump) · mb4: br c, mb5, mb6 · mb5: jmp mb4 · mb6: ret.
    func twoLoops() -> MachineFunction<ToyOp> {
        var f = MachineFunction<ToyOp>(name: "loops")
        _ = f.beginBlock()
        let c = f.int()
        f.op(.const(1), [.def(c)])
        f.jmp(MBlock(1))
        _ = f.beginBlock(); f.br(c, MBlock(2), MBlock(4))
        _ = f.beginBlock(); f.jmp(MBlock(3))
        _ = f.beginBlock(); f.jmp(MBlock(1))
        _ = f.beginBlock(); f.br(c, MBlock(5), MBlock(6))
        _ = f.beginBlock(); f.jmp(MBlock(4))
        _ = f.beginBlock(); f.ret(c)
        f.computePredecessors()
        return f
    }

    @Test func backwardBranchTargetsAreLoopHeads() {
        #expect(loopHeadsToAlign(twoLoops()) == [false, true, false, false, true, false, false])
    }

    @Test func branchesThroughPassedBlocksCount() {
        // mb2 and mb3 only jump: mb1's branch goes to mb1 itself once they are
        // passed through, still a backward branch to a loop head.
        let f = twoLoops()
        let jumps = JumpOnlyBlocks(f, edits: [])
        #expect(jumps.written == [true, true, false, false, true, false, true])
        #expect(loopHeadsToAlign(f, jumps: jumps) == [false, true, false, false, true, false, false])
    }

    @Test func forwardBranchesAlignNothing() {
        var f = MachineFunction<ToyOp>(name: "straight")
        _ = f.beginBlock()
        let c = f.int()
        f.op(.const(1), [.def(c)])
        f.br(c, MBlock(1), MBlock(2))
        _ = f.beginBlock(); f.jmp(MBlock(2))
        _ = f.beginBlock(); f.ret(c)
        f.computePredecessors()
        #expect(loopHeadsToAlign(f) == [false, false, false])
    }
}
