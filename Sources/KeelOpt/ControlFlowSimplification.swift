import KeelAnalysis
import KeelIR

// CFG simplification: fewer blocks and branches for the same paths.
//
// Expects: a verified function in SSA form.
// Guarantees: the function stays verifier-clean and computes the same
// effects, along the same paths minus blocks that did nothing:
// 0. a block that only merges a comparison and branches on it is skipped by
//    the predecessors that computed it (BranchThreading.swift);
// 1. `jnz c, @a, @a` and `jnz` on an integer constant become `jmp` (the
//    target not taken loses this block from its phis);
// 2. blocks no path from the entry reaches are deleted;
// 3. an empty block E (no phis, no instructions, `jmp @t`, not the entry,
//    t neither E nor the entry) is bypassed: each predecessor P jumps to t
//    directly, t's phis take from P the value they took from E. If P
//    already jumps to t as well, that is done only when every phi of t
//    takes the same value from P and from E (then P's `jnz` to t twice
//    becomes a `jmp`); otherwise P keeps its edge to E. A P ending in
//    `jnz` is retargeted only then, or when E is t's only predecessor and
//    P is E's: never to make a critical edge, which the backend would split
//    with a jump-only block of its own (in a worse place: right after the
//    branch, where a loop's exit edge then costs its body a taken jump).
//    E is deleted once no predecessor is left. A value reaching E's end is defined in a block
//    that dominates E, hence every predecessor of E: it reaches P's end too.
// 4. a block B whose only predecessor A ends in `jmp @B` is appended to A
//    (B not the entry): B's phis, each with one argument, become `copy`s of
//    it in their class at the head of B's code (for copy propagation to
//    remove), and B's successors take their phi arguments from A.
//
// Algorithm: the steps above in that order, each one sweep over the blocks
// with predecessor lists kept up to date, and one renumbering at the end
// (BlockRenumbering.swift). Linear in the function apart from phi lookups in
// the blocks whose edges are retargeted.
public func simplifyControlFlow(_ f: inout Function) {
    guard f.blocks.count > 1 else { return }
    threadBranchesOnMergedConditions(&f)
    foldBranches(&f)
    let order = BlockOrder(f)
    if order.reversePostorder.count < f.blocks.count {
        removeBlocks(&f, keeping: f.blocks.indices.map { order.isReachable(BlockID($0)) })
    }
    var keep = [Bool](repeating: true, count: f.blocks.count)
    bypassEmptyBlocks(&f, &keep)
    mergeStraightLines(&f, &keep)
    removeBlocks(&f, keeping: keep)
}

/// `simplifyControlFlow` on every function of `m`.
public func simplifyControlFlow(_ m: inout Module) {
    for i in m.functions.indices { simplifyControlFlow(&m.functions[i]) }
}

/// Step 1: branches with one possible target become jumps.
private func foldBranches(_ f: inout Function) {
    for b in f.blocks.indices {
        guard case .jnz(let c, let yes, let no) = f.blocks[b].terminator else { continue }
        if yes == no {
            f.blocks[b].terminator = .jmp(yes)
        } else if case .integer(let k)? = f.constant(c) {
            let (taken, dropped) = UInt32(truncatingIfNeeded: k) != 0 ? (yes, no) : (no, yes)
            f.blocks[b].terminator = .jmp(taken)
            for p in f.blocks[dropped.int].phis.indices {
                f.blocks[dropped.int].phis[p].incoming.removeAll { $0.block.int == b }
            }
        }
    }
}

/// `t` with every target `from` replaced by `to`; a `jnz` left with one target is a `jmp`.
private func retarget(_ t: Terminator, from: BlockID, to: BlockID) -> Terminator {
    switch t {
    case .jmp(let a): return .jmp(a == from ? to : a)
    case .jnz(let c, let a, let b):
        let x = a == from ? to : a, y = b == from ? to : b
        return x == y ? .jmp(x) : .jnz(c, x, y)
    case .none, .ret, .hlt: return t
    }
}

/// Step 3 (see the contract).
private func bypassEmptyBlocks(_ f: inout Function, _ keep: inout [Bool]) {
    var preds = f.predecessors()
    for e in f.blocks.indices where e != Function.entry.int {
        let block = f.blocks[e]
        guard block.phis.isEmpty, block.instructions.isEmpty, case .jmp(let target) = block.terminator,
              target.int != e, target != Function.entry else { continue }
        let t = target.int
        let eID = BlockID(e)
        for p in preds[e] {
            let alsoT = f.blocks[p.int].successors.contains(target)
            // No new critical edge: the backend would split it again with a
            // jump-only block of its own, placed worse than E (after the
            // branch, in the hot path of a loop).
            if case .jnz = f.blocks[p.int].terminator, !alsoT, !(preds[t] == [eID] && preds[e].count == 1) { continue }
            if alsoT {
                let same = f.blocks[t].phis.allSatisfy { $0.value(from: p) == $0.value(from: eID) }
                guard same else { continue }
            } else {
                for k in f.blocks[t].phis.indices {
                    let v = f.blocks[t].phis[k].value(from: eID) ?? .none
                    f.blocks[t].phis[k].incoming.append(PhiArgument(block: p, value: v))
                }
                preds[t].append(p)
            }
            f.blocks[p.int].terminator = retarget(f.blocks[p.int].terminator, from: eID, to: target)
            preds[e].removeAll { $0 == p }
        }
        if preds[e].isEmpty {
            keep[e] = false
            preds[t].removeAll { $0 == eID }
            for k in f.blocks[t].phis.indices { f.blocks[t].phis[k].incoming.removeAll { $0.block == eID } }
            f.blocks[e].terminator = .hlt  // no longer an edge into t
        }
    }
}

/// Step 4 (see the contract).
private func mergeStraightLines(_ f: inout Function, _ keep: inout [Bool]) {
    var predCount = [Int](repeating: 0, count: f.blocks.count)
    for b in f.blocks.indices where keep[b] {
        for s in f.blocks[b].successors { predCount[s.int] += 1 }
    }
    for a in f.blocks.indices where keep[a] {
        while case .jmp(let next) = f.blocks[a].terminator, next.int != a, next != Function.entry,
              keep[next.int], predCount[next.int] == 1 {
            let b = next.int
            var merged = f.blocks[b].phis.map { phi in
                Instruction(op: .copy, type: phi.type, result: .temp(phi.result),
                            a: phi.incoming.first?.value ?? .none, position: phi.position)
            }
            merged.append(contentsOf: f.blocks[b].instructions)
            f.blocks[a].instructions.append(contentsOf: merged)
            f.blocks[a].terminator = f.blocks[b].terminator
            f.blocks[a].terminatorPosition = f.blocks[b].terminatorPosition
            for s in f.blocks[b].successors {
                for k in f.blocks[s.int].phis.indices {
                    for j in f.blocks[s.int].phis[k].incoming.indices where f.blocks[s.int].phis[k].incoming[j].block.int == b {
                        f.blocks[s.int].phis[k].incoming[j].block = BlockID(a)
                    }
                }
            }
            f.blocks[b] = Block(label: f.blocks[b].label)
            f.blocks[b].terminator = .hlt
            keep[b] = false
        }
    }
}
