import KeelIR

/// The derived-pointer rule of the `r` class (docs/il-extensions.md, "What
/// the verifier enforces").
///
/// Expects: a function the other checks accepted (so every operand is in
/// range and liveness is meaningful); runs only when it has `r` values, so
/// plain QBE IL pays nothing.
///
/// Guarantees: reports, at the call, every `l` derived from a reference that
/// is live across a call that may collect (once per temporary), and every
/// derived `l` — or reference passed with an integer ABI type — that is an
/// argument of such a call. After a collection the object may have moved; a
/// derived pointer would still point into its old copy, and the backend only
/// keeps `r` values in stack-mapped slots.
///
/// Derived: the `l` result of `add`, `sub`, `and`, `or`, `xor` or `copy` with
/// an operand that is an `r` or derived, and an `l` phi with such an
/// argument. Not derived: `sub` of two such values (a distance), `and` with a
/// constant in 0...4095 (a tag or an offset), anything read from memory, any
/// `w`. Algorithm: a fixed point over the definitions (phis may form cycles),
/// then one backward walk per block from its live-out set (`Liveness`).
extension FunctionVerifier {
    mutating func checkDerivedPointers(order: BlockOrder) {
        guard definitions.contains(where: { $0.kind != .none && $0.type == .r }) else { return }
        let base = derivedBases()
        let derived = base.indices.filter { base[$0] >= 0 }.map { Temp($0) }
        let hasIntegerReferenceArgument = f.calls.contains { site in
            site.arguments.contains { arg in
                arg.type != .base(.r) && arg.value.temp.map { isReference($0) } == true
            }
        }
        if derived.isEmpty && !hasIntegerReferenceArgument { return }
        let liveness = Liveness(f, order: order)
        // Per derived temporary, the first call it is live across (blocks in
        // order; walking a block backwards, the last call found is its first).
        var firstCall: [Int: CodeLocation] = [:]
        for b in f.blocks.indices where order.isReachable(BlockID(b)) {
            var inBlock: [Int: CodeLocation] = [:]
            defer { firstCall.merge(inBlock) { earlier, _ in earlier } }
            var live = liveness.liveOut(BlockID(b))
            let instructions = f.blocks[b].instructions
            f.forEachUse(of: f.blocks[b].terminator) { live.insert($0) }
            for i in instructions.indices.reversed() {
                let inst = instructions[i]
                if let t = inst.result.temp { live.remove(t) }
                if inst.op == .call && isSafepoint(inst) {
                    let at = location(.instruction(BlockID(b), i))
                    for t in derived where live.contains(t) { inBlock[t.int] = at }
                    if let id = inst.callID, id.int < f.calls.count {
                        for (k, arg) in f.calls[id.int].arguments.enumerated() {
                            guard let t = arg.value.temp, t.int < base.count else { continue }
                            if base[t.int] >= 0 {
                                errors.append(.derivedPointerArgument(at, argument: k, t, base: Temp(Int(base[t.int]))))
                            } else if isReference(t) && arg.type != .base(.r) {
                                errors.append(.derivedPointerArgument(at, argument: k, t, base: t))
                            }
                        }
                    }
                }
                f.forEachUse(of: inst) { live.insert($0) }
            }
        }
        for t in derived {
            guard let at = firstCall[t.int] else { continue }
            errors.append(.derivedPointerAcrossSafepoint(at, t, base: Temp(Int(base[t.int])),
                                                          definition: location(site(of: definitions[t.int]))))
        }
    }

    func isReference(_ t: Temp) -> Bool {
        t.int < definitions.count && definitions[t.int].kind != .none && definitions[t.int].type == .r
    }

    /// Whether a call may collect: any call but a direct one to a symbol that never does.
    func isSafepoint(_ call: Instruction) -> Bool {
        guard let c = call.a.constant, c.int < f.constants.count,
              case .symbol(let s, offset: 0, _) = f.constants[c.int], s.int < context.neverCollects.count
        else { return true }
        return !context.neverCollects[s.int]
    }

    /// Per temporary: the reference it is derived from, or -1.
    func derivedBases() -> [Int32] {
        var base = [Int32](repeating: -1, count: definitions.count)
        /// The reference behind `r`: itself when it is an `r`, its base when derived.
        func source(_ r: Ref) -> Int32? {
            guard let t = r.temp, t.int < base.count else { return nil }
            if isReference(t) { return Int32(t.int) }
            return base[t.int] >= 0 ? base[t.int] : nil
        }
        func isSmallMask(_ r: Ref) -> Bool {
            guard let c = r.constant, c.int < f.constants.count, case .integer(let v) = f.constants[c.int] else { return false }
            return (0...4095).contains(v)
        }
        var changed = true
        while changed {
            changed = false
            for block in f.blocks {
                for phi in block.phis where phi.type == .l {
                    let t = phi.result
                    guard t.int < base.count, base[t.int] < 0 else { continue }
                    if let s = phi.incoming.lazy.compactMap({ source($0.value) }).first {
                        base[t.int] = s
                        changed = true
                    }
                }
                for inst in block.instructions where inst.type == .l {
                    guard let t = inst.result.temp, t.int < base.count, base[t.int] < 0 else { continue }
                    let a = source(inst.a), b = inst.op.operandCount > 1 ? source(inst.b) : nil
                    let s: Int32?
                    switch inst.op {
                    case .copy: s = a
                    case .add, .or, .xor: s = a ?? b
                    case .sub: s = a != nil && b != nil ? nil : a ?? b
                    case .and: s = isSmallMask(inst.a) || isSmallMask(inst.b) ? nil : a ?? b
                    default: s = nil
                    }
                    if let s {
                        base[t.int] = s
                        changed = true
                    }
                }
            }
        }
        return base
    }
}
