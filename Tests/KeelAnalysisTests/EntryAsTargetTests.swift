import Testing
import KeelIR
import KeelAnalysis

/// The IL forbids jumping to the entry block, but the analyses run before or
/// without the verifier and must still give the right answers.
@Suite struct EntryAsJumpTargetTests {
    let f = cfg([[1], [0, 2], []])   // b0 -> b1 -> b0 | b2

    @Test func dominators() {
        let d = DominatorTree(f)
        #expect(d.immediateDominator(BlockID(0)) == nil)
        #expect(d.immediateDominator(BlockID(1)) == BlockID(0))
        #expect(d.immediateDominator(BlockID(2)) == BlockID(1))
    }

    @Test func entryIsInTheFrontiersOfItsLoop() {
        let df = DominanceFrontiers(DominatorTree(f))
        #expect(df.frontier(BlockID(0)) == ids([0]))
        #expect(df.frontier(BlockID(1)) == ids([0]))
        #expect(df.frontier(BlockID(2)).isEmpty)
    }

    @Test func entryHeadsALoop() {
        let l = LoopNest(DominatorTree(f))
        #expect(l.loops.count == 1)
        #expect(l.loops[0].header == BlockID(0))
        #expect(l.loops[0].blocks == ids([0, 1]))
    }

    @Test func parametersStayLiveAroundTheLoop() {
        var g = f
        let p = g.newTemp(name: "p", type: .w)
        g.parameters = [Parameter(type: .base(.w), temp: p)]
        g.blocks[2].terminator = .ret(.temp(p))
        let l = Liveness(g, order: BlockOrder(g))
        #expect(l.isLiveIn(p, BlockID(0)))
        #expect(l.isLiveOut(p, BlockID(1)))
    }
}
