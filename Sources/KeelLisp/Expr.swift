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
}
