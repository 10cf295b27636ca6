import KeelAnalysis
import KeelIR

// Strength reduction of induction variables: `k * c` inside a loop whose
// counter k steps by an invariant amount becomes a variable of its own,
// started at `init * c` in the preheader and bumped by `step * c` on the
// back edge, so the loop multiplies no more (`b[k * n + j]` in a matrix
// product: the index steps by n).
//
// Expects: a verified function in SSA form (best after `licm`, which moves
// invariant operands out of the loop).
// Guarantees: the function stays verifier-clean and computes the same
// values. A basic induction variable is a header phi of a loop with a
// preheader and one latch, whose value from the latch is `add k, step`
// with `step` a constant or a temp defined outside the loop. A candidate is
// an integer `mul k, c` (either order) of k's class with c likewise
// invariant; when its only use is `add (mul k, c), d` with d invariant,
// that add is reduced instead (init·c + d, same step). A value also read
// after the loop stays (conservatively: array indexing does not need it). The new variable
// equals the replaced value in every iteration modulo 2^32 or 2^64, the
// arithmetic the instructions do, so no overflow reasoning is needed. It
// costs one `add` per iteration and a register; the multiplication it
// replaces costs more (a 3-cycle `imul`, and on x86 a copy for its
// two-address form).
//
// Algorithm: loops innermost first; per loop one scan of its blocks for
// candidates; new phis, preheader and latch instructions appended; uses
// of the replaced values renamed in one walk at the end.
public func reduceInductionStrength(_ f: inout Function) {
    guard f.blocks.count > 1, f.mayHaveLoops, multipliesPhi(f) else { return }
    let nest = LoopNest(DominatorTree(f))
    guard !nest.loops.isEmpty else { return }
    let n = f.temps.count
    let classOf = f.temporaryClasses()
    let preds = f.predecessors()

    // Definition site of each temp (block; instruction index, -1 for phis
    // and parameters) and how many operands read it.
    var defBlock = [Int32](repeating: -1, count: n)
    var defIndex = [Int32](repeating: -1, count: n)
    var uses = [Int32](repeating: 0, count: n)
    func use(_ r: Ref) { if let t = r.temp, t.int < n { uses[t.int] += 1 } }
    for (b, block) in f.blocks.enumerated() {
        for phi in block.phis {
            if phi.result.int < n { defBlock[phi.result.int] = Int32(b) }
            for arg in phi.incoming { use(arg.value) }
        }
        for (i, ins) in block.instructions.enumerated() {
            if let t = ins.result.temp, t.int < n {
                defBlock[t.int] = Int32(b)
                defIndex[t.int] = Int32(i)
            }
            for k in 0..<f.operandCount(of: ins) { use(f.operand(k, of: ins)) }
        }
        use(Function.operand(of: block.terminator))
    }
    func isInvariant(_ r: Ref, in l: Int) -> Bool {
        guard let t = r.temp else { return f.constant(r).map { if case .integer = $0 { true } else { false } } ?? false }
        guard t.int < n, classOf[t.int]?.isInteger == true else { return false }
        let d = defBlock[t.int]
        return d < 0 || !nest.contains(loop: l, BlockID(Int(d)))
    }
    func definition(_ t: Temp) -> Instruction? {
        guard defIndex[t.int] >= 0 else { return nil }
        return f.blocks[Int(defBlock[t.int])].instructions[Int(defIndex[t.int])]
    }

    var replacement = [Ref](repeating: .none, count: n)
    var deleted = [Bool](repeating: false, count: n)
    var any = false
    /// The `add m, d` (d invariant in loop `l`) that is `m`'s use, if it is one.
    func singleAdd(of m: Temp, in l: Int) -> (result: Temp, offset: Ref)? {
        for b in nest.loops[l].blocks {
            for ins in f.blocks[b.int].instructions where ins.op == .add && ins.type == classOf[m.int] {
                guard let r = ins.result.temp, r.int < n, !deleted[r.int] else { continue }
                if ins.a == .temp(m) && ins.b != .temp(m) { return isInvariant(ins.b, in: l) ? (r, ins.b) : nil }
                if ins.b == .temp(m) { return isInvariant(ins.a, in: l) ? (r, ins.a) : nil }
            }
        }
        return nil
    }
    /// Whether a block outside loop `l` reads `t`.
    func usedOutside(_ t: Temp, _ l: Int) -> Bool {
        for (b, block) in f.blocks.enumerated() where !nest.contains(loop: l, BlockID(b)) {
            if block.phis.contains(where: { $0.incoming.contains { $0.value == .temp(t) } }) { return true }
            for ins in block.instructions {
                for k in 0..<f.operandCount(of: ins) where f.operand(k, of: ins) == .temp(t) { return true }
            }
            if Function.operand(of: block.terminator) == .temp(t) { return true }
        }
        return false
    }

    for l in nest.loops.indices.reversed() {
        let loop = nest.loops[l]
        let h = loop.header
        guard loop.latches.count == 1, preds[h.int].count == 2,
              let ph = nest.preheader(of: l, in: f, preds: preds) else { continue }
        let latch = loop.latches[0]
        // Basic induction variables of this loop: phi temp -> (init, step).
        var step: [Int: (initial: Ref, step: Ref)] = [:]
        for phi in f.blocks[h.int].phis where phi.type.isInteger {
            guard let initial = phi.value(from: ph), let next = phi.value(from: latch)?.temp, next.int < n,
                  let inc = definition(next), inc.op == .add, nest.contains(loop: l, BlockID(Int(defBlock[next.int]))) else { continue }
            let s = inc.a == .temp(phi.result) ? inc.b : inc.b == .temp(phi.result) ? inc.a : Ref.none
            guard !s.isNone, isInvariant(s, in: l) else { continue }
            step[phi.result.int] = (initial, s)
        }
        guard !step.isEmpty else { continue }
        var added: [Instruction] = []       // for the preheader
        var bumps: [Instruction] = []       // for the latch
        for b in loop.blocks {
            for ins in f.blocks[b.int].instructions where ins.op == .mul && ins.type.isInteger {
                guard let m = ins.result.temp, m.int < n, !deleted[m.int] else { continue }
                let (k, c): (Ref, Ref)
                if let t = ins.a.temp, step[t.int] != nil, isInvariant(ins.b, in: l) { (k, c) = (ins.a, ins.b) }
                else if let t = ins.b.temp, step[t.int] != nil, isInvariant(ins.a, in: l) { (k, c) = (ins.b, ins.a) }
                else { continue }
                guard classOf[k.temp!.int] == ins.type else { continue }
                let iv = step[k.temp!.int]!
                let type = ins.type
                // The one use, if it adds an invariant: reduce that add instead.
                var target = m
                var offset = Ref.none
                if uses[m.int] == 1, let user = singleAdd(of: m, in: l) {
                    target = user.result
                    offset = user.offset
                }
                guard !usedOutside(target, l) else { continue }
                var start = product(iv.initial, c, type, &added, &f)
                if !offset.isNone { start = sum(start, offset, type, &added, &f) }
                let stride = product(iv.step, c, type, &added, &f)
                let value = f.newTemp(name: f.temps[target.int].name + ".iv", type: type)
                let bumped = f.newTemp(name: f.temps[target.int].name + ".ivnext", type: type)
                f.blocks[h.int].phis.append(Phi(result: value, type: type, incoming: [
                    PhiArgument(block: ph, value: start), PhiArgument(block: latch, value: .temp(bumped))]))
                bumps.append(Instruction(op: .add, type: type, result: .temp(bumped), a: .temp(value), b: stride))
                deleted[m.int] = true
                if target != m { deleted[target.int] = true }
                replacement[target.int] = .temp(value)
                any = true
            }
        }
        f.blocks[ph.int].instructions.append(contentsOf: added)
        f.blocks[latch.int].instructions.append(contentsOf: bumps)
    }
    guard any else { return }
    for b in f.blocks.indices {
        f.blocks[b].instructions.removeAll { ins in ins.result.temp.map { $0.int < n && deleted[$0.int] } ?? false }
        for p in f.blocks[b].phis.indices {
            for k in f.blocks[b].phis[p].incoming.indices {
                let v = f.blocks[b].phis[p].incoming[k].value
                if let t = v.temp, t.int < n, !replacement[t.int].isNone { f.blocks[b].phis[p].incoming[k].value = replacement[t.int] }
            }
        }
        for i in f.blocks[b].instructions.indices {
            let ins = f.blocks[b].instructions[i]
            for k in 0..<f.operandCount(of: ins) {
                if let t = f.operand(k, of: ins).temp, t.int < n, !replacement[t.int].isNone {
                    f.setOperand(k, ofInstruction: i, inBlock: b, to: replacement[t.int])
                }
            }
        }
        let term = f.blocks[b].terminator
        if let t = Function.operand(of: term).temp, t.int < n, !replacement[t.int].isNone {
            f.blocks[b].terminator = Function.terminator(term, withOperand: replacement[t.int])
        }
    }
}

