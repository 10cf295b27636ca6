// DominatorTree: immediate dominators, the tree and O(1) dominance queries
// of any `ControlFlowGraph` (through its `BlockOrder`); contract below.
import KeelIR

/// Dominator tree of the blocks reachable from the entry.
///
/// Algorithm: Cooper, Harvey, Kennedy, "A Simple, Fast Dominance Algorithm"
/// (2001): iterate `idom(b) = intersect(processed preds of b)` over the
/// reverse postorder until nothing changes; `intersect` walks the two
/// candidates up the partial tree by RPO number.
///
/// Expects: any `ControlFlowGraph` (out-of-range jump targets are ignored),
/// or its `BlockOrder`.
/// Guarantees: `immediateDominator` is nil exactly for the entry and for
/// unreachable blocks. Unreachable blocks are not in the tree: they dominate
/// nothing and are dominated by nothing except themselves (`dominates(b, b)`
/// holds for every block). `dominates` is O(1), from pre/post numbers of a
/// depth-first walk of the tree. Children are listed in reverse postorder.
/// Cost: linear per round of the iteration (usually two or three rounds),
/// and two arrays: the preorder and one table of per-block numbers.
public struct DominatorTree: Sendable {
    public let order: BlockOrder
    /// Preorder of the dominator tree (entry first); only reachable blocks.
    public let preorder: [BlockID]
    /// One buffer of n-entry rows: immediate dominator (-1 = none), preorder
    /// and postorder number and depth in the tree (-1 = not in the tree),
    /// child starts (n + 1, offsets into this buffer), then the children
    /// grouped by parent, each group in reverse postorder.
    let table: [Int32]
    private var n: Int { order.blockCount }

    @inlinable
    public init<G: ControlFlowGraph>(_ graph: G) { self.init(order: BlockOrder(graph)) }

    /// Builds the tree from an order (which already holds the predecessors).
    public init(order: BlockOrder) {
        self.order = order
        let n = order.blockCount
        let rpo = order.reversePostorder
        let m = rpo.count
        let idomBase = 0, preBase = n, postBase = 2 * n, levelBase = 3 * n, childBase = 4 * n
        let listBase = childBase + n + 1
        let domsBase = listBase + max(m - 1, 0)   // scratch: idom by RPO number
        let stackBase = domsBase + m              // scratch: (block, next child) pairs
        let size = stackBase + 2 * m
        var table: [Int32] = []
        table.reserveCapacity(size)
        table.append(contentsOf: repeatElement(-1, count: childBase))
        table.append(contentsOf: repeatElement(0, count: domsBase - childBase))
        table.append(contentsOf: repeatElement(-1, count: size - domsBase))
        var preorder: [BlockID] = []
        preorder.reserveCapacity(m)
        order.table.withUnsafeBufferPointer { edges in
            table.withUnsafeMutableBufferPointer { t in
                guard m > 0 else { return }
                let pb = order.predecessorBase, nb = order.numberBase
                // Work in RPO numbers: the entry is 0, and a dominator has a
                // smaller number than every block it dominates.
                t[domsBase] = 0
                var changed = true
                while changed {
                    changed = false
                    for i in 1..<m {
                        let b = rpo[i].int
                        var newIdom: Int32 = -1
                        for e in Int(edges[pb + b])..<Int(edges[pb + b + 1]) {
                            let p = edges[nb + Int(edges[e])]
                            // Unreachable, or not processed yet.
                            guard p >= 0, t[domsBase + Int(p)] >= 0 else { continue }
                            if newIdom < 0 { newIdom = p; continue }
                            var x = p, y = newIdom
                            while x != y {
                                while x > y { x = t[domsBase + Int(x)] }
                                while y > x { y = t[domsBase + Int(y)] }
                            }
                            newIdom = x
                        }
                        if t[domsBase + i] != newIdom {
                            t[domsBase + i] = newIdom
                            changed = true
                        }
                    }
                }

                // Children grouped by parent, in RPO order: count, turn the
                // counts into starts, fill by bumping each start, shift back.
                for i in 1..<m {
                    let d = rpo[Int(t[domsBase + i])].int
                    t[idomBase + rpo[i].int] = Int32(truncatingIfNeeded: d)
                    t[childBase + d] += 1
                }
                var at = Int32(truncatingIfNeeded: listBase)
                for b in 0...n {
                    let count = t[childBase + b]
                    t[childBase + b] = at
                    at += count
                }
                for i in 1..<m {
                    let d = childBase + Int(t[idomBase + rpo[i].int])
                    t[Int(t[d])] = Int32(truncatingIfNeeded: rpo[i].int)
                    t[d] += 1
                }
                var b = n - 1
                while b > 0 {
                    t[childBase + b] = t[childBase + b - 1]
                    b -= 1
                }
                t[childBase] = Int32(truncatingIfNeeded: listBase)

                // Pre/post numbering of the tree, iteratively.
                let root = rpo[0].int
                var sp = stackBase
                t[sp] = Int32(truncatingIfNeeded: root)
                t[sp + 1] = t[childBase + root]
                sp += 2
                t[preBase + root] = 0
                t[levelBase + root] = 0
                preorder.append(rpo[0])
                var postCounter: Int32 = 0
                while sp > stackBase {
                    let block = Int(t[sp - 2]), next = Int(t[sp - 1])
                    if next < Int(t[childBase + block + 1]) {
                        t[sp - 1] += 1
                        let c = Int(t[next])
                        t[preBase + c] = Int32(truncatingIfNeeded: preorder.count)
                        t[levelBase + c] = t[levelBase + block] + 1
                        preorder.append(BlockID(c))
                        t[sp] = Int32(truncatingIfNeeded: c)
                        t[sp + 1] = t[childBase + c]
                        sp += 2
                    } else {
                        t[postBase + block] = postCounter
                        postCounter += 1
                        sp -= 2
                    }
                }
            }
        }
        table.removeLast(size - domsBase)
        self.preorder = preorder
        self.table = table
    }

