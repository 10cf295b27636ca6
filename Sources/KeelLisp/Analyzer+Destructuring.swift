/// Destructuring: sequential (`[a [b c] & rest :as all]`) and map
/// (`{:keys [..] :strs [..] :or {..} :as m, k :key}`) patterns, nested,
/// turned into plain bindings of locals to `nth`/`nthnext`/`get` of a
/// temporary holding the whole value.
extension Analyzer {
    /// Binds the names of `pattern` (a symbol, or a vector or map
    /// destructuring form, nested) to parts of `source`, appending the
    /// bindings in order and declaring the names in the current scope.
    mutating func destructure(_ pattern: Form, from source: Expr, into out: inout [(Int, Expr)]) throws(LispError) {
        let none = Expr.constant(Form(.nil_, at: pattern.location))
        func constant(_ k: Form.Kind) -> Expr { .constant(Form(k, at: pattern.location)) }
        switch pattern.kind {
        case .symbol(let name):
            if name.contains("/") || name == "&" { throw error(pattern.location, "Can't bind qualified name or &: \(name)") }
            out.append((newLocal(name, tag: pattern.tag), source))
        case .vector(let items):
            let whole = newLocal(nil)
            out.append((whole, source))
            var i = 0, index: Int64 = 0
            while i < items.count {
                if items[i].symbolName == "&" {
                    guard i + 1 < items.count else { throw error(items[i].location, "& must be followed by a pattern") }
                    try destructure(items[i + 1], from: .intrinsic(Intrinsic.all["%nthnext"]!, [.local(whole), constant(.integer(index))], items[i].location), into: &out)
                    i += 2
                } else if items[i].kind == .keyword("as") {
                    guard i + 1 < items.count, items[i + 1].symbolName != nil else { throw error(items[i].location, ":as must be followed by a name") }
                    try destructure(items[i + 1], from: .local(whole), into: &out)
                    i += 2
                } else {
                    try destructure(items[i], from: .intrinsic(Intrinsic.all["nth"]!, [.local(whole), constant(.integer(index)), none], items[i].location), into: &out)
                    index += 1
                    i += 1
                }
            }
        case .map(let items):
            // A seq (keyword arguments after &) is destructured as the map of its items.
            let given = newLocal(nil), whole = newLocal(nil)
            out.append((given, source))
            let isSeq = Expr.intrinsic(Intrinsic.all["seq?"]!, [.local(given)], pattern.location)
            let asMap = Expr.call(.global("clojure.core/%map-of-seq", pattern.location), [.local(given)], pattern.location)
            out.append((whole, .ifExpr(isSeq, asMap, .local(given))))
            var defaults: [String: Form] = [:]
            for k in stride(from: 0, to: items.count, by: 2) where items[k].kind == .keyword("or") {
                guard case .map(let pairs) = items[k + 1].kind else { throw error(items[k + 1].location, ":or must be followed by a map") }
                for j in stride(from: 0, to: pairs.count, by: 2) {
                    guard let name = pairs[j].symbolName else { throw error(pairs[j].location, ":or keys must be names") }
                    defaults[name] = pairs[j + 1]
                }
            }
            let get = Intrinsic.all["get"]!
            func lookup(_ key: Form.Kind, _ name: String?, at: SourceLocation) throws(LispError) -> Expr {
                let fallback = try name.flatMap { defaults[$0] }.map { (f) throws(LispError) in try analyze(f, tail: false) } ?? none
                return .intrinsic(get, [.local(whole), .constant(Form(key, at: at)), fallback], at)
            }
            for k in stride(from: 0, to: items.count, by: 2) {
                let (key, value) = (items[k], items[k + 1])
                switch key.kind {
                case .keyword("keys"), .keyword("strs"):
                    guard case .vector(let names) = value.kind else { throw error(value.location, "\(key.text) must be followed by a vector of names") }
                    for n in names {
                        guard let name = n.symbolName else { throw error(n.location, "\(key.text) names must be symbols") }
                        let k: Form.Kind = key.kind == .keyword("keys") ? .keyword(name) : .string(name)
                        try destructure(n, from: try lookup(k, name, at: n.location), into: &out)
                    }
                case .keyword("as"):
                    guard value.symbolName != nil else { throw error(value.location, ":as must be followed by a name") }
                    try destructure(value, from: .local(whole), into: &out)
                case .keyword("or"):
                    break
                default:
                    try destructure(key, from: try lookup(value.kind, key.symbolName, at: key.location), into: &out)
                }
            }
        default:
            throw error(pattern.location, "Unsupported binding form: \(pattern.text)")
        }
    }
}
