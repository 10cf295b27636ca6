import KeelIR

// Renumbering blocks: the one place that does it, for the passes that find
// blocks dead (SCCP, CFG simplification) and for those that add blocks and
// place them, since block order is the code layout: inlining lays the copied
// blocks out after their call, LICM a loop's new preheader right before its
// header.

/// Deletes the blocks not in `keep`.
///
/// Expects: `keep[b]` for every block, the entry kept; no kept block jumps to
/// a deleted one.
/// Guarantees: the deleted blocks are gone, the kept ones keep their order
/// and are renumbered densely; phi arguments coming from deleted blocks are
/// dropped (those edges no longer exist). Linear in the function.
func removeBlocks(_ f: inout Function, keeping keep: [Bool]) {
    precondition(keep.count == f.blocks.count && keep[Function.entry.int], "the entry block is always kept")
    let kept = keep.indices.filter { keep[$0] }
    guard kept.count < keep.count else { return }
    reorderBlocks(&f, kept.map(BlockID.init))
}

/// Lays the blocks out in `order`, which starts with the entry; blocks left
/// out are deleted as `removeBlocks` does. Every terminator and phi names the
/// new numbers.
func reorderBlocks(_ f: inout Function, _ order: [BlockID]) {
    precondition(order.first == Function.entry, "the entry block stays first")
    var newIndex = [Int32](repeating: -1, count: f.blocks.count)
    for (i, b) in order.enumerated() { newIndex[b.int] = Int32(i) }
    func renamed(_ b: BlockID) -> BlockID {
        let n = newIndex[b.int]
        precondition(n >= 0, "a kept block jumps to a deleted one")
        return BlockID(Int(n))
    }
    var blocks: [Block] = []
    blocks.reserveCapacity(order.count)
    for b in order {
        var block = f.blocks[b.int]
        switch block.terminator {
        case .jmp(let t): block.terminator = .jmp(renamed(t))
        case .jnz(let c, let t, let e): block.terminator = .jnz(c, renamed(t), renamed(e))
        case .none, .ret, .hlt: break
        }
        for p in block.phis.indices {
            block.phis[p].incoming.removeAll { newIndex[$0.block.int] < 0 }
            for a in block.phis[p].incoming.indices {
                block.phis[p].incoming[a].block = BlockID(Int(newIndex[block.phis[p].incoming[a].block.int]))
            }
        }
        blocks.append(block)
    }
    f.blocks = blocks
}
