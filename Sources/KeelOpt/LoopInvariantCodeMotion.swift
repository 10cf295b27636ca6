import KeelAnalysis
import KeelIR

// Loop-invariant code motion: a computation inside a loop whose operands
// are all defined outside it (or are constants, or such computations
// themselves) moves to the loop's preheader and runs once per entry instead
// of once per iteration.
//
// Expects: a verified function in SSA form.
// Guarantees: the function stays verifier-clean and computes the same
// values. Only instructions that depend on their operands alone and cannot
// trap move (`OpcodeProperties.isPure`; integer division and remainder
// only by a constant other than 0 and -1; no `alloc`, no `copy`): running
// one on a path that did not run it before changes nothing but time. The
// preheader dominates the loop, so every use stays dominated. Instructions
// with a class-r operand or result stay, so no derived pointer is made to
// live across a safepoint inside the loop; so do those with constant
// operands only (an immediate in the loop costs no register), and those
// computing from an `alloc` slot's address (the backend folds a slot's
// frame-pointer offset into each use: hoisted, it would hold a register
// across the loop instead).
//
// Algorithm: natural loops from `LoopNest`, innermost first; in each loop's
// blocks in reverse postorder (definitions before uses), an instruction is
// invariant when each operand is a constant or a temp defined outside the
// loop; it is appended to the preheader, which is outside the loop, so the
// enclosing loop sees it again and may hoist it further. A loop without a
// preheader gets one (`insertPreheader`) only when it has something to
// hoist. Equal computations hoisted into one preheader are merged. Linear in the total size of the loops, i.e. in the function's size
// times the nesting depth.
public func hoistLoopInvariants(_ f: inout Function) {
    guard f.blocks.count > 1, f.mayHaveLoops else { return }
    var nest = LoopNest(DominatorTree(f))
    guard !nest.loops.isEmpty else { return }
    let n = f.temps.count
    let classOf = f.temporaryClasses()
    let slotAddress = slotAddresses(f)

    // Block of each temp's definition; -1 (outside every loop) for
    // parameters and what nothing defines.
    var defBlock = [Int32](repeating: -1, count: n)
    func recordDefinitions() {
        for (b, block) in f.blocks.enumerated() {
            for phi in block.phis where phi.result.int < n { defBlock[phi.result.int] = Int32(b) }
            for ins in block.instructions {
                if let t = ins.result.temp, t.int < n { defBlock[t.int] = Int32(b) }
            }
        }
    }
    recordDefinitions()

    func isInvariant(_ r: Ref, in l: Int) -> Bool {
        guard let t = r.temp else { return true }
        guard t.int < n else { return false }
        let d = defBlock[t.int]
        return d < 0 || !nest.contains(loop: l, BlockID(Int(d)))
    }
    func isHoistable(_ ins: Instruction) -> Bool {
        guard let t = ins.result.temp, t.int < n, ins.op.properties.isPure, !ins.op.isAlloc,
              ins.op != .copy, ins.type != .r else { return false }
        if ins.op.properties.contains(.mayTrap) && ins.type.isInteger {
            guard let c = f.constant(ins.b), case .integer(let v) = c else { return false }
            let divisor = ins.type == .w ? Int64(Int32(truncatingIfNeeded: v)) : v
            guard divisor != 0 && divisor != -1 else { return false }
        }
        var anyTemp = false
        for k in 0..<f.operandCount(of: ins) {
            guard let u = f.operand(k, of: ins).temp else { continue }
            if u.int >= n || classOf[u.int] == .r || slotAddress[u.int] { return false }
            anyTemp = true
        }
        return anyTemp
    }
    func invariantOperands(_ ins: Instruction, in l: Int) -> Bool {
        for k in 0..<f.operandCount(of: ins) where !isInvariant(f.operand(k, of: ins), in: l) { return false }
        return true
    }

    // Preheaders first, for the loops with something to hoist, so that the
    // nest is computed once more at most.
    var preds = f.predecessors()
    var placed: [(preheader: BlockID, header: BlockID)] = []
    for l in nest.loops.indices where nest.loops[l].header != Function.entry
        && nest.preheader(of: l, in: f, preds: preds) == nil {
        let wanted = nest.loops[l].blocks.contains { b in
            f.blocks[b.int].instructions.contains { isHoistable($0) && invariantOperands($0, in: l) }
        }
        if wanted {
            placed.append((insertPreheader(&f, loop: l, of: nest, preds: preds), nest.loops[l].header))
            preds = f.predecessors()
        }
    }
    if !placed.isEmpty {
        // Block order is layout: each preheader goes right before its header.
        var before = [[BlockID]](repeating: [], count: f.blocks.count)
        for p in placed { before[p.header.int].append(p.preheader) }
        var order: [BlockID] = []
        for b in 0..<(f.blocks.count - placed.count) {
            order.append(contentsOf: before[b])
            order.append(BlockID(b))
        }
        f.reorderBlocks(order)
        preds = f.predecessors()
        nest = LoopNest(DominatorTree(f))
        defBlock = [Int32](repeating: -1, count: n)
        recordDefinitions()
    }

    // What one preheader receives twice (`i * n` written in two places of a
    // loop nest, say) is computed there once: `replacement` sends the
    // second result's uses to the first.
    var replacement = [Ref](repeating: .none, count: n)
    var merged = false
    func resolved(_ r: Ref) -> Ref {
        // A value merged into an inner preheader's may be merged again, into
        // an outer one's: follow the chain to the survivor.
        var r = r
        while let t = r.temp, t.int < n, !replacement[t.int].isNone { r = replacement[t.int] }
        return r
    }
    for l in nest.loops.indices.reversed() {
        guard let ph = nest.preheader(of: l, in: f, preds: preds) else { continue }
        var hoisted: [Instruction] = []
        var known: [ExpressionKey: Ref] = [:]
        for ins in f.blocks[ph.int].instructions where isHoistable(ins) {
            known[expressionKey(ins)] = ins.result
        }
        for b in nest.loops[l].blocks {
            var moved = false
            for var ins in f.blocks[b.int].instructions where isHoistable(ins) && invariantOperands(ins, in: l) {
                let t = ins.result.temp!
                defBlock[t.int] = Int32(ph.int)
                moved = true
                if merged {
                    ins.a = resolved(ins.a)
                    ins.b = resolved(ins.b)
                }
                let key = expressionKey(ins)
                if let earlier = known[key] {
                    replacement[t.int] = earlier
                    merged = true
                } else {
                    known[key] = ins.result
                    hoisted.append(ins)
                }
            }
            guard moved else { continue }
            f.blocks[b.int].instructions.removeAll { ins in
                guard let t = ins.result.temp, t.int < n else { return false }
                return defBlock[t.int] == Int32(ph.int)
            }
        }
        f.blocks[ph.int].instructions.append(contentsOf: hoisted)
    }
    guard merged else { return }
    f.replaceUses(by: resolved)
}

