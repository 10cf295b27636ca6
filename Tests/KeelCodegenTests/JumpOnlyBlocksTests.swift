import Testing
import KeelIR
@testable import KeelCodegen

// Which blocks the emitter passes through and where branches then go.
@Suite struct JumpOnlyBlocksTests {
    /// mb0: br c, mb1, mb2 · mb1: jmp mb3 · mb2: jmp mb1 · mb3: jmp mb4 ·
    /// mb4: const; ret · mb5: jmp mb6 · mb6: jmp mb5 (an empty infinite loop).
    func chains() -> MachineFunction<ToyOp> {
        var f = MachineFunction<ToyOp>(name: "chains")
        _ = f.beginBlock()
        let c = f.int()
        f.op(.const(1), [.def(c)])
        f.br(c, MBlock(1), MBlock(2))
        _ = f.beginBlock(); f.jmp(MBlock(3))
        _ = f.beginBlock(); f.jmp(MBlock(1))
        _ = f.beginBlock(); f.jmp(MBlock(4))
        _ = f.beginBlock()
        let r = f.int()
        f.op(.const(7), [.def(r)])
        f.ret(r)
        _ = f.beginBlock(); f.jmp(MBlock(6))
        _ = f.beginBlock(); f.jmp(MBlock(5))
        f.computePredecessors()
        return f
    }

    @Test func chainsAreFollowedToTheirEnd() {
        let j = JumpOnlyBlocks(chains(), edits: [])
        #expect(j.destination.map(\.int) == [0, 4, 4, 4, 4, 5, 6])
        #expect(j.written == [true, false, false, false, true, true, true])
        // mb0 is followed in the output by mb4: a branch there falls through.
        #expect(j.fallsThrough(from: 0, to: MBlock(1)))
        #expect(j.fallsThrough(from: 0, to: MBlock(4)))
        #expect(!j.fallsThrough(from: 4, to: MBlock(6)))
        #expect(j.fallsThrough(from: 5, to: MBlock(6)))
    }

    @Test func aBlockWithACopyIsWritten() {
        let f = chains()
        // A move the allocator placed before mb3's jump keeps mb3 (and what jumps into it stops there).
        let jump = MInst(f.blocks[3].instructions.lowerBound)
        let edit = Edit(at: ProgramPoint(before: jump), from: .reg(PReg(0)), to: .reg(PReg(1)), vreg: VReg(0))
        let j = JumpOnlyBlocks(f, edits: [edit])
        #expect(j.destination.map(\.int) == [0, 3, 3, 3, 4, 5, 6])
        #expect(j.written == [true, false, false, true, true, true, true])
    }

    @Test func theEntryIsAlwaysWritten() {
        var f = MachineFunction<ToyOp>(name: "entry")
        _ = f.beginBlock(); f.jmp(MBlock(1))
        _ = f.beginBlock()
        let r = f.int()
        f.op(.const(0), [.def(r)])
        f.ret(r)
        f.computePredecessors()
        let j = JumpOnlyBlocks(f, edits: [])
        #expect(j.written == [true, true])
        #expect(j.fallsThrough(from: 0, to: MBlock(1)))
    }
}
