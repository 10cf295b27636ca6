// BlockOrder: reverse postorder (RPO) of any `ControlFlowGraph`, plus its
// edges in one flat table for the analyses built on it (DominatorTree,
// LoopNest, DominanceFrontiers); see the type's comment for the contract.
import KeelIR

/// Reverse postorder (RPO) of a control-flow graph, with its edges.
///
/// Expects: any `ControlFlowGraph` (an IR `Function`, a machine function);
/// successors outside the graph are ignored (the verifier reports them), so
/// bad input never traps here.
/// Guarantees: `reversePostorder` lists every block reachable from block 0
/// exactly once, entry first, from an iterative depth-first search that
/// visits successors in the graph's order (`jnz` true target first). For
/// every edge u -> v that is not a retreating edge of that search, u comes
/// before v. Unreachable blocks appear nowhere in the order.
///
/// Edges are kept as the graph reports them (an IR `Function` reports each
/// distinct jump target once; a machine block listing a successor twice has
/// two edges to it). `successors(of: b)` lists b's successors in the
/// graph's order; `predecessors(of: b)` lists *all* predecessors of `b` —
/// unreachable ones included — once per edge, in increasing block order
/// (for a `Function`, the same lists as `Function.predecessors()`); filter
/// with `isReachable` when only reachable predecessors matter.
///
/// Cost: linear in blocks and edges, and two arrays per function: the
/// order, and one table holding the edges both ways (compressed rows) and
/// the RPO numbers.
public struct BlockOrder: Sendable {
    public let reversePostorder: [BlockID]
    /// Number of blocks of the graph (reachable or not).
    public let blockCount: Int
    /// One buffer: successor starts (n + 1, offsets into this buffer), the
    /// successors; from `predecessorBase`, predecessor starts (n + 1) and the
    /// predecessors; from `numberBase`, the RPO number of each block (-1 =
    /// unreachable).
    @usableFromInline let table: [Int32]
    @usableFromInline let predecessorBase: Int
    @usableFromInline let numberBase: Int

    /// The order of `graph`. Reads the graph once, into the edge table.
    @inlinable
    public init<G: ControlFlowGraph>(_ graph: G) {
        let n = graph.blockCount
        var table: [Int32] = []
        // Room for everything `init(blockCount:successorTable:)` adds when
        // blocks have at most two successors, so the table is allocated once.
        table.reserveCapacity(9 * n + 8)
        table.append(contentsOf: repeatElement(0, count: n + 1))
        for b in 0..<n {
            table[b] = Int32(truncatingIfNeeded: table.count)
            graph.forEachSuccessor(of: b) { s in
                if s >= 0 && s < n { table.append(Int32(truncatingIfNeeded: s)) }
            }
        }
        table[n] = Int32(truncatingIfNeeded: table.count)
        self.init(blockCount: n, successorTable: table)
    }

    /// The order of the graph whose successor starts (offsets) and in-range
    /// successors are `table` (the first part of the table described above).
    @usableFromInline
    init(blockCount n: Int, successorTable: [Int32]) {
        var table = successorTable
        let edges = table.count - (n + 1)
        let pb = table.count                // predecessor starts
        let nb = pb + (n + 1) + edges       // RPO numbers
        let stackBase = nb + n              // scratch for the search: (block, next edge) pairs
        let size = stackBase + 2 * n
        table.reserveCapacity(size)
        table.append(contentsOf: repeatElement(0, count: nb - pb))
        table.append(contentsOf: repeatElement(-1, count: size - nb))
        var rpo: [BlockID] = []
        rpo.reserveCapacity(n)
        table.withUnsafeMutableBufferPointer { t in
            // Predecessors: count per target, turn the counts into starts,
            // fill by bumping each start (which then holds the next block's
            // start), and shift the starts back.
            for e in (n + 1)..<(n + 1 + edges) { t[pb + Int(t[e])] += 1 }
            var at = Int32(truncatingIfNeeded: pb + n + 1)
            for b in 0..<n {
                let count = t[pb + b]
                t[pb + b] = at
                at += count
            }
            t[pb + n] = at
            for b in 0..<n {
                for e in Int(t[b])..<Int(t[b + 1]) {
                    let s = pb + Int(t[e])
                    t[Int(t[s])] = Int32(truncatingIfNeeded: b)
                    t[s] += 1
                }
            }
            var b = n - 1
            while b > 0 {
                t[pb + b] = t[pb + b - 1]
                b -= 1
            }
            if n > 0 { t[pb] = Int32(truncatingIfNeeded: pb + n + 1) }

            // Iterative depth-first search from block 0; an RPO number of -2
            // marks a block seen.
            guard n > 0 else { return }
            var sp = stackBase
            t[sp] = 0
            t[sp + 1] = t[0]
            sp += 2
            t[nb] = -2
            while sp > stackBase {
                let b = Int(t[sp - 2]), e = Int(t[sp - 1])
                if e < Int(t[b + 1]) {
                    t[sp - 1] = Int32(truncatingIfNeeded: e + 1)
                    let s = Int(t[e])
                    if t[nb + s] == -1 {
                        t[nb + s] = -2
                        t[sp] = Int32(truncatingIfNeeded: s)
                        t[sp + 1] = t[s]
                        sp += 2
                    }
                } else {
                    sp -= 2
                    rpo.append(BlockID(b))
                }
            }
            rpo.reverse()
            for i in 0..<rpo.count { t[nb + rpo[i].int] = Int32(truncatingIfNeeded: i) }
        }
        table.removeLast(2 * n)
        (reversePostorder, blockCount, self.table, predecessorBase, numberBase) = (rpo, n, table, pb, nb)
    }

