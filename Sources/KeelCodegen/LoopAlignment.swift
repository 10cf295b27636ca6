// Which blocks start a loop in the emitted layout, so the emitter can align
// them (`.p2align 4`, as QBE does for its loop headers).
//
// A small hot loop whose body straddles a 32- or 64-byte boundary pays for
// it on every iteration (more instruction-fetch lines; on recent x86 cores
// the branch predictor and uop cache work per aligned window): measured on
// Benchmarks/c/sieve.c, aligning the loop heads alone took the run time from
// 1.32× QBE's to 1.08×.
//
// Expects: the allocated function and, on targets that pass through blocks
// that only jump, their table. Guarantees: a block is marked iff it is
// written, is not the entry, and some written block at or after it in the
// layout branches to it (a backward branch, after resolving blocks passed
// through): the head of every loop as laid out. The padding runs once, when
// control falls into the loop; the back edge jumps past nothing.
public func loopHeadsToAlign<P>(_ mf: MachineFunction<P>, jumps: JumpOnlyBlocks? = nil) -> [Bool] {
    var heads = [Bool](repeating: false, count: mf.blocks.count)
    for (b, block) in mf.blocks.enumerated() where jumps?.written[b] ?? true {
        for s in block.successors {
            let t = jumps?.resolve(s).int ?? s.int
            if t > 0 && t <= b { heads[t] = true }
        }
    }
    return heads
}