/// `reduceInductionStrength` on every function of `m`.
public func reduceInductionStrength(_ m: inout Module) {
    for i in m.functions.indices { reduceInductionStrength(&m.functions[i]) }
}

/// Whether an integer `mul` reads a phi: a function without one has no
/// candidate, and skips the dominator tree.
private func multipliesPhi(_ f: Function) -> Bool {
    var isPhi = [Bool](repeating: false, count: f.temps.count)
    var any = false
    for block in f.blocks {
        for phi in block.phis where phi.result.int < isPhi.count && phi.type.isInteger {
            isPhi[phi.result.int] = true
            any = true
        }
    }
    guard any else { return false }
    func phi(_ r: Ref) -> Bool { r.temp.map { $0.int < isPhi.count && isPhi[$0.int] } ?? false }
    return f.blocks.contains { $0.instructions.contains { $0.op == .mul && $0.type.isInteger && (phi($0.a) || phi($0.b)) } }
}

/// `a * b` of class `type`: folded when an operand is a constant 0 or 1 or
/// both are constants, else a `mul` appended to `code`.
private func product(_ a: Ref, _ b: Ref, _ type: BaseType, _ code: inout [Instruction], _ f: inout Function) -> Ref {
    let x = integer(a, f), y = integer(b, f)
    if let x, let y { return f.addConstant(.integer(x &* y)) }
    if x == 0 || y == 0 { return f.addConstant(.integer(0)) }
    if x == 1 { return b }
    if y == 1 { return a }
    let t = f.newTemp(name: ".ivmul\(f.temps.count)", type: type)
    code.append(Instruction(op: .mul, type: type, result: .temp(t), a: a, b: b))
    return .temp(t)
}

/// `a + b` of class `type`, folded like `product`.
private func sum(_ a: Ref, _ b: Ref, _ type: BaseType, _ code: inout [Instruction], _ f: inout Function) -> Ref {
    let x = integer(a, f), y = integer(b, f)
    if let x, let y { return f.addConstant(.integer(x &+ y)) }
    if x == 0 { return b }
    if y == 0 { return a }
    let t = f.newTemp(name: ".ivadd\(f.temps.count)", type: type)
    code.append(Instruction(op: .add, type: type, result: .temp(t), a: a, b: b))
    return .temp(t)
}

private func integer(_ r: Ref, _ f: Function) -> Int64? {
    if case .integer(let v)? = f.constant(r) { return v }
    return nil
}
