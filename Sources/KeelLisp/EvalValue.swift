/// The values of the evaluator (Evaluator.swift): KeelLisp data modelled in
/// Swift, independently of the C runtime's encoding. Lists are cons cells
/// (so `cons`/`rest` are O(1) as natively); vectors, maps (keys and values
/// alternating, in insertion order) and sets (insertion order) are arrays.
indirect enum EvalValue {
    case nil_
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case char(UInt32)
    case keyword(String)
    case symbol(String)
    case list(EvalCons?)        // nil: the empty list ()
    case vector([EvalValue])
    case map([EvalValue])       // k0, v0, k1, v1, ...
    case set([EvalValue])
    case fn(EvalFn)
    case array(EvalArray)       // double-array / long-array / byte-array: mutable, `=` only to itself

    static var emptyList: EvalValue { .list(nil) }

    var truthy: Bool {
        switch self {
        case .nil_, .bool(false): return false
        default: return true
        }
    }

    /// A list of `items` (the empty list when there are none).
    static func list(of items: [EvalValue]) -> EvalValue {
        var cell: EvalCons? = nil
        for x in items.reversed() { cell = EvalCons(x, cell) }
        return .list(cell)
    }

    /// The name the runtime gives the value's type in messages (kl_type_name).
    var typeName: String {
        switch self {
        case .nil_: return "nil"
        case .bool: return "java.lang.Boolean"
        case .int: return "java.lang.Long"
        case .double: return "java.lang.Double"
        case .string: return "java.lang.String"
        case .char: return "java.lang.Character"
        case .keyword: return "clojure.lang.Keyword"
        case .symbol: return "clojure.lang.Symbol"
        case .list(nil): return "clojure.lang.PersistentList$EmptyList"
        case .list: return "clojure.lang.PersistentList"
        case .vector: return "clojure.lang.PersistentVector"
        case .map: return "clojure.lang.PersistentArrayMap"
        case .set: return "clojure.lang.PersistentHashSet"
        case .fn: return "clojure.lang.IFn"
        case .array(let a): return a.typeName
        }
    }

    var isNumber: Bool {
        switch self {
        case .int, .double: return true
        default: return false
        }
    }

    /// The value of a literal form (quoted data, constants).
    init(form: Form) {
        switch form.kind {
        case .nil_: self = .nil_
        case .bool(let b): self = .bool(b)
        case .integer(let n): self = .int(n)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .character(let c): self = .char(c)
        case .keyword(let k): self = .keyword(k)
        case .symbol(let s): self = .symbol(s)
        case .list(let fs): self = .list(of: fs.map(EvalValue.init(form:)))
        case .vector(let fs): self = .vector(fs.map(EvalValue.init(form:)))
        case .map(let fs):
            // Built as the runtime builds literal maps: assoc in order (a repeated key keeps its first place).
            var m: [EvalValue] = []
            for i in stride(from: 0, to: fs.count - 1, by: 2) {
                EvalValue.assocInPlace(&m, EvalValue(form: fs[i]), EvalValue(form: fs[i + 1]))
            }
            self = .map(m)
        case .set(let fs):
            var s: [EvalValue] = []
            for f in fs {
                let x = EvalValue(form: f)
                if !s.contains(where: { $0.equiv(x) }) { s.append(x) }
            }
            self = .set(s)
        }
    }

    static func assocInPlace(_ m: inout [EvalValue], _ k: EvalValue, _ v: EvalValue) {
        for i in stride(from: 0, to: m.count, by: 2) where m[i].equiv(k) {
            m[i + 1] = v
            return
        }
        m.append(k)
        m.append(v)
    }
}

final class EvalCons {
    let first: EvalValue
    let rest: EvalCons?
    let count: Int
    init(_ first: EvalValue, _ rest: EvalCons?) {
        self.first = first
        self.rest = rest
        count = (rest?.count ?? 0) + 1
    }

    var items: [EvalValue] {
        var result: [EvalValue] = []
        result.reserveCapacity(count)
        var p: EvalCons? = self
        while let c = p {
            result.append(c.first)
            p = c.rest
        }
        return result
    }
}

/// A primitive array (arrays.c): a reference, as arrays are mutable and
/// `=` only to themselves.
final class EvalArray {
    enum Items {
        case doubles([Double])
        case longs([Int64])
        case bytes([Int8])
    }
    var items: Items
    init(_ items: Items) { self.items = items }

    var isDouble: Bool { if case .doubles = items { return true } else { return false } }
    var typeName: String {
        switch items {
        case .doubles: return "[D"
        case .longs: return "[J"
        case .bytes: return "[B"
        }
    }
    var count: Int {
        switch items {
        case .doubles(let xs): return xs.count
        case .longs(let xs): return xs.count
        case .bytes(let xs): return xs.count
        }
    }
}

/// A function value: a closure of an analyzed `fn` (its captured values),
/// or a core function the evaluator implements in Swift.
final class EvalFn {
    let name: String
    let expr: FnExpr?
    var captured: [EvalValue]
    let native: ((Evaluator, [EvalValue]) throws(EvalStop) -> EvalValue)?

    init(expr: FnExpr, captured: [EvalValue]) {
        name = expr.name
        self.expr = expr
        self.captured = captured
        native = nil
    }

    init(name: String, _ native: @escaping (Evaluator, [EvalValue]) throws(EvalStop) -> EvalValue) {
        self.name = name
        expr = nil
        captured = []
        self.native = native
    }
}

/// Why evaluation stopped early: a runtime error as the native program
/// reports it (`Execution error (KIND): MESSAGE`), or something the
/// evaluator does not model (said plainly, never a silent difference).
enum EvalStop: Error {
    case runtime(kind: String, message: String)
    case unsupported(String)
}

extension EvalValue {
    /// Clojure's `=` as the runtime implements it (equality.c).
    func equiv(_ other: EvalValue) -> Bool {
        switch (self, other) {
        case (.nil_, .nil_): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.char(let a), .char(let b)): return a == b
        case (.keyword(let a), .keyword(let b)): return a == b
        case (.symbol(let a), .symbol(let b)): return a == b
        case (.fn(let a), .fn(let b)): return a === b
        case (.array(let a), .array(let b)): return a === b
        case (.array, _), (_, .array): return false
        case (.map(let a), .map(let b)):
            guard a.count == b.count else { return false }
            for i in stride(from: 0, to: a.count, by: 2) {
                guard let v = EvalValue.lookup(b, a[i]), a[i + 1].equiv(v) else { return false }
            }
            return true
        case (.set(let a), .set(let b)):
            return a.count == b.count && a.allSatisfy { x in b.contains { $0.equiv(x) } }
        default:
            guard let xs = sequentialItems, let ys = other.sequentialItems, xs.count == ys.count else { return false }
            return zip(xs, ys).allSatisfy { $0.equiv($1) }
        }
    }

    /// The items of a list or vector.
    var sequentialItems: [EvalValue]? {
        switch self {
        case .list(let c): return c?.items ?? []
        case .vector(let xs): return xs
        default: return nil
        }
    }

    static func lookup(_ map: [EvalValue], _ key: EvalValue) -> EvalValue? {
        for i in stride(from: 0, to: map.count, by: 2) where map[i].equiv(key) { return map[i + 1] }
        return nil
    }
}