    @inlinable
    public func isReachable(_ b: BlockID) -> Bool {
        b.int < blockCount && table[numberBase + b.int] >= 0
    }

    /// Position of `b` in `reversePostorder`, nil when unreachable.
    @inlinable
    public func rpoIndex(_ b: BlockID) -> Int? {
        guard b.int < blockCount else { return nil }
        let i = table[numberBase + b.int]
        return i >= 0 ? Int(i) : nil
    }

    /// Position of block `b` in `reversePostorder`, -1 when unreachable.
    @inlinable
    public func rpoNumber(_ b: Int) -> Int {
        precondition(UInt(bitPattern: b) < UInt(bitPattern: blockCount), "block out of range")
        return Int(table[numberBase + b])
    }

    /// Reachable blocks in postorder (successors before predecessors, back edges aside).
    public var postorder: ReversedCollection<[BlockID]> { reversePostorder.reversed() }

    // MARK: edges (block indices)

    @inlinable
    public func successorCount(of b: Int) -> Int {
        precondition(UInt(bitPattern: b) < UInt(bitPattern: blockCount), "block out of range")
        return Int(table[b + 1] - table[b])
    }

    /// Successor `k` of block `b`, in the graph's order.
    @inlinable
    public func successor(_ k: Int, of b: Int) -> Int {
        precondition(UInt(bitPattern: k) < UInt(bitPattern: successorCount(of: b)), "no such successor")
        return Int(table[Int(table[b]) + k])
    }

    /// The successors of block `b`, in the graph's order.
    @inlinable
    public func successors(of b: Int) -> ArraySlice<Int32> {
        precondition(UInt(bitPattern: b) < UInt(bitPattern: blockCount), "block out of range")
        return table[Int(table[b])..<Int(table[b + 1])]
    }

    @inlinable
    public func predecessorCount(of b: Int) -> Int {
        precondition(UInt(bitPattern: b) < UInt(bitPattern: blockCount), "block out of range")
        return Int(table[predecessorBase + b + 1] - table[predecessorBase + b])
    }

    /// Predecessor `k` of block `b`, in increasing block order.
    @inlinable
    public func predecessor(_ k: Int, of b: Int) -> Int {
        precondition(UInt(bitPattern: k) < UInt(bitPattern: predecessorCount(of: b)), "no such predecessor")
        return Int(table[Int(table[predecessorBase + b]) + k])
    }

    /// The predecessors of block `b`, once per edge, in increasing block order.
    @inlinable
    public func predecessors(of b: Int) -> ArraySlice<Int32> {
        precondition(UInt(bitPattern: b) < UInt(bitPattern: blockCount), "block out of range")
        return table[Int(table[predecessorBase + b])..<Int(table[predecessorBase + b + 1])]
    }

    /// The predecessor lists of all blocks, as arrays (see `predecessors(of:)`).
    /// Builds one array per block on every call: take it once, not in a loop.
    public var predecessors: [[BlockID]] {
        var preds = [[BlockID]](repeating: [], count: blockCount)
        for b in 0..<blockCount {
            for e in Int(table[b])..<Int(table[b + 1]) { preds[Int(table[e])].append(BlockID(b)) }
        }
        return preds
    }

    /// Whether some edge u -> v of a reachable u has v no later than u in
    /// reverse postorder: false means the graph (reachable part) is acyclic,
    /// so it has no loops.
    public var hasRetreatingEdge: Bool {
        table.withUnsafeBufferPointer { t in
            for i in 0..<reversePostorder.count {
                let u = reversePostorder[i].int
                for e in Int(t[u])..<Int(t[u + 1]) where t[numberBase + Int(t[e])] <= Int32(truncatingIfNeeded: i) {
                    return true
                }
            }
            return false
        }
    }
}

/// The distinct in-range successors of a terminator, in terminator order,
/// without allocating: at most two.
@inline(__always)
func successors(_ t: Terminator, blockCount n: Int) -> SuccessorPair {
    switch t {
    case .jmp(let a):
        return SuccessorPair(a.int < n ? a.int : -1, -1)
    case .jnz(_, let a, let b):
        let x = a.int < n ? a.int : -1
        let y = b.int < n && b != a ? b.int : -1
        return SuccessorPair(x, y)
    case .none, .ret, .hlt:
        return SuccessorPair(-1, -1)
    }
}

/// Up to two block indices, packed so the invalid ones come last.
struct SuccessorPair {
    let first: Int
    let second: Int
    let count: Int
    init(_ a: Int, _ b: Int) {
        if a < 0 { first = b; second = -1; count = b < 0 ? 0 : 1 }
        else { first = a; second = b; count = b < 0 ? 1 : 2 }
    }
    subscript(i: Int) -> Int { i == 0 ? first : second }
}
