import KeelIR

/// Dominator tree of the blocks reachable from the entry.
///
/// Algorithm: Cooper, Harvey, Kennedy, "A Simple, Fast Dominance Algorithm"
/// (2001): iterate `idom(b) = intersect(processed preds of b)` over the
/// reverse postorder until nothing changes; `intersect` walks the two
/// candidates up the partial tree by RPO number.
///
/// Expects: any `Function` (out-of-range jump targets are ignored).
/// Guarantees: `immediateDominator` is nil exactly for the entry and for
/// unreachable blocks. Unreachable blocks are not in the tree: they dominate
/// nothing and are dominated by nothing except themselves (`dominates(b, b)`
/// holds for every block). `dominates` is O(1), from pre/post numbers of a
/// depth-first walk of the tree. Children are listed in reverse postorder.
public struct DominatorTree: Sendable {
    public let order: BlockOrder
    /// Preorder of the dominator tree (entry first); only reachable blocks.
    public let preorder: [BlockID]
    private let idom: [Int32]          // block index, -1 = none
    private let childStart: [Int32]    // children of b: childList[childStart[b]..<childStart[b + 1]]
    private let childList: [BlockID]
    private let pre: [Int32]           // preorder number, -1 = not in tree
    private let post: [Int32]          // postorder number, -1 = not in tree
    private let level: [Int32]         // depth in the tree, entry 0, -1 = not in tree

    public init(_ f: Function) { self.init(order: BlockOrder(f)) }

    /// Builds the tree from an order (which already holds the predecessors).
    public init(order: BlockOrder) {
        self.order = order
        let n = order.blockCount
        let rpo = order.reversePostorder
        // Work in RPO numbers: the entry is 0, and a dominator has a smaller
        // number than every block it dominates.
        var doms = [Int32](repeating: -1, count: rpo.count)
        if !rpo.isEmpty { doms[0] = 0 }
        var changed = true
        while changed {
            changed = false
            for i in 1..<max(rpo.count, 1) {
                var newIdom: Int32 = -1
                for q in order.predecessors[rpo[i].int] {
                    guard let number = order.rpoIndex(q) else { continue }  // unreachable
                    let p = Int32(number)
                    guard doms[number] >= 0 else { continue }
                    if newIdom < 0 { newIdom = p; continue }
                    var a = p, b = newIdom
                    while a != b {
                        while a > b { a = doms[Int(a)] }
                        while b > a { b = doms[Int(b)] }
                    }
                    newIdom = a
                }
                if doms[i] != newIdom {
                    doms[i] = newIdom
                    changed = true
                }
            }
        }

        // Children in one array, grouped by parent (`childStart[b]..<childStart[b + 1]`),
        // in RPO order: one allocation instead of one per block.
        var idom = [Int32](repeating: -1, count: n)
        var childStart = [Int32](repeating: 0, count: n + 1)
        for i in 1..<max(rpo.count, 1) {
            let d = rpo[Int(doms[i])]
            idom[rpo[i].int] = Int32(d.int)
            childStart[d.int + 1] += 1
        }
        for b in 0..<n { childStart[b + 1] += childStart[b] }
        var children = [BlockID](repeating: BlockID(0), count: Int(childStart[n]))
        var fill = childStart
        for i in 1..<max(rpo.count, 1) {
            let d = Int(idom[rpo[i].int])
            children[Int(fill[d])] = rpo[i]
            fill[d] += 1
        }

        // Pre/post numbering of the tree, iteratively.
        var pre = [Int32](repeating: -1, count: n)
        var post = [Int32](repeating: -1, count: n)
        var level = [Int32](repeating: -1, count: n)
        var preorder: [BlockID] = []
        preorder.reserveCapacity(rpo.count)
        if !rpo.isEmpty {
            var stack: [(block: Int, next: Int)] = [(rpo[0].int, 0)]
            pre[rpo[0].int] = 0
            level[rpo[0].int] = 0
            preorder.append(rpo[0])
            var postCounter: Int32 = 0
            while let top = stack.last {
                let first = Int(childStart[top.block])
                if first + top.next < Int(childStart[top.block + 1]) {
                    stack[stack.count - 1].next += 1
                    let c = children[first + top.next].int
                    pre[c] = Int32(preorder.count)
                    level[c] = level[top.block] + 1
                    preorder.append(BlockID(c))
                    stack.append((c, 0))
                } else {
                    post[top.block] = postCounter
                    postCounter += 1
                    stack.removeLast()
                }
            }
        }
        self.preorder = preorder
        self.idom = idom
        self.childStart = childStart
        self.childList = children
        self.pre = pre
        self.post = post
        self.level = level
    }

    /// The closest strict dominator; nil for the entry and unreachable blocks.
    public func immediateDominator(_ b: BlockID) -> BlockID? {
        guard b.int < idom.count, idom[b.int] >= 0 else { return nil }
        return BlockID(Int(idom[b.int]))
    }

    /// Whether every path from the entry to `b` passes through `a` (reflexive).
    public func dominates(_ a: BlockID, _ b: BlockID) -> Bool {
        if a == b { return true }
        guard a.int < pre.count, b.int < pre.count, pre[a.int] >= 0, pre[b.int] >= 0 else { return false }
        return pre[a.int] <= pre[b.int] && post[b.int] <= post[a.int]
    }

    public func strictlyDominates(_ a: BlockID, _ b: BlockID) -> Bool {
        a != b && dominates(a, b)
    }

    /// Blocks whose immediate dominator is `b`, in reverse postorder.
    public func children(_ b: BlockID) -> [BlockID] {
        guard b.int < childStart.count - 1 else { return [] }
        return Array(childList[Int(childStart[b.int])..<Int(childStart[b.int + 1])])
    }

    /// Depth in the tree (entry 0); nil for unreachable blocks.
    public func depth(_ b: BlockID) -> Int? {
        guard b.int < level.count, level[b.int] >= 0 else { return nil }
        return Int(level[b.int])
    }

    /// The deepest block dominating both; nil if either is unreachable.
    public func nearestCommonDominator(_ a: BlockID, _ b: BlockID) -> BlockID? {
        guard depth(a) != nil, depth(b) != nil else { return nil }
        var x = a, y = b
        while level[x.int] > level[y.int] { x = BlockID(Int(idom[x.int])) }
        while level[y.int] > level[x.int] { y = BlockID(Int(idom[y.int])) }
        while x != y {
            x = BlockID(Int(idom[x.int]))
            y = BlockID(Int(idom[y.int]))
        }
        return x
    }
}
