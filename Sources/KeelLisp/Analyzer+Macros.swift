/// The core macros that are not plain rewrites of forms: cond, if-let and
/// when-let, case, and/or (each expands into let/if over fresh locals).
extension Analyzer {
    mutating func analyzeCond(_ clauses: [Form], tail: Bool, at: SourceLocation) throws(LispError) -> Expr {
        guard clauses.count % 2 == 0 else { throw error(at, "cond requires an even number of forms") }
        if clauses.isEmpty { return .constant(Form(.nil_, at: at)) }
        // A truthy literal test (`:else`) always takes its clause: the later ones are never reached.
        if Self.isTruthyLiteral(clauses[0]) {
            let taken = try analyze(clauses[1], tail: tail)
            _ = try analyzeCond(Array(clauses.dropFirst(2)), tail: tail, at: at)
            return taken
        }
        return .ifExpr(try analyze(clauses[0], tail: false), try analyze(clauses[1], tail: tail),
                       try analyzeCond(Array(clauses.dropFirst(2)), tail: tail, at: at))
    }

    static func isTruthyLiteral(_ f: Form) -> Bool {
        switch f.kind {
        case .keyword, .integer, .double, .string, .character, .bool(true): return true
        default: return false
        }
    }

    /// (if-let [x test] then else): x is bound to the test's value in `then` only.
    mutating func analyzeIfLet(_ isIf: Bool, _ items: [Form], tail: Bool, at: SourceLocation) throws(LispError) -> Expr {
        let what = isIf ? "if-let" : "when-let"
        guard items.count >= 3, case .vector(let binding) = items[1].kind, binding.count == 2 else {
            throw error(at, "\(what) requires a vector of exactly 2 forms for its binding")
        }
        if isIf && items.count > 4 { throw error(at, "if-let takes a binding, a then and an optional else") }
        let test = try analyze(binding[1], tail: false)
        let temporary = newLocal(nil)
        contexts[contexts.count - 1].scopes.append([:])
        var bound: [(Int, Expr)] = []
        try destructure(binding[0], from: .local(temporary), into: &bound)
        let then = isIf ? try analyze(items[2], tail: tail) : try body(Array(items.dropFirst(2)), tail: tail, at: at)
        contexts[contexts.count - 1].scopes.removeLast()
        let otherwise = isIf && items.count == 4 ? try analyze(items[3], tail: tail) : .constant(Form(.nil_, at: at))
        return .bind([(temporary, test)], .ifExpr(.local(temporary), .bind(bound, then), otherwise))
    }

    /// (case e k1 r1 (k2 k3) r2 default?): literal keys, a list means any of
    /// its items; no match and no default is a runtime error.
    mutating func analyzeCase(_ items: [Form], tail: Bool, at: SourceLocation) throws(LispError) -> Expr {
        guard items.count >= 2 else { throw error(at, "Wrong number of args (0) passed to: case") }
        let value = try analyze(items[1], tail: false)
        let temporary = newLocal(nil)
        var clauses = Array(items.dropFirst(2))
        var result: Expr = .noMatchingClause(.local(temporary), at)
        if clauses.count % 2 == 1 { result = try analyze(clauses.removeLast(), tail: tail) }
        let equal = Intrinsic.all["="]!
        for k in stride(from: clauses.count - 2, through: 0, by: -2) {
            var keys = [clauses[k]]
            if case .list(let alternatives) = clauses[k].kind, !alternatives.isEmpty { keys = alternatives }
            var test: Expr? = nil
            for key in keys.reversed() {
                let one = Expr.intrinsic(equal, [.local(temporary), .constant(key)], key.location)
                test = test.map { .ifExpr(one, .constant(Form(.bool(true), at: at)), $0) } ?? one
            }
            result = .ifExpr(test!, try analyze(clauses[k + 1], tail: tail), result)
        }
        return .bind([(temporary, value)], result)
    }

    mutating func analyzeAndOr(_ isAnd: Bool, _ forms: [Form], tail: Bool, at: SourceLocation) throws(LispError) -> Expr {
        if forms.isEmpty { return .constant(Form(isAnd ? .bool(true) : .nil_, at: at)) }
        if forms.count == 1 { return try analyze(forms[0], tail: tail) }
        let first = try analyze(forms[0], tail: false)
        let local = newLocal(nil)
        let rest = try analyzeAndOr(isAnd, Array(forms.dropFirst()), tail: tail, at: at)
        return .bind([(local, first)], isAnd ? .ifExpr(.local(local), rest, .local(local))
                                             : .ifExpr(.local(local), .local(local), rest))
    }
}
