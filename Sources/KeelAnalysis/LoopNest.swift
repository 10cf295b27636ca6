import KeelIR

/// Natural loops and their nesting.
///
/// A back edge is an edge t -> h whose target dominates its source; the
/// natural loop of header h is h plus every block that reaches one of h's
/// back-edge sources without passing through h. Loops sharing a header are
/// one loop. Two natural loops are then either disjoint or nested, which
/// gives the loop forest.
///
/// Irreducible control flow (a cycle with more than one entry) has no
/// natural loop: it is reported, not treated as a loop. An edge u -> v is
/// *retreating* when v does not come after u in reverse postorder (a
/// DFS back edge); the graph is reducible iff every retreating edge is a back
/// edge (Hecht & Ullman). `irreducibleEdges` lists the retreating edges that
/// are not back edges; blocks of such a cycle get the loop depth of the
/// natural loops around them only.
///
/// Algorithm: headers are visited in reverse preorder of the dominator tree (inner
/// headers first); each loop's body is found by a backward walk from its
/// back-edge sources, which jumps over already-found inner loops via their
/// outermost enclosing loop (as in LLVM's LoopInfo). Near-linear time.
///
/// Expects: the `DominatorTree` of the same function.
/// Guarantees: `loops` lists parents before children; every loop's `blocks`
/// starts with its header and includes the blocks of nested loops; only
/// reachable blocks are in loops.
public struct LoopNest: Sendable {
    public struct Loop: Hashable, Sendable {
        public var header: BlockID
        /// Index in `LoopNest.loops` of the enclosing loop.
        public var parent: Int?
        /// Indices in `LoopNest.loops` of the directly nested loops.
        public var children: [Int]
        /// 1 for an outermost loop.
        public var depth: Int
        /// Header first, then the other blocks (nested loops included) in reverse postorder.
        public var blocks: [BlockID]
        /// Sources of the back edges to the header, in reverse postorder.
        public var latches: [BlockID]
    }

    public struct Edge: Hashable, Sendable, CustomStringConvertible {
        public var from: BlockID
        public var to: BlockID
        public init(from: BlockID, to: BlockID) {
            self.from = from
            self.to = to
        }
        public var description: String { "\(from)->\(to)" }
    }

    public let loops: [Loop]
    /// Retreating edges whose target does not dominate their source, in
    /// reverse postorder of the source. Empty iff the CFG is reducible.
    public let irreducibleEdges: [Edge]
    private let innermost: [Int32]    // per block: loop index, -1 = none

    public var isReducible: Bool { irreducibleEdges.isEmpty }

    public init(_ f: Function, _ dom: DominatorTree) {
        let order = dom.order
        let n = order.blockCount

        // Classify retreating edges.
        var latches = [[BlockID]](repeating: [], count: n)
        var irreducible: [Edge] = []
        for u in order.reversePostorder {
            let su = successors(f.blocks[u.int].terminator, blockCount: n)
            let ui = order.rpoIndex(u) ?? 0
            for k in 0..<su.count {
                let v = BlockID(su[k])
                guard let vi = order.rpoIndex(v), vi <= ui else { continue }
                if dom.dominates(v, u) {
                    latches[v.int].append(u)
                } else {
                    irreducible.append(Edge(from: u, to: v))
                }
            }
        }

        // Discover loops, inner headers first: reverse preorder of the
        // dominator tree puts every block before its dominators.
        var loopOf = [Int32](repeating: -1, count: n)   // innermost loop found so far
        var headers: [BlockID] = []
        var parents: [Int32] = []
        var work: [BlockID] = []
        for h in dom.preorder.reversed() where !latches[h.int].isEmpty {
            let me = Int32(headers.count)
            headers.append(h)
            parents.append(-1)
            work.removeAll(keepingCapacity: true)
            for t in latches[h.int] where t != h { work.append(t) }
            while let b = work.popLast() {
                var l = loopOf[b.int]
                if l < 0 {
                    loopOf[b.int] = me
                    for p in order.predecessors[b.int] where order.isReachable(p) && p != h { work.append(p) }
                    continue
                }
                // Already in a loop: climb to its outermost loop so far.
                while parents[Int(l)] >= 0 { l = parents[Int(l)] }
                if l == me { continue }
                parents[Int(l)] = me
                // Continue from the entries of that inner loop: its header's predecessors.
                for p in order.predecessors[headers[Int(l)].int] where order.isReachable(p) && p != h {
                    work.append(p)
                }
            }
            // h is in no earlier loop: a loop holds only blocks its header
            // dominates, and h's strict dominators are visited after h.
            loopOf[h.int] = me
        }

        // Renumber so parents come before children: sort by the header's dominator-tree preorder.
        let count = headers.count
        var preIndex = [Int](repeating: 0, count: n)
        for (i, b) in dom.preorder.enumerated() { preIndex[b.int] = i }
        let byPreorder = (0..<count).sorted { preIndex[headers[$0].int] < preIndex[headers[$1].int] }
        var newIndex = [Int](repeating: 0, count: count)
        for (i, old) in byPreorder.enumerated() { newIndex[old] = i }

        var result: [Loop] = byPreorder.map { old in
            Loop(header: headers[old], parent: parents[old] >= 0 ? newIndex[Int(parents[old])] : nil,
                 children: [], depth: 1, blocks: [headers[old]], latches: latches[headers[old].int])
        }
        for i in 0..<count {
            if let p = result[i].parent {
                result[i].depth = result[p].depth + 1
                result[p].children.append(i)
            }
        }
        var innermost = [Int32](repeating: -1, count: n)
        for b in 0..<n where loopOf[b] >= 0 { innermost[b] = Int32(newIndex[Int(loopOf[b])]) }
        // Bodies: each block joins its innermost loop and all enclosing ones.
        for b in order.reversePostorder where innermost[b.int] >= 0 {
            var l: Int? = Int(innermost[b.int])
            while let li = l {
                if result[li].header != b { result[li].blocks.append(b) }
                l = result[li].parent
            }
        }
        self.loops = result
        self.irreducibleEdges = irreducible
        self.innermost = innermost
    }

    /// Index in `loops` of the innermost loop containing `b`.
    public func innermostLoop(_ b: BlockID) -> Int? {
        guard b.int < innermost.count, innermost[b.int] >= 0 else { return nil }
        return Int(innermost[b.int])
    }

    /// Number of loops containing `b` (0 outside loops).
    public func depth(_ b: BlockID) -> Int {
        innermostLoop(b).map { loops[$0].depth } ?? 0
    }

    /// Whether `b` is the header of a loop.
    public func isHeader(_ b: BlockID) -> Bool {
        innermostLoop(b).map { loops[$0].header == b } ?? false
    }

    /// Whether loop `l` contains block `b` (nested loops included).
    public func contains(loop l: Int, _ b: BlockID) -> Bool {
        var cur = innermostLoop(b)
        while let c = cur {
            if c == l { return true }
            cur = loops[c].parent
        }
        return false
    }
}
