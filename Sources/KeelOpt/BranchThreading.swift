import KeelIR

// Threading branches on a merged comparison: a block that only merges a
// condition and branches on it is skipped by the predecessors that computed
// the condition themselves.
//
//   @p  %c =w ceql %x, 1        @p  %c =w ceql %x, 1
//       jmp @b                      jnz %c, @t, @f
//   @b  %m =w phi @p %c, ...
//       jnz %m, @t, @f
//
// Front ends write this shape for every test with a fast and a slow path
// (KeelLisp's `(zero? n)`: an inline compare on fixnums, a runtime call
// otherwise, merged). Threaded, the fast path's comparison feeds the branch
// directly, which instruction selection fuses into one compare-and-jump,
// instead of materializing 0 or 1, merging it and testing it again.
//
// Expects: a verified function in SSA form.
// Guarantees: the function stays verifier-clean and takes the same paths. A
// block B (not the entry) with one phi, no instructions and `jnz` on that
// phi to two targets other than B, the phi used by nothing else, is bypassed
// by each predecessor P that ends in `jmp @B` and passes a comparison P
// computes or an integer constant: P ends in B's `jnz` on that value, and
// the targets' phis take from P what they took from B (defined in a block
// dominating B, hence P). B loses P from its phi; a B left without
// predecessors is unreachable, for the caller to delete. The new edges are
// critical: the backend's edge blocks carry what copies they need and are
// passed through when empty (KeelCodegen's JumpOnlyBlocks).
//
// Algorithm: one count of the uses of every temporary, then one sweep over
// the blocks. Linear in the function apart from phi lookups.
func threadBranchesOnMergedConditions(_ f: inout Function) {
    var candidates: [Int] = []
    for b in f.blocks.indices where b != Function.entry.int {
        let block = f.blocks[b]
        guard block.phis.count == 1, block.instructions.isEmpty,
              case .jnz(let c, let yes, let no) = block.terminator, c == .temp(block.phis[0].result),
              yes != no, yes.int != b, no.int != b else { continue }
        candidates.append(b)
    }
    guard !candidates.isEmpty else { return }
    var uses = [Int32](repeating: 0, count: f.temps.count)
    var definingBlock = [Int32](repeating: -1, count: f.temps.count)
    var isComparison = [Bool](repeating: false, count: f.temps.count)
    for (b, block) in f.blocks.enumerated() {
        for phi in block.phis {
            for a in phi.incoming { if let t = a.value.temp { uses[t.int] += 1 } }
        }
        for ins in block.instructions {
            f.forEachUse(of: ins) { uses[$0.int] += 1 }
            if let t = ins.result.temp {
                definingBlock[t.int] = Int32(b)
                isComparison[t.int] = ins.op.isComparison
            }
        }
        f.forEachUse(of: block.terminator) { uses[$0.int] += 1 }
    }
    for b in candidates {
        let phi = f.blocks[b].phis[0]
        guard uses[phi.result.int] == 1, case .jnz(_, let yes, let no) = f.blocks[b].terminator else { continue }
        let from = BlockID(b)
        for arg in phi.incoming {
            let p = arg.block
            guard p != from, case .jmp(from) = f.blocks[p.int].terminator else { continue }
            if let t = arg.value.temp {
                guard definingBlock[t.int] == Int32(p.int), isComparison[t.int] else { continue }
            } else if case .integer? = f.constant(arg.value) {
            } else { continue }
            f.blocks[p.int].terminator = .jnz(arg.value, yes, no)
            for target in [yes, no] {
                for k in f.blocks[target.int].phis.indices {
                    let v = f.blocks[target.int].phis[k].value(from: from) ?? .none
                    f.blocks[target.int].phis[k].incoming.append(PhiArgument(block: p, value: v))
                }
            }
            f.blocks[b].phis[0].incoming.removeAll { $0.block == p }
        }
    }
}
