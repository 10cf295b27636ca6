import KeelAnalysis
import KeelIR

// Copy propagation: every use of a pure copy reads the copied value
// instead, and the copy goes; so does every phi whose arguments are all one
// value.
//
// Expects: a verified function in SSA form.
// Guarantees: the function stays verifier-clean and computes the same
// values. `%x =C copy %y` is a pure copy, and is removed with its uses
// reading %y, only when %y has class C itself: a word copy of a long
// truncates, and a long copy of a reference (class r) makes a plain
// integer that the collector does not track, so neither is pure. A copy of
// a constant is removed when the constant is one a temporary of class C may
// be replaced by (integers for w, zero-extended from the low 32 bits the
// copy keeps; integers and direct symbols for l; `s_` for s, `d_` for d).
// A phi whose arguments are all one value v, or the phi itself, is removed
// the same way under the same class rule (v dominates the phi's block: it
// reaches every predecessor's end, and a reachable block has a predecessor
// it does not dominate). Copies and phis of unreachable blocks are left to
// the passes that delete those blocks.
//
// Algorithm: a table from each removed temporary to its replacement,
// filled in reverse postorder with phis revisited until none changes (a
// phi may become trivial once another is removed), then one rewrite of
// every operand, following chains to their end. Replacements always point
// to a dominating definition, so chains cannot cycle.
public func propagateCopies(_ f: inout Function) {
    let n = f.temps.count
    guard n > 0, !f.blocks.isEmpty else { return }
    let classOf = f.temporaryClasses()
    var copies = 0
    for block in f.blocks {
        copies += block.phis.count { $0.result.int < n } + block.instructions.count { $0.op == .copy }
    }
    guard copies > 0 else { return }

    var pool = ConstantPool()
    var replacement = [Ref](repeating: .none, count: n)
    func resolve(_ r: Ref) -> Ref {
        var end = r
        while let t = end.temp, t.int < n, !replacement[t.int].isNone { end = replacement[t.int] }
        var cur = r
        while let t = cur.temp, t.int < n, !replacement[t.int].isNone {
            cur = replacement[t.int]
            replacement[t.int] = end
        }
        return end
    }
    /// What a temporary of class `type` holding `v` may be replaced by, if anything.
    func substitute(_ v: Ref, _ type: BaseType, _ f: inout Function, truncating: Bool) -> Ref? {
        if let t = v.temp { return t.int < n && classOf[t.int] == type ? v : nil }
        guard let c = f.constant(v) else { return nil }
        switch (type, c) {
        case (.w, .integer(let k)):
            return truncating ? pool.ref(integer(UInt64(bitPattern: k), .w), in: &f) : v
        case (.l, .integer), (.s, .single), (.d, .double): return v
        case (.l, .symbol(_, _, let access)) where access == .direct: return v
        default: return nil
        }
    }

    let order = BlockOrder(f)
    var any = false
    for b in order.reversePostorder {
        for ins in f.blocks[b.int].instructions where ins.op == .copy {
            guard let t = ins.result.temp, t.int < n,
                  let s = substitute(resolve(ins.a), ins.type, &f, truncating: true) else { continue }
            replacement[t.int] = s
            any = true
        }
    }
    var changed = true
    while changed {
        changed = false
        for b in order.reversePostorder where b != Function.entry {
            for phi in f.blocks[b.int].phis where replacement[phi.result.int].isNone {
                let me = Ref.temp(phi.result)
                var only = Ref.none
                var trivial = true
                for arg in phi.incoming {
                    let v = resolve(arg.value)
                    if v == me || v == only { continue }
                    if !only.isNone { trivial = false; break }
                    only = v
                }
                // A phi whose arguments are all itself has no value at all; leave it.
                guard trivial, !only.isNone, let s = substitute(only, phi.type, &f, truncating: false) else { continue }
                replacement[phi.result.int] = s
                changed = true
                any = true
            }
        }
    }
    guard any else { return }

    @inline(__always) func isReplaced(_ r: Ref) -> Bool {
        guard let t = r.temp, t.int < n else { return false }
        return !replacement[t.int].isNone
    }
    for b in f.blocks.indices {
        f.blocks[b].phis.removeAll { order.isReachable(BlockID(b)) && isReplaced(.temp($0.result)) }
        for p in f.blocks[b].phis.indices {
            for a in f.blocks[b].phis[p].incoming.indices where isReplaced(f.blocks[b].phis[p].incoming[a].value) {
                f.blocks[b].phis[p].incoming[a].value = resolve(f.blocks[b].phis[p].incoming[a].value)
            }
        }
        var deleted = false
        for i in f.blocks[b].instructions.indices {
            let ins = f.blocks[b].instructions[i]
            if ins.op == .copy, isReplaced(ins.result) {
                deleted = true
                continue
            }
            for k in 0..<f.operandCount(of: ins) where isReplaced(f.operand(k, of: ins)) {
                f.setOperand(k, ofInstruction: i, inBlock: b, to: resolve(f.operand(k, of: ins)))
            }
        }
        if deleted { f.blocks[b].instructions.removeAll { $0.op == .copy && isReplaced($0.result) } }
        let t = f.blocks[b].terminator
        let v = Function.operand(of: t)
        if isReplaced(v) { f.blocks[b].terminator = Function.terminator(t, withOperand: resolve(v)) }
    }
}

/// `propagateCopies` on every function of `m`.
public func propagateCopies(_ m: inout Module) {
    for i in m.functions.indices { propagateCopies(&m.functions[i]) }
}
