import KeelIR

// The verifier's rules for tail calls (docs/il-extensions.md, "Tail calls").
// A tail call is a `call` with `CallSite.isTail`; the ordinary call checks
// have run on it already. These add what a call that replaces the caller's
// frame needs:
// - it is the block's last instruction and the terminator returns its result;
// - it returns the caller's return type (exactly, when the callee is a
//   function of the module: no extension or truncation happens after it);
// - no variadic arguments and no variadic callee;
// - no aggregate arguments or result by value;
// - no argument is an address into the caller's `alloc` slots (an `alloc`
//   result, or `add`/`sub`/`copy` of one): that memory is freed by the jump.
extension FunctionVerifier {
    mutating func checkTailCall(_ inst: Instruction, site: CallSite, at: CodeLocation, block: Int, index: Int) {
        let blk = f.blocks[block]
        if index != blk.instructions.count - 1 || blk.terminator != .ret(inst.result) {
            errors.append(.tailCallNotInTailPosition(at))
        }
        if site.returnType != f.returnType {
            errors.append(.tailCallReturnType(at, callee: nil, expected: f.returnType, found: site.returnType))
        } else if let callee = calleeFunction(inst), let expected = f.returnType,
                  module.functions[callee].returnType != expected {
            errors.append(.tailCallReturnType(at, callee: callee, expected: expected,
                                              found: module.functions[callee].returnType))
        }
        if site.variadicStart != nil || calleeFunction(inst).map({ module.functions[$0].isVariadic }) == true {
            errors.append(.tailCallVariadic(at))
        }
        if case .aggregate = f.returnType { errors.append(.tailCallAggregate(at, argument: nil)) }
        for (k, arg) in site.arguments.enumerated() {
            if case .aggregate = arg.type { errors.append(.tailCallAggregate(at, argument: k)) }
            if let t = arg.value.temp, let slot = frameSlot(addressedBy: t) {
                errors.append(.tailCallFrameAddress(at, .callArgument(k), t, slot: slot))
            }
        }
        if let t = site.env.temp, let slot = frameSlot(addressedBy: t) {
            errors.append(.tailCallFrameAddress(at, .callEnvironment, t, slot: slot))
        }
    }

    /// The function of the module a call names directly, if any.
    func calleeFunction(_ inst: Instruction) -> Int? {
        guard let c = inst.a.constant, c.int < f.constants.count,
              case .symbol(let s, offset: 0, _) = f.constants[c.int],
              s.int < context.functionOfSymbol.count, context.functionOfSymbol[s.int] >= 0,
              !context.isAmbiguous[s.int] else { return nil }
        return Int(context.functionOfSymbol[s.int])
    }

    /// The `alloc` result `t` is, or is computed from by `add`, `sub` or
    /// `copy` (a bounded walk of first definitions; a phi stops it).
    func frameSlot(addressedBy t: Temp) -> Temp? {
        var t = t
        for _ in 0..<16 {
            guard t.int < definitions.count else { return nil }
            let d = definitions[t.int]
            guard d.kind == .instruction else { return nil }
            let inst = f.blocks[Int(d.block)].instructions[Int(d.index)]
            switch inst.op {
            case .alloc4, .alloc8, .alloc16:
                return t
            case .copy:
                guard let next = inst.a.temp else { return nil }
                t = next
            case .add, .sub:
                guard let next = inst.a.temp ?? (inst.op == .add ? inst.b.temp : nil) else { return nil }
                // Either operand of an add may be the address.
                if inst.op == .add, let other = inst.b.temp, inst.a.temp != nil, let s = frameSlot(addressedBy: other) {
                    return s
                }
                t = next
            default:
                return nil
            }
        }
        return nil
    }
}
