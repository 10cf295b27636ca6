import KeelAnalysis
import KeelIR

// Loop preheaders: the one block through which every entry into a loop
// passes, where loop passes put what runs once before the loop.
//
// A loop's preheader is its header's only predecessor outside the loop,
// provided that block has no other successor (so whatever it computes runs
// exactly when the loop is entered, and it dominates every block of the
// loop). `preheader` finds it; `insertPreheader` makes one: a new block
// jumping to the header, which the outside predecessors jump to instead.
// The header's phis keep one argument for the new block; when the outside
// predecessors pass different values, a phi of the new block merges them.
//
// Expects: a function in SSA form and the `LoopNest` of its current CFG.
// Guarantees: the function stays verifier-clean and computes the same
// values; after `insertPreheader` the nest is stale (the new block belongs
// to the enclosing loops), so callers recompute it.
extension LoopNest {
    /// The preheader of loop `l` of `f`, if it has one; `preds` are `f`'s predecessors.
    func preheader(of l: Int, in f: Function, preds: [[BlockID]]) -> BlockID? {
        let header = loops[l].header
        var found: BlockID? = nil
        for p in preds[header.int] where !contains(loop: l, p) {
            if found != nil { return nil }
            found = p
        }
        guard let p = found, f.blocks[p.int].successors.count == 1 else { return nil }
        return p
    }
}

/// Inserts a preheader for loop `l` (which has none) and returns it.
func insertPreheader(_ f: inout Function, loop l: Int, of nest: LoopNest, preds: [[BlockID]]) -> BlockID {
    let header = nest.loops[l].header
    let outside = preds[header.int].filter { !nest.contains(loop: l, $0) }
    let ph = f.addBlock(label: f.blocks[header.int].label + ".ph")
    f.blocks[ph.int].terminator = .jmp(header)
    for p in outside {
        switch f.blocks[p.int].terminator {
        case .jmp: f.blocks[p.int].terminator = .jmp(ph)
        case .jnz(let c, let t, let e):
            f.blocks[p.int].terminator = .jnz(c, t == header ? ph : t, e == header ? ph : e)
        case .none, .ret, .hlt: break
        }
    }
    for k in f.blocks[header.int].phis.indices {
        let phi = f.blocks[header.int].phis[k]
        let entering = phi.incoming.filter { arg in outside.contains(arg.block) }
        var merged = entering.first?.value ?? .none
        if entering.contains(where: { $0.value != merged }) {
            let t = f.newTemp(name: f.temps[phi.result.int].name + ".ph", type: phi.type)
            f.blocks[ph.int].phis.append(Phi(result: t, type: phi.type, incoming: entering, position: phi.position))
            merged = .temp(t)
        }
        var incoming = phi.incoming.filter { arg in !outside.contains(arg.block) }
        if !entering.isEmpty { incoming.append(PhiArgument(block: ph, value: merged)) }
        f.blocks[header.int].phis[k].incoming = incoming
    }
    return ph
}

extension Function {
    /// False only when the CFG has no cycle: a cycle has an edge to a block
    /// whose index is not above its source's. Lets loop passes skip the
    /// dominator tree of loop-free functions in one scan of the terminators.
    var mayHaveLoops: Bool {
        blocks.indices.contains { b in
            switch blocks[b].terminator {
            case .jmp(let t): return t.int <= b
            case .jnz(_, let t, let e): return t.int <= b || e.int <= b
            case .none, .ret, .hlt: return false
            }
        }
    }
}
