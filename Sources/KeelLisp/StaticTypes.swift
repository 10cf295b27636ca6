/// What the compiler knows of a value's type before the program runs, as
/// Clojure's compiler infers primitive locals: a local bound to double
/// arithmetic is a double, held unboxed (a `d`) by the code generator; an
/// array's kind is claimed by a type hint (`^doubles a`, `(def ^longs t
/// ...)`) or by the `double-array`/`long-array` that made it, and `aget`,
/// `aset` and `alength` on a claimed array are inline (checked: a claim
/// that is wrong is an error, as Clojure's cast would be).
enum StaticType: Equatable {
    case double
    case long
    case doubles
    case longs
    case bytes

    /// Whether values of the type are held unboxed (a `d` or an `l`).
    var isUnboxed: Bool { self == .double || self == .long }

    /// An array kind's JVM class name, as casts name it.
    var className: String? {
        switch self {
        case .doubles: return "[D"
        case .longs: return "[J"
        case .bytes: return "[B"
        case .double, .long: return nil
        }
    }

    /// An array kind's element type (a byte is a long), nil for a number.
    var element: StaticType? {
        switch self {
        case .doubles: return .double
        case .longs, .bytes: return .long
        case .double, .long: return nil
        }
    }

    /// The type a hint names (other hints are accepted and ignored); `^double`
    /// only types a parameter (Clojure refuses it on a let local).
    init?(tag: String, parameter: Bool = false) {
        switch tag {
        case "doubles", "[D": self = .doubles   // the JVM's class names, as `(def ^"[J" t ...)` writes them
        case "longs", "[J": self = .longs
        case "bytes", "[B": self = .bytes
        case "double" where parameter: self = .double
        case "long" where parameter: self = .long
        default: return nil
        }
    }
}

/// The static types of one fn arity's locals.
///
/// A let local has its value's type; a loop local its initial value's when
/// every `recur` argument for it has the same (found by iterating to a
/// fixed point, since those arguments may read the loop's own locals).
/// The types are exact: constants; `+ - *` of longs, and `+ - * /` of
/// numbers with a double among them (a long is converted, as Clojure
/// converts it); bit operations of longs; `aget` of a claimed array
/// (checked); `if` with branches of one type; and a call of a leaf fn
/// (LeafInlining) whose body has a type when its parameters have the
/// arguments' types: it is inlined with them.
struct StaticTypes {
    private(set) var locals: [Int: StaticType] = [:]
    let globals: [String: StaticType]
    /// The globals that only ever hold one fn (ConstantFns), whose leaf arities are inlined.
    let leafFns: [String: FnExpr]
    private let tags: [Int: StaticType]

    init(globals: [String: StaticType] = [:], leafFns: [String: FnExpr] = [:], types: [Int: StaticType] = [:]) {
        self.globals = globals
        self.leafFns = leafFns
        tags = types
        locals = types
    }

    /// The types of `body`'s locals (an arity's body, its `parameters`
    /// included: a parameter hinted `^double` is converted on entry).
    static func infer(_ body: Expr, globals: [String: StaticType], leafFns: [String: FnExpr],
                      tags: [Int: String], parameters: [Int] = []) -> StaticTypes {
        var typed: [Int: StaticType] = [:]
        for (l, tag) in tags { typed[l] = StaticType(tag: tag, parameter: parameters.contains(l)) }
        return infer(body, globals: globals, leafFns: leafFns, types: typed)
    }

    /// The types of `body`'s locals, some of them (parameters) given.
    static func infer(_ body: Expr, globals: [String: StaticType], leafFns: [String: FnExpr],
                      types: [Int: StaticType]) -> StaticTypes {
        var result = StaticTypes(globals: globals, leafFns: leafFns, types: types)
        result.visit(body)
        return result
    }

    /// The arity of leaf fn `name` a call of `args` inlines, and the types
    /// its parameters take from the arguments (nil when none is unboxed).
    func inlinedLeaf(_ name: String, _ args: [Expr]) -> (fn: FnExpr, arity: FnArity, types: [Int: StaticType])? {
        guard let fn = leafFns[name], let arity = LeafInlining.arity(of: fn, arguments: args.count) else { return nil }
        var types: [Int: StaticType] = [:]
        for (p, x) in zip(arity.parameters, args) { if let t = of(x), t.isUnboxed { types[p] = t } }
        return types.isEmpty ? nil : (fn, arity, types)
    }

    /// The type of `e`, nil when unknown.
    func of(_ e: Expr) -> StaticType? {
        switch e {
        case .constant(let form):
            switch form.kind {
            case .double: return .double
            case .integer: return .long
            default: return nil
            }
        case .local(let l): return locals[l]
        case .global(let name, _): return globals[name]
        case .bind(_, let body), .loop(_, _, let body): return of(body)
        case .doExpr(let xs): return of(xs[xs.count - 1])
        case .ifExpr(_, let t, let f):
            // A branch that never gives a value (recur, throw) takes the other's type.
            let (a, b) = (of(t), of(f))
            if Self.diverges(t) { return b?.isUnboxed == true ? b : nil }
            if Self.diverges(f) { return a?.isUnboxed == true ? a : nil }
            return a == b && a?.isUnboxed == true ? a : nil
        case .intrinsic(let intrinsic, let args, _): return of(intrinsic.name, args)
        case .call(.global(let name, _), let args, _):
            guard let (_, arity, types) = inlinedLeaf(name, args) else { return nil }
            let body = StaticTypes.infer(arity.body, globals: globals, leafFns: [:], types: types)
            return body.of(arity.body).flatMap { $0.isUnboxed ? $0 : nil }
        default: return nil
        }
    }

