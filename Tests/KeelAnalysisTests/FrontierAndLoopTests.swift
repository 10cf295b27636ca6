import KeelTestSupport
import Testing
import KeelIR
import KeelAnalysis

/// Reference DF(x) from the definition, using brute-force dominance.
func bruteFrontiers(_ adj: [[Int]]) -> [Set<Int>] {
    let dom = bruteForceDominance(adj)
    let live = reachableFromEntry(adj)
    var df = [Set<Int>](repeating: [], count: adj.count)
    for p in adj.indices where live[p] {
        for y in adj[p] {
            for x in adj.indices where dom[x][p] && !(dom[x][y] && x != y) { df[x].insert(y) }
        }
    }
    return df
}

/// Reference reducibility: the reachable graph minus its back edges is acyclic.
func bruteIsReducible(_ adj: [[Int]]) -> Bool {
    let dom = bruteForceDominance(adj)
    let live = reachableFromEntry(adj)
    var state = [Int](repeating: 0, count: adj.count)   // 0 new, 1 on stack, 2 done
    func cyclic(_ u: Int) -> Bool {
        state[u] = 1
        for v in adj[u] where !dom[v][u] {
            if state[v] == 1 { return true }
            if state[v] == 0 && cyclic(v) { return true }
        }
        state[u] = 2
        return false
    }
    return !adj.indices.contains { live[$0] && state[$0] == 0 && cyclic($0) }
}

@Suite struct DominanceFrontierTests {
    func frontiers(_ adj: [[Int]]) -> [Set<Int>] {
        let f = cfg(adj)
        let df = DominanceFrontiers(DominatorTree(f))
        return adj.indices.map { Set(df.frontier(BlockID($0)).map(\.int)) }
    }

    @Test func diamond() {
        #expect(frontiers([[1, 2], [3], [3], []]) == [[], [3], [3], []])
    }

    @Test func loopHeaderIsInItsOwnFrontier() {
        // 0 -> 1 -> 2 -> 1 | 3
        #expect(frontiers([[1], [2], [1, 3], []]) == [[], [1], [1], []])
    }

    @Test func selfLoop() {
        #expect(frontiers([[1], [1, 2], []]) == [[], [1], []])
    }

    @Test func irreducibleTwoEntryLoop() {
        // 0 -> 1, 2; 1 <-> 2; 1 -> 3. Neither 1 nor 2 dominates the other.
        #expect(frontiers([[1, 2], [2, 3], [1], []]) == [[], [2], [1], []])
    }

    @Test func unreachablePredecessorsDoNotCount() {
        #expect(frontiers([[2], [2], []]) == [[], [], []])
    }

    @Test func noDuplicates() {
        // 3 is reached from 1 and 2, both under 0's child 4.
        let f = cfg([[4], [3], [3], [], [1, 2]])
        let df = DominanceFrontiers(DominatorTree(f))
        #expect(df.frontier(BlockID(1)) == ids([3]))
        #expect(df.frontier(BlockID(4)).isEmpty)
    }

    @Test func iteratedFrontier() {
        // Nested loops: a definition in the inner body needs phis at both headers.
        let f = cfg([[1], [2], [3], [2, 4], [1, 5], []])
        let df = DominanceFrontiers(DominatorTree(f))
        #expect(df.iteratedFrontier(of: ids([3])) == ids([1, 2]))
        #expect(df.iteratedFrontier(of: ids([0])).isEmpty)
    }

    @Test func matchesDefinitionOnRandomGraphs() {
        var rng = SplitMix64(seed: 0xDF)
        for _ in 0..<300 {
            let adj = randomAdjacency(Int.random(in: 1...14, using: &rng), using: &rng)
            let got = frontiers(adj)
            #expect(got == bruteFrontiers(adj), "\(adj)")
            let f = cfg(adj)
            let df = DominanceFrontiers(DominatorTree(f))
            for b in adj.indices {
                let list = df.frontier(BlockID(b))
                #expect(Set(list).count == list.count)
            }
        }
    }
}

@Suite struct LoopNestTests {
    func nest(_ adj: [[Int]]) -> LoopNest {
        let f = cfg(adj)
        return LoopNest(DominatorTree(f))
    }

    @Test func straightLineHasNoLoops() {
        let l = nest([[1], [2], []])
        #expect(l.loops.isEmpty)
        #expect(l.isReducible)
        #expect(l.depth(BlockID(1)) == 0)
    }

