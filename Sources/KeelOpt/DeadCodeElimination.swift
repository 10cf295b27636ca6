import KeelAnalysis
import KeelIR

// Dead code elimination: deletes every phi and instruction whose result no
// effect needs.
//
// Expects: a verified function in SSA form.
// Guarantees: the function stays verifier-clean and computes the same
// effects (stores, calls, va_list moves, returned values, branches); every
// remaining phi and effect-free instruction has a result that some effect,
// terminator or other remaining value reads. Dead loads and dead divisions
// go too, so they cannot fault: that is QBE's meaning (its instruction
// selection drops every unused result), and front ends rely on it.
//
// Algorithm: mark and sweep over the SSA graph (Cytron et al., *Efficiently
// Computing Static Single Assignment Form*, section 7.1, without the
// control-dependence part: branches are always kept). Roots are the operands
// of effects and terminators; marking walks from a used temporary to its
// definition's operands. Linear in the size of the function.
public func eliminateDeadCode(_ f: inout Function) {
    let n = f.temps.count
    // Where each temporary is defined: block and index, phis as -1 - index.
    var defBlock = [Int32](repeating: -1, count: n)
    var defIndex = [Int32](repeating: 0, count: n)
    var live = [Bool](repeating: false, count: n)
    var work: [Temp] = []
    func mark(_ t: Temp) {
        guard t.int < n, !live[t.int] else { return }
        live[t.int] = true
        work.append(t)
    }
    var candidates = 0
    for b in f.blocks.indices {
        for (p, phi) in f.blocks[b].phis.enumerated() where phi.result.int < n {
            defBlock[phi.result.int] = Int32(b)
            defIndex[phi.result.int] = Int32(-1 - p)
            candidates += 1
        }
        for (i, ins) in f.blocks[b].instructions.enumerated() {
            if let t = ins.result.temp, t.int < n, !ins.op.hasEffects {
                defBlock[t.int] = Int32(b)
                defIndex[t.int] = Int32(i)
                candidates += 1
            } else {
                f.forEachUse(of: ins, mark)
            }
        }
        f.forEachUse(of: f.blocks[b].terminator, mark)
    }
    guard candidates > 0 else { return }
    var liveCount = 0
    while let t = work.popLast() {
        let b = Int(defBlock[t.int])
        guard b >= 0 else { continue }  // a parameter, or a result with effects
        liveCount += 1
        let i = Int(defIndex[t.int])
        if i < 0 {
            for arg in f.blocks[b].phis[-1 - i].incoming { if let u = arg.value.temp { mark(u) } }
        } else {
            f.forEachUse(of: f.blocks[b].instructions[i], mark)
        }
    }
    guard liveCount < candidates else { return }
    for b in f.blocks.indices {
        f.blocks[b].phis.removeAll { !live[$0.result.int] }
        f.blocks[b].instructions.removeAll { ins in
            guard let t = ins.result.temp, !ins.op.hasEffects else { return false }
            return !live[t.int]
        }
    }
}

/// `eliminateDeadCode` on every function of `m`.
public func eliminateDeadCode(_ m: inout Module) {
    for i in m.functions.indices { eliminateDeadCode(&m.functions[i]) }
}
