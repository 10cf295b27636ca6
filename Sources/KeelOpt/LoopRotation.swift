import KeelAnalysis
import KeelIR

// Loop rotation by layout: a loop whose header tests and exits (`for` and
// `while` loops as front ends write them) gets its header placed after its
// body, so each iteration ends in one conditional branch back to the top
// instead of a jump to the test followed by the test's branch.
//
// The block order of a function is its code layout (the targets lay blocks
// out in order and fall through where they can). Before, a loop reads
//     H: test; branch to X when done    B: body ...    L: jump to H
// and after
//     B: body ...    L: (falls through)    H: test; branch to B unless done
// with the block that entered H now jumping to it once per entry.
//
// Expects: a verified function in SSA form.
// Guarantees: only the order of blocks changes (the entry stays first), so
// the function computes the same values and stays verifier-clean.
//
// Algorithm: natural loops from `LoopNest`, innermost first, over a linked
// list of the layout. A loop is rotated when its header is not the entry,
// ends in a `jnz` with one target inside the loop and one outside, no other
// block of the loop leaves it (a loop with another exit, a search, often
// leaves before its first back edge, and then the jump into the rotated test
// costs more than the branch it saves: measured on words' substring
// search), its blocks are contiguous in the layout starting at the header, and the last
// of them jumps back to the header unconditionally; the header then moves
// after that block. Inner loops stay contiguous inside the outer ones, so
// the outer loop can be rotated after them. Linear in the total size of
// the loops.
public func rotateLoops(_ f: inout Function) {
    let count = f.blocks.count
    guard count > 2, f.mayHaveLoops else { return }
    let nest = LoopNest(DominatorTree(f))
    guard !nest.loops.isEmpty else { return }
    // The layout as a doubly linked list (-1 ends it).
    var next = (0..<count).map { $0 + 1 < count ? $0 + 1 : -1 }
    var prev = (0..<count).map { $0 - 1 }
    var moved = false
    // Whether block `b` of loop `l` returns or branches out of it.
    func leaves(_ l: Int, _ b: BlockID) -> Bool {
        switch f.blocks[b.int].terminator {
        case .ret, .hlt, .none: return true
        case .jmp(let t): return !nest.contains(loop: l, t)
        case .jnz(_, let t, let e): return !nest.contains(loop: l, t) || !nest.contains(loop: l, e)
        }
    }
    for l in nest.loops.indices.reversed() {
        let h = nest.loops[l].header
        guard h != Function.entry, case .jnz(_, let t, let e) = f.blocks[h.int].terminator,
              nest.contains(loop: l, t) != nest.contains(loop: l, e) else { continue }
        var last = h.int, seen = 1
        while next[last] >= 0 && nest.contains(loop: l, BlockID(next[last])) {
            last = next[last]
            seen += 1
        }
        guard seen == nest.loops[l].blocks.count, last != h.int,
              case .jmp(let back) = f.blocks[last].terminator, back == h,
              !nest.loops[l].blocks.contains(where: { b in b != h && leaves(l, b) }) else { continue }
        // Unlink the header, then insert it after `last`.
        next[prev[h.int]] = next[h.int]
        prev[next[h.int]] = prev[h.int]
        next[h.int] = next[last]
        if next[last] >= 0 { prev[next[last]] = h.int }
        next[last] = h.int
        prev[h.int] = last
        moved = true
    }
    guard moved else { return }
    var order: [BlockID] = []
    order.reserveCapacity(count)
    var b = 0
    while b >= 0 {
        order.append(BlockID(b))
        b = next[b]
    }
    f.reorderBlocks(order)
}

/// `rotateLoops` on every function of `m`.
public func rotateLoops(_ m: inout Module) {
    for i in m.functions.indices { rotateLoops(&m.functions[i]) }
}
