// Block order is the code layout: the backends write blocks in the order of
// `Function.blocks`. Passes that delete or place blocks, and front ends that
// move rarely taken paths out of the way (`FunctionBuilder.markCold`),
// renumber through this one function.

extension Function {
    /// Lays the blocks out in `order`, which starts with the entry; blocks
    /// left out are deleted.
    ///
    /// Expects: no kept block jumps to a deleted one.
    /// Guarantees: every terminator and phi names the new numbers; phi
    /// arguments coming from deleted blocks are dropped (those edges no
    /// longer exist). Linear in the function.
    public mutating func reorderBlocks(_ order: [BlockID]) {
        precondition(order.first == Function.entry, "the entry block stays first")
        var newIndex = [Int32](repeating: -1, count: blocks.count)
        for (i, b) in order.enumerated() { newIndex[b.int] = Int32(i) }
        func renamed(_ b: BlockID) -> BlockID {
            let n = newIndex[b.int]
            precondition(n >= 0, "a kept block jumps to a deleted one")
            return BlockID(Int(n))
        }
        var laidOut: [Block] = []
        laidOut.reserveCapacity(order.count)
        for b in order {
            var block = blocks[b.int]
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
            laidOut.append(block)
        }
        blocks = laidOut
    }
}
