import KeelIR

// Deleting blocks: the one place that renumbers a function's blocks, for the
// passes that find blocks dead (SCCP, CFG simplification).
//
// Expects: `keep[b]` for every block, the entry kept; no kept block jumps to
// a deleted one.
// Guarantees: the deleted blocks are gone, the kept ones keep their order
// and are renumbered densely; every terminator and phi names the new
// numbers, and phi arguments coming from deleted blocks are dropped (those
// edges no longer exist). Linear in the function.
func removeBlocks(_ f: inout Function, keeping keep: [Bool]) {
    precondition(keep.count == f.blocks.count && keep[Function.entry.int], "the entry block is always kept")
    var newIndex = [Int32](repeating: -1, count: keep.count)
    var next: Int32 = 0
    for b in keep.indices where keep[b] {
        newIndex[b] = next
        next += 1
    }
    guard Int(next) < keep.count else { return }
    func renamed(_ b: BlockID) -> BlockID {
        let n = newIndex[b.int]
        precondition(n >= 0, "a kept block jumps to a deleted one")
        return BlockID(Int(n))
    }
    var blocks: [Block] = []
    blocks.reserveCapacity(Int(next))
    for b in f.blocks.indices where keep[b] {
        var block = f.blocks[b]
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

/// Puts the blocks of `f` in `order` (every block once, the entry first) and
/// renumbers every terminator and phi accordingly; the block order is the
/// code layout, so a pass that adds a block places it here (a loop's new
/// preheader right before its header). Linear in the function.
func reorderBlocks(_ f: inout Function, _ order: [BlockID]) {
    precondition(order.count == f.blocks.count && order.first == Function.entry, "a permutation keeping the entry")
    var newIndex = [BlockID](repeating: Function.entry, count: order.count)
    for (i, b) in order.enumerated() { newIndex[b.int] = BlockID(i) }
    f.blocks = order.map { b in
        var block = f.blocks[b.int]
        switch block.terminator {
        case .jmp(let t): block.terminator = .jmp(newIndex[t.int])
        case .jnz(let c, let t, let e): block.terminator = .jnz(c, newIndex[t.int], newIndex[e.int])
        case .none, .ret, .hlt: break
        }
        for p in block.phis.indices {
            for a in block.phis[p].incoming.indices {
                block.phis[p].incoming[a].block = newIndex[block.phis[p].incoming[a].block.int]
            }
        }
        return block
    }
}
