import KeelAnalysis
import KeelIR

// Global value numbering: an instruction that computes what a dominating
// instruction already computed is removed, and its uses read the earlier
// result.
//
// Expects: a verified function in SSA form.
// Guarantees: the function stays verifier-clean and computes the same
// values. Two instructions are the same value when they have the same
// opcode, class and operands (commutative operands in either order when
// the result is an integer; float operations in the same order) and the
// opcode depends on its operands alone (`OpcodeProperties.isPure`, no
// `alloc`): loads, stores, calls and anything with effects are never merged.
// The earlier one must dominate the later, so it has run whenever the later
// runs: a division merged this way cannot trap where the original did not.
// Instructions with a reference (class r) operand or result are left alone,
// so no derived pointer lives longer (across a safepoint) than written.
// Cheap instructions (`isCheap`: integer arithmetic and logic, extensions,
// comparisons, multiplication by a constant) are merged only within a
// block and with no call between: across blocks or calls the reused value
// occupies a register (or a spill slot) all the way (measured: more
// callee-saved registers and spills in cproc's array code, whose repeated
// `extsw`/`mul 4`/`add` fold into addressing modes).
//
// Algorithm: dominator-based value numbering (the hash-table walk of
// Briggs, Cooper, Simpson, *Value Numbering*, 1997, without phis): blocks
// in dominator-tree preorder, one table of available expressions whose
// entries are dropped when the walk leaves the subtree of the block that
// added them; operands are rewritten to their representatives first, so a
// chain of redundant computations folds in one walk.
public func numberValues(_ f: inout Function) {
    let n = f.temps.count
    guard n > 0, !f.blocks.isEmpty else { return }
    let classOf = f.temporaryClasses()
    var candidates = 0
    for block in f.blocks {
        candidates += block.instructions.count { ins in ins.result.temp.map { $0.int < n } == true && isValueNumbered(ins.op) }
    }
    guard candidates > 1 else { return }

    let dom = DominatorTree(f)
    var replacement = [Ref](repeating: .none, count: n)
    var available: [ExpressionKey: (value: Ref, block: BlockID, calls: Int)] = [:]
    var calls = 0  // calls passed so far: cheap values are not reused across one
    available.reserveCapacity(candidates)
    var added: [ExpressionKey] = []
    var scopes: [(block: BlockID, start: Int)] = []
    var any = false
    func resolved(_ r: Ref) -> Ref {
        guard let t = r.temp, t.int < n, !replacement[t.int].isNone else { return r }
        return replacement[t.int]
    }
    func isReference(_ r: Ref) -> Bool {
        guard let t = r.temp, t.int < n else { return false }
        return classOf[t.int] == .r
    }

    for b in dom.preorder {
        while let top = scopes.last, !dom.dominates(top.block, b) {
            for key in added[top.start...] { available[key] = nil }
            added.removeSubrange(top.start...)
            scopes.removeLast()
        }
        scopes.append((b, added.count))
        var deleted = false
        for i in f.blocks[b.int].instructions.indices {
            let ins = f.blocks[b.int].instructions[i]
            if any {
                for k in 0..<f.operandCount(of: ins) {
                    let r = f.operand(k, of: ins)
                    let s = resolved(r)
                    if s != r { f.setOperand(k, ofInstruction: i, inBlock: b.int, to: s) }
                }
            }
            let now = f.blocks[b.int].instructions[i]
            if now.op == .call { calls += 1 }
            guard let t = now.result.temp, t.int < n, isValueNumbered(now.op), now.type != .r,
                  !isReference(now.a), !isReference(now.b) else { continue }
            var a = now.a, c = now.op.operandCount > 1 ? now.b : Ref.none
            // Float operations keep their order: with two NaN operands the
            // result's payload is the first one's.
            if now.op.properties.contains(.commutative) && now.type.isInteger && c.raw < a.raw { swap(&a, &c) }
            let key = ExpressionKey(op: now.op, type: now.type, a: a, b: c)
            if let earlier = available[key] {
                // A cheap computation from another block stays: reusing it
                // would keep a register busy across blocks (often a loop)
                // for what costs nothing or folds into an address.
                guard (earlier.block == b && earlier.calls == calls) || !isCheap(now, f) else { continue }
                replacement[t.int] = earlier.value
                deleted = true
                any = true
            } else {
                available[key] = (now.result, b, calls)
                added.append(key)
            }
        }
        if deleted {
            f.blocks[b.int].instructions.removeAll { ins in
                guard let t = ins.result.temp, t.int < n else { return false }
                return !replacement[t.int].isNone
            }
        }
        let term = f.blocks[b.int].terminator
        let v = Function.operand(of: term)
        if any, resolved(v) != v { f.blocks[b.int].terminator = Function.terminator(term, withOperand: resolved(v)) }
    }
    guard any else { return }
    // Phi arguments, and blocks the walk did not reach.
    f.replaceUses(by: resolved, includesBody: { !dom.order.isReachable(BlockID($0)) })
}

/// `numberValues` on every function of `m`.
public func numberValues(_ m: inout Module) {
    for i in m.functions.indices { numberValues(&m.functions[i]) }
}

/// Whether the result of `op` depends on its operands alone.
@inline(__always)
private func isValueNumbered(_ op: Opcode) -> Bool {
    op.properties.isPure && !op.isAlloc && op != .copy
}

/// Whether `ins` costs about as much as keeping its result in a register:
/// integer arithmetic, logic, shifts, extensions and comparisons, and
/// multiplication by a constant (a shift, a `lea` or an address's scale).
/// Division, multiplication of two unknowns, float arithmetic and
/// conversions are worth reusing from any dominating block.
private func isCheap(_ ins: Instruction, _ f: Function) -> Bool {
    switch ins.op {
    case .add, .sub, .and, .or, .xor, .shl, .shr, .sar, .neg,
         .extsb, .extub, .extsh, .extuh, .extsw, .extuw, .cast:
        return ins.type.isInteger || ins.op == .cast
    case .mul:
        return ins.type.isInteger && (f.constant(ins.a) != nil || f.constant(ins.b) != nil)
    default:
        return ins.op.isComparison && ins.op.rawValue < Opcode.ceqs.rawValue  // integer comparisons
    }
}

/// An expression: opcode, class, operands (commutative ones ordered).
struct ExpressionKey: Hashable {
    var op: Opcode
    var type: BaseType
    var a: Ref
    var b: Ref
}
