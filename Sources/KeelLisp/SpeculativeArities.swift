import Keel

/// Whole fn arities compiled for fixnums, with the general code as their
/// fallback. An arity whose body only computes with numeric intrinsics,
/// `if`, `let` and `do` over its parameters and constants, calls small leaf
/// fns (LeafInlining), and ends in tail calls of fns known at compile time
/// (ConstantFns, or itself) does nothing observable before those tail calls.
/// So it is compiled twice:
/// - `kl_fnID_N`, the entry every call reaches, with every fixnum test and
///   overflow check jumping to one bailout instead of calling the runtime;
/// - `kl_fnID_N_general`, the arity compiled as any other, which the bailout
///   tail-calls with the original arguments: it starts over, and everything
///   off the fixnum path (doubles, errors with their messages and
///   backtraces) is its own.
/// The entry then makes no call but its tail calls: nothing stays live
/// across a call, so it needs no callee-saved register and no spill
/// (statemachine's state functions, which call each other in a cycle).
enum SpeculativeArities {
    /// The most expression nodes of a speculated body.
    static let maxSize = 400

    /// Whether `arity` of `fn` (of a program; `constantFns` from ConstantFns)
    /// gets a speculative entry: only its tail calls are calls.
    static func applies(to arity: FnArity, of fn: FnExpr, constantFns: [String: FnExpr]) -> Bool {
        guard arity.rest == nil, arity.parameters.count + 1 <= CodeGenerator.maxTailArguments,
              !StaticTypes.hasPrimitiveParameter(arity) else { return false }
        var size = 0
        var tailCalls = 0
        let ok = speculable(arity.body, tail: true, fn, constantFns, &size, &tailCalls)
        return ok && tailCalls > 0
    }

    private static func speculable(_ e: Expr, tail: Bool, _ fn: FnExpr, _ constantFns: [String: FnExpr],
                                   _ size: inout Int, _ tailCalls: inout Int) -> Bool {
        size += 1
        guard size <= maxSize else { return false }
        func all(_ xs: [Expr]) -> Bool { xs.allSatisfy { speculable($0, tail: false, fn, constantFns, &size, &tailCalls) } }
        switch e {
        case .constant, .local, .captured: return true
        case .ifExpr(let a, let b, let c):
            return all([a]) && speculable(b, tail: tail, fn, constantFns, &size, &tailCalls)
                && speculable(c, tail: tail, fn, constantFns, &size, &tailCalls)
        case .doExpr(let xs):
            return all(Array(xs.dropLast())) && speculable(xs[xs.count - 1], tail: tail, fn, constantFns, &size, &tailCalls)
        case .bind(let bs, let body):
            return all(bs.map(\.1)) && speculable(body, tail: tail, fn, constantFns, &size, &tailCalls)
        case .intrinsic(let i, let args, _):
            return LeafInlining.intrinsics.contains(i.name) && all(args)
        case .call(let callee, let args, _):
            guard all(args), args.count + 1 <= CodeGenerator.maxTailArguments else { return false }
            let target: FnExpr
            switch callee {
            case .selfReference: target = fn
            case .global(let name, _):
                guard let known = constantFns[name] else { return false }
                target = known
            default: return false
            }
            // A leaf fn is inlined, its bailout this one; any other call must be the last thing done.
            if LeafInlining.arity(of: target, arguments: args.count) != nil { return true }
            guard tail, target.arities.contains(where: { $0.rest == nil && $0.parameters.count == args.count }) else {
                return false
            }
            tailCalls += 1
            return true
        default:
            return false
        }
    }
}

extension CodeGenerator {
    /// The general arity's symbol, for the speculative entry's bailout.
    static func generalArity(_ name: String) -> String { name + "_general" }

    /// Emits the speculative entry `name` of `arity` (SpeculativeArities):
    /// the body with one bailout, which tail-calls the general arity.
    mutating func generateSpeculativeArity(_ fn: FnExpr, _ arity: FnArity, name: String) throws(LispError) {
        let parameters = beginArity(fn, arity, name: name)
        useStaticTypes(StaticTypes())   // untyped: its bailout takes every failure
        let bail = b.createBlock("speculation_failed")
        b.markCold(bail)
        bailout = bail
        if let v = try gen(arity.body, tail: true) { b.ret(v) }
        bailout = nil
        b.sealBlock(bail)
        b.switchTo(bail)
        _ = callR(Self.generalArity(name), [selfRef] + parameters, tail: true)
        try finishArity(fn)
    }
}
