// ControlFlowGraph: what the block-order, dominance and loop analyses need
// to know of a function — how many blocks, and each block's successors — so
// that the same `BlockOrder`, `DominatorTree`, `LoopNest` and
// `DominanceFrontiers` serve the IR (`Function`, below) and the machine
// layer (KeelCodegen's `MachineFunction`).
//
// Expects of a conforming type: blocks are numbered `0..<blockCount`, block
// 0 is the entry; `forEachSuccessor` reports the successors of a block in
// branch order (the order the depth-first search follows), once per edge.
// It need not filter: the analyses ignore successors outside
// `0..<blockCount`. Predecessors are derived from successors, never asked
// for, so they cannot disagree.
//
// Only `BlockOrder.init` reads the graph (its generic part is `@inlinable`,
// specialized for each conforming type at the call site; no existentials);
// it keeps the edges in one flat table, from which the other analyses work.
import KeelIR

public protocol ControlFlowGraph {
    /// Number of blocks; block 0 is the entry.
    var blockCount: Int { get }
    /// Calls `body` with each successor of `block`, in branch order, once per edge.
    func forEachSuccessor(of block: Int, _ body: (Int) -> Void)
}

extension Function: ControlFlowGraph {
    @inlinable
    public var blockCount: Int { blocks.count }

    /// The distinct jump targets of the block's terminator (`jnz`: true
    /// target first; `jnz` to one block twice is one edge).
    @inlinable
    public func forEachSuccessor(of block: Int, _ body: (Int) -> Void) {
        switch blocks[block].terminator {
        case .jmp(let a):
            body(a.int)
        case .jnz(_, let a, let b):
            body(a.int)
            if b != a { body(b.int) }
        case .none, .ret, .hlt:
            break
        }
    }
}
