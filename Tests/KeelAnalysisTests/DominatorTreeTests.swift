import KeelTestSupport
import Testing
import KeelIR
import KeelAnalysis

@Suite struct BlockOrderTests {
    @Test func straightLine() {
        let o = BlockOrder(cfg([[1], [2], []]))
        #expect(o.reversePostorder == ids([0, 1, 2]))
        #expect(o.predecessors == [[], ids([0]), ids([1])])
        #expect(o.rpoIndex(BlockID(2)) == 2)
    }

    @Test func diamondVisitsTrueTargetFirst() {
        // DFS from 0 goes to 1 first, so 1's subtree finishes last: RPO 0 2 1 3.
        let o = BlockOrder(cfg([[1, 2], [3], [3], []]))
        #expect(o.reversePostorder == ids([0, 2, 1, 3]))
        #expect(o.predecessors[3] == ids([1, 2]))
    }

    @Test func unreachableBlocksAreLeftOutButKeepTheirEdges() {
        let o = BlockOrder(cfg([[2], [2], []]))
        #expect(o.reversePostorder == ids([0, 2]))
        #expect(!o.isReachable(BlockID(1)))
        #expect(o.rpoIndex(BlockID(1)) == nil)
        #expect(o.predecessors[2] == ids([0, 1]))   // all predecessors, documented
        #expect(!o.isReachable(BlockID(7)))
    }

    @Test func jnzWithEqualTargetsIsOneEdge() {
        let o = BlockOrder(cfg([[1, 1], []]))
        #expect(o.predecessors[1] == ids([0]))
        #expect(o.reversePostorder == ids([0, 1]))
    }

    @Test func outOfRangeTargetsAreIgnored() {
        let o = BlockOrder(cfg([[1, 9], [5]]))
        #expect(o.reversePostorder == ids([0, 1]))
        #expect(DominatorTree(order: o).immediateDominator(BlockID(1)) == BlockID(0))
    }

    @Test func emptyFunction() {
        let f = Function(name: SymbolID(0))
        let d = DominatorTree(f)
        #expect(d.preorder.isEmpty)
        #expect(d.immediateDominator(BlockID(0)) == nil)
    }

    @Test func rpoCoversReachableBlocksAndEachHasAnEarlierPredecessor() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let adj = randomAdjacency(Int.random(in: 1...12, using: &rng), using: &rng)
            let o = BlockOrder(cfg(adj))
            let seen = reachableFromEntry(adj)
            #expect(o.reversePostorder.count == seen.filter { $0 }.count)
            #expect(o.reversePostorder.first == BlockID(0))
            #expect(Set(o.reversePostorder).count == o.reversePostorder.count)
            for (i, b) in o.reversePostorder.enumerated() {
                #expect(seen[b.int])
                #expect(o.rpoIndex(b) == i)
                // Its DFS tree parent precedes it.
                if i > 0 { #expect(o.predecessors[b.int].contains { (o.rpoIndex($0) ?? Int.max) < i }) }
            }
        }
    }

    @Test func rpoIsATopologicalOrderOfAcyclicGraphs() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<200 {
            let n = Int.random(in: 1...12, using: &rng)
            let adj = (0..<n).map { i in
                i == n - 1 ? [] : (0..<Int.random(in: 1...2, using: &rng)).map { _ in Int.random(in: (i + 1)..<n, using: &rng) }
            }
            let o = BlockOrder(cfg(adj))
            for u in o.reversePostorder {
                for v in adj[u.int] { #expect(o.rpoIndex(u)! < o.rpoIndex(BlockID(v))!, "\(adj)") }
            }
        }
    }
}

@Suite struct DominatorTreeTests {
    func idoms(_ adj: [[Int]]) -> [Int?] {
        let d = DominatorTree(cfg(adj))
        return adj.indices.map { d.immediateDominator(BlockID($0))?.int }
    }

    @Test func straightLine() {
        #expect(idoms([[1], [2], []]) == [nil, 0, 1])
    }

    @Test func diamond() {
        let d = DominatorTree(cfg([[1, 2], [3], [3], []]))
        #expect(d.immediateDominator(BlockID(3)) == BlockID(0))
        #expect(d.children(BlockID(0)) == ids([2, 1, 3]))   // reverse postorder
        #expect(!d.dominates(BlockID(1), BlockID(3)))
        #expect(d.dominates(BlockID(0), BlockID(3)))
        #expect(d.dominates(BlockID(3), BlockID(3)))
        #expect(!d.strictlyDominates(BlockID(3), BlockID(3)))
        #expect(d.preorder.first == BlockID(0))
        #expect(d.nearestCommonDominator(BlockID(1), BlockID(2)) == BlockID(0))
        #expect(d.depth(BlockID(1)) == 1)
    }

    @Test func nestedLoops() {
        // 0 -> 1 (outer header) -> 2 (inner header) -> 3 -> 2 | 4 -> 1 | 5
        let adj = [[1], [2], [3], [2, 4], [1, 5], []]
        #expect(idoms(adj) == [nil, 0, 1, 2, 3, 4])
    }

    @Test func selfLoops() {
        #expect(idoms([[0, 1], [1, 2], []]) == [nil, 0, 1])
    }

    @Test func unreachableBlocks() {
        let d = DominatorTree(cfg([[2], [2], [], [1]]))
        #expect(d.immediateDominator(BlockID(1)) == nil)
        #expect(d.immediateDominator(BlockID(2)) == BlockID(0))
        #expect(!d.dominates(BlockID(1), BlockID(2)))
        #expect(!d.dominates(BlockID(0), BlockID(1)))
        #expect(d.dominates(BlockID(1), BlockID(1)))
        #expect(d.nearestCommonDominator(BlockID(1), BlockID(2)) == nil)
        #expect(d.preorder == ids([0, 2]))
    }

    @Test func irreducibleTwoEntryLoop() {
        // 0 branches into both 1 and 2, which jump to each other.
        let adj = [[1, 2], [2, 3], [1], []]
        #expect(idoms(adj) == [nil, 0, 0, 1])
    }

    @Test func matchesBruteForceOnRandomGraphs() {
        var rng = SplitMix64(seed: 0x5EED)
        for _ in 0..<400 {
            let adj = randomAdjacency(Int.random(in: 1...16, using: &rng), using: &rng)
            let ref = bruteForceDominance(adj)
            let d = DominatorTree(cfg(adj))
            let live = reachableFromEntry(adj)
            for a in adj.indices {
                for b in adj.indices where live[b] {
                    #expect(d.dominates(BlockID(a), BlockID(b)) == ref[a][b], "\(adj): \(a) dom \(b)")
                }
                // idom: the strict dominator dominated by all other strict dominators.
                if live[a] && a != 0 {
                    let strict = adj.indices.filter { $0 != a && ref[$0][a] }
                    let expected = strict.first { c in strict.allSatisfy { ref[$0][c] } }
                    #expect(d.immediateDominator(BlockID(a))?.int == expected, "\(adj): idom \(a)")
                }
            }
            // The preorder has each reachable block once, parents before children.
            #expect(d.preorder.count == live.filter { $0 }.count)
            var seen = Set<BlockID>()
            for b in d.preorder {
                if let p = d.immediateDominator(b) { #expect(seen.contains(p)) }
                seen.insert(b)
                for c in d.children(b) { #expect(d.immediateDominator(c) == b) }
            }
        }
    }
}
