import Testing
import KeelAnalysis
import KeelIR
@testable import KeelCodegen
import KeelTestSupport

// The machine function as a ControlFlowGraph: KeelAnalysis's order,
// dominators and loops on machine blocks, and the loop depths the register
// allocator is given, checked against the shared brute-force oracle.

/// Loop depth of every block from the shared natural-loop oracle: the
/// number of natural loops containing it.
func bruteForceLoopDepths(_ successors: [[Int]]) -> [Int] {
    var depth = [Int](repeating: 0, count: successors.count)
    for body in bruteForceNaturalLoops(successors).values {
        for b in body { depth[b] += 1 }
    }
    return depth
}

@Suite struct MachineControlFlowTests {
    /// mb0 -> mb1 (outer header) -> mb2 (inner header) -> mb3 -> mb2 | mb4 -> mb1 | mb5 (exit).
    func nestedLoops() -> MachineFunction<ToyOp> {
        var f = MachineFunction<ToyOp>(name: "nested")
        let (b0, b1, b2, b3, b4, b5) = (MBlock(0), MBlock(1), MBlock(2), MBlock(3), MBlock(4), MBlock(5))
        _ = f.beginBlock()
        let c = f.int()
        f.op(.const(0), [.def(c)])
        f.jmp(b1)
        _ = f.beginBlock()
        f.jmp(b2)
        _ = f.beginBlock()
        f.jmp(b3)
        _ = f.beginBlock()
        f.br(c, b2, b4)
        _ = f.beginBlock()
        f.br(c, b1, b5)
        _ = f.beginBlock()
        f.ret(c)
        _ = b0
        f.computePredecessors()
        return f
    }

    @Test func orderDominatorsAndLoopsOfMachineBlocks() {
        let f = nestedLoops()
        let order = BlockOrder(f)
        #expect(order.reversePostorder.map(\.int) == [0, 1, 2, 3, 4, 5])
        #expect(order.predecessors(of: 2).map(Int.init) == [1, 3])
        let dom = DominatorTree(order: order)
        #expect(dom.immediateDominator(BlockID(4)) == BlockID(3))
        let loops = LoopNest(dom)
        #expect(loops.loops.count == 2 && loops.isReducible)
        // What the allocator is given.
        #expect(loopDepths(order) == [0, 1, 2, 2, 1, 0])
    }

    @Test func repeatedSuccessorIsOneEdgeEach() {
        // A multi-way branch listing a block twice: two edges, two predecessor entries.
        var f = MachineFunction<ToyOp>(name: "twice")
        _ = f.beginBlock()
        let c = f.int()
        f.op(.const(1), [.def(c)])
        f.setSuccessors([MBlock(1), MBlock(1)], arguments: [[], []])
        f.append(.br, [.use(c)], terminator: true)
        _ = f.beginBlock()
        f.ret(c)
        let order = BlockOrder(f)
        #expect(order.successorCount(of: 0) == 2 && order.predecessorCount(of: 1) == 2)
        #expect(order.reversePostorder.map(\.int) == [0, 1])
        #expect(loopDepths(order) == [0, 0])
    }

    @Test func randomProgramsMatchTheOracle() {
        for seed in 1...40 as ClosedRange<UInt64> {
            var g = RandomProgramGenerator(seed: seed)
            let f = g.generate()
            let successors = f.blocks.map { $0.successors.map(\.int) }
            let ref = bruteForceDominance(successors)
            let order = BlockOrder(f)
            let dom = DominatorTree(order: order)
            for a in f.blocks.indices {
                #expect(order.isReachable(BlockID(a)) == ref[a][a], "seed \(seed): reachable \(a)")
                for b in f.blocks.indices where ref[b][b] {
                    #expect(dom.dominates(BlockID(a), BlockID(b)) == ref[a][b], "seed \(seed): \(a) dom \(b)")
                }
            }
            #expect(loopDepths(order).map(Int.init) == bruteForceLoopDepths(successors), "seed \(seed)")
        }
    }
}