    @Test func nestedLoops() {
        // 0 -> 1 (outer) -> 2 (inner) -> 3 -> 2 | 4 -> 1 | 5
        let l = nest([[1], [2], [3], [2, 4], [1, 5], []])
        #expect(l.loops.count == 2)
        #expect(l.loops[0].header == BlockID(1))
        #expect(l.loops[0].parent == nil)
        #expect(l.loops[0].children == [1])
        #expect(Set(l.loops[0].blocks) == Set(ids([1, 2, 3, 4])))
        #expect(l.loops[0].blocks.first == BlockID(1))
        #expect(l.loops[1].header == BlockID(2))
        #expect(l.loops[1].parent == 0)
        #expect(l.loops[1].blocks == ids([2, 3]))
        #expect(l.loops[1].latches == ids([3]))
        #expect([0, 1, 2, 3, 4, 5].map { l.depth(BlockID($0)) } == [0, 1, 2, 2, 1, 0])
        #expect(l.isHeader(BlockID(2)) && !l.isHeader(BlockID(3)))
        #expect(l.contains(loop: 0, BlockID(3)) && !l.contains(loop: 1, BlockID(4)))
        #expect(l.isReducible)
    }

    @Test func multipleBackEdgesMakeOneLoop() {
        // 1 is the header; 2 and 3 both jump back.
        let l = nest([[1], [2, 4], [1, 3], [1], []])
        #expect(l.loops.count == 1)
        #expect(Set(l.loops[0].latches) == Set(ids([2, 3])))
        #expect(Set(l.loops[0].blocks) == Set(ids([1, 2, 3])))
        #expect(l.depth(BlockID(4)) == 0)
    }

    @Test func selfLoop() {
        let l = nest([[1], [1, 2], []])
        #expect(l.loops.count == 1)
        #expect(l.loops[0].blocks == ids([1]))
        #expect(l.loops[0].latches == ids([1]))
        #expect(l.depth(BlockID(1)) == 1)
    }

    @Test func jnzWithBothTargetsTheHeader() {
        let l = nest([[1], [2], [1, 1]])
        #expect(l.loops.count == 1)
        #expect(l.loops[0].latches == ids([2]))
    }

    @Test func irreducibleTwoEntryLoopIsReportedNotALoop() {
        let l = nest([[1, 2], [2, 3], [1], []])
        #expect(l.loops.isEmpty)
        #expect(!l.isReducible)
        #expect(l.irreducibleEdges.count == 1)
        let e = l.irreducibleEdges[0]
        #expect(Set([e.from, e.to]) == Set(ids([1, 2])))
        #expect(l.depth(BlockID(1)) == 0)
    }

    @Test func irreducibleCycleInsideANaturalLoop() {
        // 1 is a loop header (5 -> 1); inside, 2 and 3 form a two-entry cycle.
        let l = nest([[1], [2, 3], [3, 4], [2, 4], [5], [1, 6], []])
        #expect(!l.isReducible)
        #expect(l.loops.count == 1)
        #expect(Set(l.loops[0].blocks) == Set(ids([1, 2, 3, 4, 5])))
        #expect(l.depth(BlockID(2)) == 1)
    }

    @Test func unreachableCycleIsIgnored() {
        let l = nest([[], [2], [1]])
        #expect(l.loops.isEmpty)
        #expect(l.isReducible)
    }

    @Test func matchesDefinitionOnRandomGraphs() {
        var rng = SplitMix64(seed: 0x100F)
        var irreducibleSeen = 0, nestedSeen = 0
        for _ in 0..<400 {
            let adj = randomAdjacency(Int.random(in: 1...14, using: &rng), using: &rng)
            let l = nest(adj)
            if !l.isReducible { irreducibleSeen += 1 }
            if l.loops.contains(where: { $0.parent != nil }) { nestedSeen += 1 }
            let ref = bruteForceNaturalLoops(adj)
            #expect(l.isReducible == bruteIsReducible(adj), "\(adj)")
            let dom = bruteForceDominance(adj)
            for e in l.irreducibleEdges { #expect(!dom[e.to.int][e.from.int]) }
            #expect(l.loops.count == ref.count, "\(adj)")
            for (i, loop) in l.loops.enumerated() {
                let body = Set(loop.blocks.map(\.int))
                #expect(body == ref[loop.header.int], "\(adj)")
                #expect(body.count == loop.blocks.count)
                // Parent: the smallest other loop whose body contains this one.
                let enclosing = ref.filter { $0.key != loop.header.int && $0.value.isSuperset(of: body) }
                let parent = enclosing.min { $0.value.count < $1.value.count }?.key
                #expect(loop.parent.map { l.loops[$0].header.int } == parent, "\(adj)")
                if let p = loop.parent { #expect(p < i) }
            }
            for b in adj.indices {
                #expect(l.depth(BlockID(b)) == ref.values.filter { $0.contains(b) }.count, "\(adj)")
            }
        }
        // The sample must exercise both cases.
        #expect(irreducibleSeen > 20 && nestedSeen > 20, "\(irreducibleSeen) \(nestedSeen)")
    }
}