/// The value-numbering key of a pure instruction (integer commutative
/// operands ordered; float operands keep their order, for NaN payloads).
private func expressionKey(_ ins: Instruction) -> ExpressionKey {
    var a = ins.a, b = ins.op.operandCount > 1 ? ins.b : Ref.none
    if ins.op.properties.contains(.commutative) && ins.type.isInteger && b.raw < a.raw { swap(&a, &b) }
    return ExpressionKey(op: ins.op, type: ins.type, a: a, b: b)
}

/// `hoistLoopInvariants` on every function of `m`.
public func hoistLoopInvariants(_ m: inout Module) {
    for i in m.functions.indices { hoistLoopInvariants(&m.functions[i]) }
}

/// Which temps hold an `alloc` slot's address or a value computed from one
/// (through arithmetic and phis, not loads or calls), by temp index.
private func slotAddresses(_ f: Function) -> [Bool] {
    let n = f.temps.count
    var set = [Bool](repeating: false, count: n)
    guard f.blocks.contains(where: { $0.instructions.contains { $0.op.isAlloc } }) else { return set }
    func marked(_ r: Ref) -> Bool { r.temp.map { $0.int < n && set[$0.int] } ?? false }
    var changed = true
    while changed {
        changed = false
        for b in f.blocks {
            for phi in b.phis where phi.result.int < n && !set[phi.result.int]
                && phi.incoming.contains(where: { marked($0.value) }) {
                set[phi.result.int] = true
                changed = true
            }
            for ins in b.instructions {
                guard let t = ins.result.temp, t.int < n, !set[t.int] else { continue }
                if ins.op.isAlloc || ((marked(ins.a) || marked(ins.b)) && !ins.op.isLoad && ins.op != .call) {
                    set[t.int] = true
                    changed = true
                }
            }
        }
    }
    return set
}
