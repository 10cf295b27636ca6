import KeelCodegen

// Shrink-wrapping of the one common case: a function that first tests its
// arguments and returns at once on one side (`if (m == 0) return n + 1;`,
// a recursion's base case) saves its callee-saved registers only on the
// other side, so the early return neither saves nor restores them.
//
// Shape, on the allocated machine code: the synthetic entry jumps to a
// block B that only it reaches, B ends in a two-way branch, one successor X
// ends in `ret` and only B reaches it, the other Y only B reaches and is
// written (not passed through as a lone jump). No operand, block parameter,
// clobber or inserted move in the entry, B or X names a callee-saved
// register, so they hold the caller's values on that path. The saves are
// written at the top of Y, before its moves; every other return still
// restores them, and Y runs once per call (its one predecessor runs once).
extension X64Emitter {
    /// The early-exit block whose `ret` restores nothing, and the block whose
    /// top saves the callee-saved registers instead of the prologue.
    static func earlyExit(_ fn: X64Function, _ alloc: AllocationResult, _ frame: X64Frame,
                          _ jumps: JumpOnlyBlocks) -> (exit: Int, saveAt: Int)? {
        let mf = fn.machine
        guard !frame.saved.isEmpty, fn.variadicSaveSlot == nil, mf.blocks.count > 2,
              mf.blocks[0].successors.count == 1 else { return nil }
        let b = mf.blocks[0].successors[0].int
        guard b != 0, mf.blocks[b].predecessors == [MBlock(0)], mf.blocks[b].successors.count == 2 else { return nil }
        let s = mf.blocks[b].successors.map(\.int)
        guard s[0] != s[1] else { return nil }
        let saved = X64Reg.calleeSaved
        func clean(_ k: Int) -> Bool {
            let block = mf.blocks[k]
            for l in alloc.blockParamLocations[k] { if case .reg(let r) = l, saved.contains(r) { return false } }
            for i in block.instructions {
                let ins = mf.instructions[i]
                if saved.contains(where: { ins.clobbers.contains($0) }) { return false }
                for o in ins.operandRange {
                    if case .reg(let r) = alloc.operandLocations[o], saved.contains(r) { return false }
                }
            }
            return true
        }
        func returns(_ k: Int) -> Bool {
            guard let last = mf.blocks[k].instructions.last, case .ret = mf.instructions[last].payload else { return false }
            return mf.blocks[k].predecessors == [MBlock(b)]
        }
        for (x, y) in [(s[0], s[1]), (s[1], s[0])] where returns(x) {
            guard mf.blocks[y].predecessors == [MBlock(b)], jumps.written[y], clean(0), clean(b), clean(x) else { continue }
            // Moves inserted in these blocks (at any of their instructions).
            let blocks = [0, b, x]
            let touches = alloc.edits.contains { e in
                let i = e.point.inst.int
                guard blocks.contains(where: { mf.blocks[$0].instructions.contains(i) }) else { return false }
                for l in [e.from, e.to] { if case .reg(let r) = l, saved.contains(r) { return true } }
                return false
            }
            if !touches { return (x, y) }
        }
        return nil
    }
}
