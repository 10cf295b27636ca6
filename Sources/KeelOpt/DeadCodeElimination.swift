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
// definition's operands. Linear in the size of the function; a function with
// nothing dead is left untouched (no array is rewritten).
public func eliminateDeadCode(_ f: inout Function) {
    var marker = DeadCodeMarker(f)
    guard marker.candidates > 0 else { return }
    marker.markFromRoots(f)
    guard marker.liveCandidates < marker.candidates else { return }
    let live = marker.live
    for b in f.blocks.indices {
        f.blocks[b].phis.removeAll { $0.result.int < live.count && !live[$0.result.int] }
        f.blocks[b].instructions.removeAll { ins in
            guard let t = ins.result.temp, t.int < live.count, !ins.op.hasEffects else { return false }
            return !live[t.int]
        }
    }
}

/// `eliminateDeadCode` on every function of `m`.
public func eliminateDeadCode(_ m: inout Module) {
    for i in m.functions.indices { eliminateDeadCode(&m.functions[i]) }
}

/// The marking phase, in plain loops over flat arrays: it runs on every
/// function of every compilation, so it must cost little more than reading it.
struct DeadCodeMarker {
    /// Where each temporary is defined: block, and index (phis as -1 - index); block -1: no candidate.
    var defBlock: [Int32]
    var defIndex: [Int32]
    var live: [Bool]
    var work: [Int32] = []
    /// Effect-free definitions (phis and instructions), and how many of them are live.
    var candidates = 0
    var liveCandidates = 0

    init(_ f: Function) {
        let n = f.temps.count
        defBlock = [Int32](repeating: -1, count: n)
        defIndex = [Int32](repeating: 0, count: n)
        live = [Bool](repeating: false, count: n)
        for b in f.blocks.indices {
            let block = f.blocks[b]
            for p in block.phis.indices where block.phis[p].result.int < n {
                let t = block.phis[p].result.int
                defBlock[t] = Int32(b)
                defIndex[t] = Int32(-1 - p)
                candidates += 1
            }
            for i in block.instructions.indices {
                let ins = block.instructions[i]
                if let t = ins.result.temp, t.int < n, !ins.op.hasEffects {
                    defBlock[t.int] = Int32(b)
                    defIndex[t.int] = Int32(i)
                    candidates += 1
                }
            }
        }
    }

    @inline(__always)
    mutating func mark(_ r: Ref) {
        guard let t = r.temp, t.int < live.count, !live[t.int] else { return }
        live[t.int] = true
        work.append(Int32(t.index))
    }

    mutating func markOperands(of ins: Instruction, in f: Function) {
        for k in 0..<f.operandCount(of: ins) { mark(f.operand(k, of: ins)) }
    }

    mutating func markFromRoots(_ f: Function) {
        for b in f.blocks.indices {
            let block = f.blocks[b]
            for ins in block.instructions {
                let candidate = ins.result.temp.map { $0.int < live.count } ?? false
                if !candidate || ins.op.hasEffects { markOperands(of: ins, in: f) }
            }
            mark(Function.operand(of: block.terminator))
        }
        while let t = work.popLast() {
            let b = Int(defBlock[Int(t)])
            guard b >= 0 else { continue }  // a parameter, or a result with effects
            liveCandidates += 1
            let i = Int(defIndex[Int(t)])
            if i < 0 {
                for arg in f.blocks[b].phis[-1 - i].incoming { mark(arg.value) }
            } else {
                markOperands(of: f.blocks[b].instructions[i], in: f)
            }
        }
    }
}
