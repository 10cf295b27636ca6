// LoopNest: natural loops, their nesting and each block's loop depth, for
// any `ControlFlowGraph` (through its `DominatorTree`); contract below.
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
/// Expects: a `DominatorTree` (of any `ControlFlowGraph`; the edges come
/// from its `BlockOrder`).
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
    private let innermost: [Int32]    // per block: loop index, -1 = none; empty when there are no loops

    public var isReducible: Bool { irreducibleEdges.isEmpty }

    /// The loops of the graph whose dominator tree is `dom`.
    public init(_ dom: DominatorTree) {
        let order = dom.order
        let n = order.blockCount
        let rpo = order.reversePostorder

        // Classify retreating edges: back edges as (header, latch) pairs in
        // reverse postorder of the latch, the others as irreducible.
        var backEdges: [Int32] = []
        var irreducible: [Edge] = []
        for (ui, u) in rpo.enumerated() {
            for k in 0..<order.successorCount(of: u.int) {
                let v = order.successor(k, of: u.int)
                guard order.rpoNumber(v) <= ui else { continue }
                if dom.dominates(BlockID(v), u) {
                    backEdges.append(Int32(truncatingIfNeeded: v))
                    backEdges.append(Int32(truncatingIfNeeded: u.int))
                } else {
                    irreducible.append(Edge(from: u, to: BlockID(v)))
                }
            }
        }
        self.irreducibleEdges = irreducible
        guard !backEdges.isEmpty else {
            self.loops = []
            self.innermost = []
            return
        }

        // Scratch, one buffer: each block's latches (starts, n + 1, then the
        // latches, by header), and the innermost loop found so far per block.
        let latchBase = n + 1, loopOfBase = latchBase + backEdges.count / 2
        var scratch: [Int32] = []
        scratch.reserveCapacity(loopOfBase + n)
        for _ in 0..<loopOfBase { scratch.append(0) }
        for _ in 0..<n { scratch.append(-1) }
        for k in stride(from: 0, to: backEdges.count, by: 2) { scratch[Int(backEdges[k])] += 1 }
        var at = Int32(truncatingIfNeeded: latchBase)
        for b in 0...n {
            let count = scratch[b]
            scratch[b] = at
            at += count
        }
        for k in stride(from: 0, to: backEdges.count, by: 2) {
            let h = Int(backEdges[k])
            scratch[Int(scratch[h])] = backEdges[k + 1]
            scratch[h] += 1
        }
        var b = n - 1
        while b > 0 {
            scratch[b] = scratch[b - 1]
            b -= 1
        }
        scratch[0] = Int32(truncatingIfNeeded: latchBase)
        func latches(_ h: Int) -> ArraySlice<Int32> { scratch[Int(scratch[h])..<Int(scratch[h + 1])] }

        // Discover loops, inner headers first: reverse preorder of the
        // dominator tree puts every block before its dominators.
        var headers: [Int32] = []
        var parents: [Int32] = []
        var work: [Int32] = []
        for hb in dom.preorder.reversed() where scratch[hb.int + 1] > scratch[hb.int] {
            let h = hb.int
            let me = Int32(truncatingIfNeeded: headers.count)
            headers.append(Int32(truncatingIfNeeded: h))
            parents.append(-1)
            work.removeAll(keepingCapacity: true)
            for t in latches(h) where Int(t) != h { work.append(t) }
            while let top = work.popLast() {
                let b = Int(top)
                var l = scratch[loopOfBase + b]
                if l < 0 {
                    scratch[loopOfBase + b] = me
                    for k in 0..<order.predecessorCount(of: b) {
                        let p = order.predecessor(k, of: b)
                        if order.rpoNumber(p) >= 0 && p != h { work.append(Int32(truncatingIfNeeded: p)) }
                    }
                    continue
                }
                // Already in a loop: climb to its outermost loop so far.
                while parents[Int(l)] >= 0 { l = parents[Int(l)] }
                if l == me { continue }
                parents[Int(l)] = me
                // Continue from the entries of that inner loop: its header's predecessors.
                let inner = Int(headers[Int(l)])
                for k in 0..<order.predecessorCount(of: inner) {
                    let p = order.predecessor(k, of: inner)
                    if order.rpoNumber(p) >= 0 && p != h { work.append(Int32(truncatingIfNeeded: p)) }
                }
            }
            // h is in no earlier loop: a loop holds only blocks its header
            // dominates, and h's strict dominators are visited after h.
            scratch[loopOfBase + h] = me
        }

        // Renumber so parents come before children: sort by the header's dominator-tree preorder.
        let count = headers.count
        let byPreorder = (0..<count).sorted {
            dom.preorderNumber(Int(headers[$0])) < dom.preorderNumber(Int(headers[$1]))
        }
        var newIndex = [Int](repeating: 0, count: count)
        for (i, old) in byPreorder.enumerated() { newIndex[old] = i }

        var result: [Loop] = byPreorder.map { old in
            let h = Int(headers[old])
            return Loop(header: BlockID(h), parent: parents[old] >= 0 ? newIndex[Int(parents[old])] : nil,
                        children: [], depth: 1, blocks: [], latches: latches(h).map { BlockID(Int($0)) })
        }
        for i in 0..<count {
            if let p = result[i].parent {
                result[i].depth = result[p].depth + 1
                result[p].children.append(i)
            }
        }
        var innermost = [Int32](repeating: -1, count: n)
        var size = [Int](repeating: 0, count: count)
        for b in 0..<n where scratch[loopOfBase + b] >= 0 {
            let l = newIndex[Int(scratch[loopOfBase + b])]
            innermost[b] = Int32(truncatingIfNeeded: l)
            var up: Int? = l
            while let li = up {
                size[li] += 1
                up = result[li].parent
            }
        }
        // Bodies: the header, then each block of the loop (nested loops'
        // included) in reverse postorder; each body sized once.
        for i in 0..<count {
            result[i].blocks.reserveCapacity(size[i])
            result[i].blocks.append(result[i].header)
        }
        for b in rpo where innermost[b.int] >= 0 {
            var l: Int? = Int(innermost[b.int])
            while let li = l {
                if result[li].header != b { result[li].blocks.append(b) }
                l = result[li].parent
            }
        }
        self.loops = result
        self.innermost = innermost
    }

    /// Index in `loops` of the innermost loop containing `b`.
    public func innermostLoop(_ b: BlockID) -> Int? {
        guard b.int < innermost.count, innermost[b.int] >= 0 else { return nil }  // (empty without loops)
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