    /// Preorder number of block `b` in the tree, -1 when unreachable.
    func preorderNumber(_ b: Int) -> Int32 { table[n + b] }

    /// The closest strict dominator; nil for the entry and unreachable blocks.
    public func immediateDominator(_ b: BlockID) -> BlockID? {
        guard b.int < n, table[b.int] >= 0 else { return nil }
        return BlockID(Int(table[b.int]))
    }

    /// Whether every path from the entry to `b` passes through `a` (reflexive).
    public func dominates(_ a: BlockID, _ b: BlockID) -> Bool {
        if a == b { return true }
        guard a.int < n, b.int < n else { return false }
        let preA = table[n + a.int], preB = table[n + b.int]
        guard preA >= 0, preB >= 0 else { return false }
        return preA <= preB && table[2 * n + b.int] <= table[2 * n + a.int]
    }

    public func strictlyDominates(_ a: BlockID, _ b: BlockID) -> Bool {
        a != b && dominates(a, b)
    }

    /// Blocks whose immediate dominator is `b`, in reverse postorder.
    public func children(_ b: BlockID) -> [BlockID] {
        guard b.int < n else { return [] }
        return table[Int(table[4 * n + b.int])..<Int(table[4 * n + b.int + 1])].map { BlockID(Int($0)) }
    }

    /// Depth in the tree (entry 0); nil for unreachable blocks.
    public func depth(_ b: BlockID) -> Int? {
        guard b.int < n, table[3 * n + b.int] >= 0 else { return nil }
        return Int(table[3 * n + b.int])
    }

    /// The deepest block dominating both; nil if either is unreachable.
    public func nearestCommonDominator(_ a: BlockID, _ b: BlockID) -> BlockID? {
        guard depth(a) != nil, depth(b) != nil else { return nil }
        let level = 3 * n
        var x = a.int, y = b.int
        while table[level + x] > table[level + y] { x = Int(table[x]) }
        while table[level + y] > table[level + x] { y = Int(table[y]) }
        while x != y {
            x = Int(table[x])
            y = Int(table[y])
        }
        return BlockID(x)
    }
}
