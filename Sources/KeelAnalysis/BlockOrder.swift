import KeelIR

/// Reverse postorder (RPO) of a function's control-flow graph.
///
/// Expects: any `Function`; jump targets outside `blocks` are ignored (the
/// verifier reports them), so bad input never traps here.
/// Guarantees: `reversePostorder` lists every block reachable from
/// `Function.entry` exactly once, entry first, from an iterative depth-first
/// search that visits successors in terminator order (`jnz` true target
/// first). For every edge u -> v that is not a retreating edge of that search,
/// u comes before v. Unreachable blocks appear nowhere in the order.
///
/// `predecessors[b]` lists *all* predecessors of `b` — unreachable ones
/// included — once per distinct edge, in increasing block order (the same
/// lists as `Function.predecessors()`). Filter with `isReachable` when only
/// reachable predecessors matter.
public struct BlockOrder: Sendable {
    public let reversePostorder: [BlockID]
    public let predecessors: [[BlockID]]
    /// Position of each block in `reversePostorder`, -1 for unreachable blocks.
    private let index: [Int32]

    public init(_ f: Function) {
        let n = f.blocks.count
        var index = [Int32](repeating: -1, count: n)
        var preds = [[BlockID]](repeating: [], count: n)
        for b in 0..<n {
            forEachSuccessor(f.blocks[b].terminator, blockCount: n) { preds[$0.int].append(BlockID(b)) }
        }

        var postorder: [BlockID] = []
        postorder.reserveCapacity(n)
        if n > 0 {
            // Iterative DFS: (block, number of successors already pushed).
            // `index` doubles as the visited mark (-2 = on the stack or done).
            var stack: [(block: Int, next: Int)] = [(0, 0)]
            index[0] = -2
            while let top = stack.last {
                let succ = successors(f.blocks[top.block].terminator, blockCount: n)
                if top.next < succ.count {
                    stack[stack.count - 1].next += 1
                    let s = succ[top.next]
                    if index[s] == -1 {
                        index[s] = -2
                        stack.append((s, 0))
                    }
                } else {
                    stack.removeLast()
                    postorder.append(BlockID(top.block))
                }
            }
        }
        let rpo = Array(postorder.reversed())
        for (i, b) in rpo.enumerated() { index[b.int] = Int32(i) }
        self.reversePostorder = rpo
        self.predecessors = preds
        self.index = index
    }

    /// Number of blocks of the function (reachable or not).
    public var blockCount: Int { index.count }

    public func isReachable(_ b: BlockID) -> Bool {
        b.int < index.count && index[b.int] >= 0
    }

    /// Position of `b` in `reversePostorder`, nil when unreachable.
    public func rpoIndex(_ b: BlockID) -> Int? {
        guard b.int < index.count, index[b.int] >= 0 else { return nil }
        return Int(index[b.int])
    }

    /// Reachable blocks in postorder (successors before predecessors, back edges aside).
    public var postorder: ReversedCollection<[BlockID]> { reversePostorder.reversed() }
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

@inline(__always)
func forEachSuccessor(_ t: Terminator, blockCount n: Int, _ body: (BlockID) -> Void) {
    let s = successors(t, blockCount: n)
    for i in 0..<s.count { body(BlockID(s[i])) }
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
