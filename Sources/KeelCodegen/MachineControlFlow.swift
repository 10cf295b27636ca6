// The machine layer's control-flow graph as KeelAnalysis sees it, so that
// the machine passes use the shared `BlockOrder`, `DominatorTree` and
// `LoopNest` instead of searches of their own.
//
// Expects: blocks as in MachineFunction.swift (block 0 the entry, successor
// lists per block). Guarantees: successors are reported as listed in
// `MachineBlock.successors`, one edge each, in that order (the order every
// depth-first search of the machine layer has always used); the analyses
// drop out-of-range ones themselves. The `predecessors` field of a block is
// never read (the analyses derive predecessors), so a stale one is harmless.
import KeelAnalysis
import KeelIR

extension MachineFunction: ControlFlowGraph {
    @inlinable
    public var blockCount: Int { blocks.count }

    @inlinable
    public func forEachSuccessor(of block: Int, _ body: (Int) -> Void) {
        // By index: iterating the array itself would retain it.
        for k in 0..<blocks[block].successors.count { body(blocks[block].successors[k].int) }
    }
}

/// The graph of a list of machine blocks, for passes that hold the blocks
/// rather than the function (the allocation checker).
struct MachineBlockGraph: ControlFlowGraph {
    let blocks: [MachineBlock]

    var blockCount: Int { blocks.count }

    @inline(__always)
    func forEachSuccessor(of block: Int, _ body: (Int) -> Void) {
        for k in 0..<blocks[block].successors.count { body(blocks[block].successors[k].int) }
    }
}

/// The loops of `order`'s graph, nil when it has none (an acyclic graph
/// skips the dominator tree altogether).
@usableFromInline
func loopNest(_ order: BlockOrder) -> LoopNest? {
    order.hasRetreatingEdge ? LoopNest(DominatorTree(order: order)) : nil
}

/// The loop depth of every block of `order`'s graph (0 outside loops, 1 in
/// an outermost loop, …; 0 for unreachable blocks), from `LoopNest`.
func loopDepths(_ order: BlockOrder) -> [Int32] {
    let n = order.blockCount
    guard let loops = loopNest(order) else { return [Int32](repeating: 0, count: n) }
    return (0..<n).map { Int32(loops.depth(BlockID($0))) }
}
