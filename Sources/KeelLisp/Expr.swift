/// The analyzed program: special forms resolved, core macros expanded,
/// every symbol resolved to a local, a captured value, the function itself,
/// a global or a core intrinsic.
indirect enum Expr {
    case constant(Form)
    case local(Int)                 // a local of the current function (a builder variable)
    case captured(Int)              // the i-th captured value of the current closure
    case selfReference              // a named fn's own name
    case global(String, SourceLocation)
    case ifExpr(Expr, Expr, Expr)
    case doExpr([Expr])             // never empty
    case bind([(Int, Expr)], Expr)  // let: locals assigned in order, then the body
    case loop(Int, [(Int, Expr)], Expr)   // loop id, bindings, body
    case recur(RecurTarget, [Expr])
    case fn(FnExpr)
    case def(String, Expr)
    case call(Expr, [Expr], SourceLocation)
    case intrinsic(Intrinsic, [Expr], SourceLocation)
    case vectorOf([Expr])
    case mapOf([Expr])
    case setOf([Expr])
    case noMatchingClause(Expr, SourceLocation)   // case without a match: a runtime error
    case throwValue(Expr, SourceLocation)         // (throw x): uncaught, it ends the program
}

enum RecurTarget {
    case loop(Int)
    case arity
}

/// How a closure obtains one captured value from the function creating it.
enum CaptureSource: Equatable {
    case local(Int)
    case captured(Int)
    case selfReference
}

final class FnExpr {
    let id: Int
    var name: String
    var location = SourceLocation(line: 0, column: 0)
    var file = ""
    var captures: [CaptureSource] = []
    var captureNames: [String] = []
    var arities: [FnArity] = []
    init(id: Int, name: String) {
        self.id = id
        self.name = name
    }
}

struct FnArity {
    var parameters: [Int]           // locals of the fixed parameters
    var rest: Int?                  // the local of `& rest`
    var localCount: Int
    var body: Expr
    /// Type hints on its parameters and let bindings (`^doubles`), by local.
    var localTags: [Int: String] = [:]
}

extension Expr {
    /// The expressions directly inside `self`, in evaluation order; a fn's
    /// bodies are not (they run later, in frames of their own).
    var children: [Expr] {
        switch self {
        case .constant, .local, .captured, .selfReference, .global, .fn: return []
        case .ifExpr(let a, let b, let c): return [a, b, c]
        case .doExpr(let xs), .vectorOf(let xs), .mapOf(let xs), .setOf(let xs), .recur(_, let xs), .intrinsic(_, let xs, _):
            return xs
        case .bind(let bs, let x), .loop(_, let bs, let x): return bs.map(\.1) + [x]
        case .def(_, let x), .noMatchingClause(let x, _), .throwValue(let x, _): return [x]
        case .call(let f, let xs, _): return [f] + xs
        }
    }

    /// Calls `body` with the name of every global `self` reads, fns' bodies included.
    func forEachGlobal(_ body: (String) -> Void) {
        switch self {
        case .constant, .local, .captured, .selfReference: break
        case .global(let name, _): body(name)
        case .ifExpr(let a, let b, let c): for x in [a, b, c] { x.forEachGlobal(body) }
        case .doExpr(let xs), .vectorOf(let xs), .mapOf(let xs), .setOf(let xs): for x in xs { x.forEachGlobal(body) }
        case .bind(let bs, let x), .loop(_, let bs, let x):
            for (_, v) in bs { v.forEachGlobal(body) }
            x.forEachGlobal(body)
        case .recur(_, let xs), .intrinsic(_, let xs, _): for x in xs { x.forEachGlobal(body) }
        case .fn(let fn): for a in fn.arities { a.body.forEachGlobal(body) }
        case .def(_, let x), .noMatchingClause(let x, _), .throwValue(let x, _): x.forEachGlobal(body)
        case .call(let f, let xs, _):
            f.forEachGlobal(body)
            for x in xs { x.forEachGlobal(body) }
        }
    }
}
