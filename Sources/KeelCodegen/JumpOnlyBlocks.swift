// Blocks that do nothing but jump, passed through at emission.
//
// Splitting critical edges gives every conditional edge into a join a block
// of its own, for the allocator's edge copies. Where the allocator put no
// copy there, the block is a lone `jmp`: a branch to it takes two jumps where
// one would do. The emitter asks this table where a branch really goes and
// which block follows in the output, and does not write those blocks at all.
//
// Expects: the allocated function (its edits sorted or not). Guarantees: a
// block is passed through only if it is not the entry, holds one
// instruction, a terminator with one successor (a jump), and no edit of the
// allocator is placed at that instruction; chains are followed to their end;
// a cycle of such blocks (an empty infinite loop) is kept as it is.
public struct JumpOnlyBlocks: Sendable {
    /// Where a branch to each block goes: the block itself unless it is passed through.
    public let destination: [MBlock]
    /// Whether each block is written (false for blocks passed through).
    public let written: [Bool]
    /// The next written block after each block, nil after the last.
    private let nextWritten: [Int32]

    public init<P>(_ mf: MachineFunction<P>, edits: [Edit]) {
        let n = mf.blocks.count
        var withEdits = Set<Int>()
        for e in edits { withEdits.insert(e.point.inst.int) }
        var jumpsTo = [Int](repeating: -1, count: n)
        for (b, block) in mf.blocks.enumerated() where b > 0 && block.instructions.count == 1 {
            let i = block.instructions.lowerBound
            if mf.instructions[i].isTerminator, block.successors.count == 1, !withEdits.contains(i) {
                jumpsTo[b] = block.successors[0].int
            }
        }
        var destination = (0..<n).map { MBlock($0) }
        var written = [Bool](repeating: true, count: n)
        for b in 0..<n where jumpsTo[b] >= 0 {
            var d = b, steps = 0
            while jumpsTo[d] >= 0, steps <= n { d = jumpsTo[d]; steps += 1 }
            if jumpsTo[d] < 0 {
                destination[b] = MBlock(d)
                written[b] = false
            }
        }
        var next = [Int32](repeating: -1, count: n)
        var following: Int32 = -1
        for b in stride(from: n - 1, through: 0, by: -1) {
            next[b] = following
            if written[b] { following = Int32(b) }
        }
        self.destination = destination
        self.written = written
        nextWritten = next
    }

    /// Where a branch to `b` goes.
    @inline(__always) public func resolve(_ b: MBlock) -> MBlock { destination[b.int] }

    /// Whether control falls from `block` into `target` without a jump:
    /// `target` (resolved) is the next block written after `block`.
    @inline(__always) public func fallsThrough(from block: Int, to target: MBlock) -> Bool {
        Int(nextWritten[block]) == destination[target.int].int
    }
}
