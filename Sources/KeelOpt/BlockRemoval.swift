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