    /// The type of intrinsic `name` applied to `args`.
    private func of(_ name: String, _ args: [Expr]) -> StaticType? {
        let types = args.map(of)
        let numeric = !types.isEmpty && types.allSatisfy { $0?.isUnboxed == true }
        let longs = !types.isEmpty && types.allSatisfy { $0 == .long }
        switch name {
        case "+", "-", "*", "unchecked-add", "unchecked-subtract", "unchecked-multiply":
            return numeric ? (longs ? .long : .double) : nil
        case "/": return numeric && !longs ? .double : nil
        case "inc", "dec", "bit-not", "quot", "rem", "mod", "unchecked-inc", "unchecked-dec", "unchecked-negate",
             "unchecked-byte", "byte":
            return longs ? .long : nil
        case "bit-and":
            // Masked by a non-negative constant, any integer gives a long.
            return longs || args.contains(where: Self.isMask) ? .long : nil
        case "bit-or", "bit-xor", "bit-shift-left", "bit-shift-right", "unsigned-bit-shift-right":
            return longs ? .long : nil
        case "Math/sqrt", "double": return numeric ? .double : nil
        case "long": return longs ? .long : nil
        case "aget":
            guard args.count == 2 else { return nil }
            return types[0]?.element
        case "alength", "count": return .long
        case "double-array": return .doubles
        case "long-array": return .longs
        case "byte-array": return .bytes
        default: return nil
        }
    }

    /// Whether intrinsic `name` of `args`, typed double or long, is computed
    /// unboxed (else it is computed boxed, as `count` is, and only its
    /// result is unboxed where an unboxed value is wanted).
    func computesUnboxed(_ name: String, _ args: [Expr]) -> Bool {
        name == "aget" || (!CodeGenerator.viaBoxed.contains(name) && args.allSatisfy { of($0)?.isUnboxed == true })
    }

    /// A non-negative integer constant (a `bit-and` mask).
    static func isMask(_ e: Expr) -> Bool {
        if case .constant(let form) = e, case .integer(let n) = form.kind { return n >= 0 }
        return false
    }

    /// Whether `e` never gives a value: it jumps (recur) or fails.
    static func diverges(_ e: Expr) -> Bool {
        switch e {
        case .recur, .throwValue, .noMatchingClause: return true
        case .bind(_, let body): return diverges(body)
        case .doExpr(let xs): return diverges(xs[xs.count - 1])
        case .ifExpr(_, let t, let f): return diverges(t) && diverges(f)
        default: return false
        }
    }

    /// Whether a parameter of `arity` is hinted `^double` or `^long`
    /// (converted on entry: such an arity is never inlined or speculated,
    /// which would skip that).
    static func hasPrimitiveParameter(_ arity: FnArity) -> Bool {
        arity.parameters.contains { primitiveParameter(arity, $0) != nil }
    }

    /// The type of parameter `local` of `arity` when it is hinted `^double` or `^long`.
    static func primitiveParameter(_ arity: FnArity, _ local: Int) -> StaticType? {
        guard arity.parameters.contains(local), let tag = arity.localTags[local],
              let type = StaticType(tag: tag, parameter: true), type.isUnboxed else { return nil }
        return type
    }

    private mutating func bind(_ local: Int, _ value: Expr) {
        locals[local] = tags[local] ?? of(value)
    }

    private mutating func visit(_ e: Expr) {
        switch e {
        case .fn: break   // a fn's arities are typed on their own
        case .bind(let bindings, let body):
            for (l, x) in bindings {
                visit(x)
                bind(l, x)
            }
            visit(body)
        case .loop(let id, let bindings, let body):
            for (_, x) in bindings { visit(x) }
            var candidates: [Int: StaticType] = [:]
            for (l, x) in bindings { candidates[l] = tags[l] ?? of(x) }
            while true {
                for (l, _) in bindings { locals[l] = candidates[l] }
                visit(body)
                var changed = false
                for args in Self.recurArguments(to: id, in: body) {
                    // An unboxed type must hold for every value; an array's kind is a claim,
                    // checked where the array is used (Clojure's loop local keeps its
                    // initial value's class too, and casts).
                    for ((l, _), x) in zip(bindings, args) where candidates[l]?.isUnboxed == true && of(x) != candidates[l] {
                        candidates[l] = nil
                        changed = true
                    }
                }
                if !changed { break }
            }
        default:
            for x in e.children { visit(x) }
        }
    }

    /// The argument lists of every `recur` to loop `id` in `e`.
    private static func recurArguments(to id: Int, in e: Expr) -> [[Expr]] {
        var found: [[Expr]] = []
        func walk(_ e: Expr) {
            if case .recur(.loop(let target), let xs) = e, target == id { found.append(xs) }
            for x in e.children { walk(x) }
        }
        walk(e)
        return found
    }
}
