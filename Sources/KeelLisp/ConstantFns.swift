/// The globals of a program that can only ever hold one closure: defined by
/// one top-level `def` of a fn that captures nothing, and by no other `def`
/// anywhere (nested ones included). Such a global is either unbound or that
/// closure, so once the read's unbound check has passed, a call of it can go
/// straight to the fn's arity without the guard of guardedDirectCall. Not
/// for REPL inputs: a later input may redefine any global.
enum ConstantFns {
    static func find(in body: [Expr]) -> [String: FnExpr] {
        let defs = defCounts(body)
        var result: [String: FnExpr] = [:]
        for case .def(let name, .fn(let fn)) in body where defs[name] == 1 && fn.captures.isEmpty {
            result[name] = fn
        }
        return result
    }

    /// The globals defined once whose `def` runs before any code that could
    /// read a global: it is in the leading run of top-level forms that
    /// evaluate nothing (defs of fns and of constants, `declare`). Once
    /// that run is over they are bound for good, so reading them needs no
    /// unbound check. Also a program's property only, as `find`.
    static func alwaysBound(in body: [Expr]) -> Set<String> {
        let defs = defCounts(body)
        var result: Set<String> = []
        for form in body {
            switch form {
            case .constant: continue
            case .def(let name, .fn), .def(let name, .constant):
                if defs[name] == 1 { result.insert(name) }
            case .def(let name, let value) where readsNothing(value):
                if defs[name] == 1 { result.insert(name) }
            default: return result
            }
        }
        return result
    }

    /// Whether evaluating `e` can read no global and call no fn: constants,
    /// and collections and intrinsics of them (`(long-array [1 2 3])`).
    private static func readsNothing(_ e: Expr) -> Bool {
        switch e {
        case .constant: return true
        case .vectorOf(let xs), .mapOf(let xs), .setOf(let xs), .intrinsic(_, let xs, _): return xs.allSatisfy(readsNothing)
        default: return false
        }
    }

    private static func defCounts(_ body: [Expr]) -> [String: Int] {
        var defs: [String: Int] = [:]
        for e in body { e.forEachDef { defs[$0, default: 0] += 1 } }
        return defs
    }
}

extension Expr {
    /// Calls `body` with the name of every global `self` defines, fns' bodies included.
    func forEachDef(_ body: (String) -> Void) {
        switch self {
        case .constant, .local, .captured, .selfReference, .global: break
        case .ifExpr(let a, let b, let c): for x in [a, b, c] { x.forEachDef(body) }
        case .doExpr(let xs), .vectorOf(let xs), .mapOf(let xs), .setOf(let xs): for x in xs { x.forEachDef(body) }
        case .bind(let bs, let x), .loop(_, let bs, let x):
            for (_, v) in bs { v.forEachDef(body) }
            x.forEachDef(body)
        case .recur(_, let xs), .intrinsic(_, let xs, _): for x in xs { x.forEachDef(body) }
        case .fn(let fn): for a in fn.arities { a.body.forEachDef(body) }
        case .def(let name, let x):
            body(name)
            x.forEachDef(body)
        case .noMatchingClause(let x, _), .throwValue(let x, _): x.forEachDef(body)
        case .call(let f, let xs, _):
            f.forEachDef(body)
            for x in xs { x.forEachDef(body) }
        }
    }
}
