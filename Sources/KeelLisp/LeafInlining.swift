import Keel

/// Calls of small leaf functions compiled inline, speculatively. A global
/// that only ever holds one closure (ConstantFns) whose fn has one fixed
/// arity and a small body of numeric intrinsics, `if`, `let` and `do` over
/// its parameters and constants (no calls, no loops, no globals) is inlined
/// at a call of that arity. The body has no side effects, so wherever its
/// code would call a runtime function that can fail or box (a value that is
/// not a fixnum, an overflow) it jumps to a bailout instead, which calls the
/// fn itself with the same arguments: errors, their messages and backtraces
/// (which name the fn) are the fn's own, and only the fixnum paths run inline.
/// A call saves the call itself and, in a caller that then calls nothing
/// else, its callee-saved registers (statemachine's `step`).
enum LeafInlining {
    /// The most expression nodes of an inlined body.
    static let maxSize = 40

    /// Intrinsics whose lowering is inline fixnum code with a runtime call
    /// only off the fixnum path.
    static let intrinsics: Set<String> = [
        "+", "-", "*", "inc", "dec", "quot", "rem", "mod",
        "bit-and", "bit-or", "bit-xor", "bit-not", "bit-shift-left", "bit-shift-right", "unsigned-bit-shift-right",
        "<", ">", "<=", ">=", "==", "=", "not=", "zero?", "pos?", "neg?", "odd?", "even?", "not", "nil?", "some?",
    ]

    /// The arity of `fn` to inline at calls of `n` arguments, if any.
    static func arity(of fn: FnExpr, arguments n: Int) -> FnArity? {
        guard fn.captures.isEmpty, fn.arities.count == 1, let a = fn.arities.first,
              a.rest == nil, a.parameters.count == n, !StaticTypes.hasPrimitiveParameter(a) else { return nil }
        var size = 0
        return isLeaf(a.body, &size) ? a : nil
    }

    private static func isLeaf(_ e: Expr, _ size: inout Int) -> Bool {
        size += 1
        guard size <= maxSize else { return false }
        switch e {
        case .constant, .local: return true
        case .ifExpr(let a, let b, let c): return isLeaf(a, &size) && isLeaf(b, &size) && isLeaf(c, &size)
        case .doExpr(let xs): return xs.allSatisfy { isLeaf($0, &size) }
        case .bind(let bs, let body): return bs.allSatisfy { isLeaf($0.1, &size) } && isLeaf(body, &size)
        case .intrinsic(let i, let args, _): return intrinsics.contains(i.name) && args.allSatisfy { isLeaf($0, &size) }
        default: return false
        }
    }
}

extension CodeGenerator {
    /// Runtime calls allowed inside an inlined body: the fixnum fast paths,
    /// which never fail or allocate (they decline with the unbound immediate).
    static let bailoutFree = Set(RuntimeFunctions.fixnumFastPath.values)

    /// Inside an inlined body, a call of runtime function `name` that could
    /// fail or box: a jump to the bailout, and generation goes on in an
    /// unreachable block (the value read there is never used). Nil otherwise.
    mutating func bailInstead(of name: String) -> Ref? {
        guard let target = bailout, !Self.bailoutFree.contains(name) else { return nil }
        b.jump(target)
        let dead = b.createBlock("declined")
        b.markCold(dead)
        b.sealBlock(dead)
        b.switchTo(dead)
        return b.integer(0)
    }

    /// Fn `fn`'s `arity` inline on `args` (the closure `f`, bound), with the
    /// call of the fn as its bailout. With `tail`, the bailout is a tail call.
    mutating func inlineLeaf(_ fn: FnExpr, _ arity: FnArity, _ f: Ref, _ args: [Ref], tail: Bool) throws(LispError) -> Ref? {
        let fallback = b.createBlock("inline_bailout"), join = b.createBlock("inlined")
        b.markCold(fallback)
        let result = b.declareVariable(.r, name: "inlined")
        let savedBailout = bailout
        bailout = fallback
        let value = try genLeafBody(arity, args)
        bailout = savedBailout
        if let value {
            b.write(result, value)
            b.jump(join)
        }
        b.sealBlock(fallback)
        b.switchTo(fallback)
        let symbol = "kl_fn\(fn.id)_\(args.count)"
        if tail {
            _ = callR(symbol, [f] + args, tail: true)
        } else {
            b.write(result, callR(symbol, [f] + args))
            b.jump(join)
        }
        b.sealBlock(join)
        b.switchTo(join)
        return b.read(result)
    }

    /// Leaf `arity`'s body on `args`, bailing out to the current bailout:
    /// inlineLeaf's own, or inside a speculative arity (SpeculativeArities)
    /// the arity's, so the body needs no fallback call of its own there.
    mutating func genLeafBody(_ arity: FnArity, _ args: [Ref]) throws(LispError) -> Ref? {
        let saved = (locals, staticTypes, unboxedLocals)
        locals = (0..<arity.localCount).map { b.declareVariable(.r, name: "i\($0)") }
        useStaticTypes(StaticTypes())   // untyped: its bailout takes every failure
        for (p, v) in zip(arity.parameters, args) { b.write(locals[p], v) }
        let value = try gen(arity.body)
        (locals, staticTypes, unboxedLocals) = saved
        return value
    }
}
