/// Analysis: forms to `Expr`. Expands the core macros (defn, when, when-not,
/// cond, and, or, ->, ->>), resolves every symbol (local, captured, the
/// function itself, global, intrinsic), computes each fn's captured values
/// (closure conversion) and checks that `recur` is in tail position with the
/// right number of arguments. Errors name file:line:col.
struct Analyzer {
    /// The file and namespace being analyzed: "user" for the program,
    /// "clojure.core" for the core library (CoreLibrary.swift).
    private(set) var file: String
    private(set) var namespace = "user"
    /// Every global, qualified ("user/f", "clojure.core/map"). A namespace's
    /// top-level `def`/`defn` names are collected before its forms are
    /// analyzed, so functions may call functions defined later in the file.
    private(set) var globals: Set<String> = []
    /// The type hints of defs (`(def ^longs table ...)`), by qualified name.
    private(set) var globalTags: [String: String] = [:]
    var contexts: [Context] = []
    private var fnCount = 0
    private var loopCount = 0

    /// One function body being analyzed (or the top level).
    struct Context {
        var fn: FnExpr?
        var selfName: String?
        var scopes: [[String: Int]] = [[:]]
        var localCount = 0
        /// The type hints of its locals (`^doubles a`), by local.
        var localTags: [Int: String] = [:]
        /// Innermost last: the loop or arity `recur` goes to, and its argument count.
        var recurTargets: [(RecurTarget, Int)] = []
    }

    init(file: String) {
        self.file = file
        contexts = [Context()]
    }

    /// The top-level forms of the core library, then of the program, each
    /// analyzed in order (locals of the program's main function). Only the
    /// core definitions the program reaches are kept.
    mutating func analyzeProgram(core: [Form], coreFile: String, _ forms: [Form]) throws(LispError)
        -> (body: [Expr], localCount: Int) {
        let programFile = file
        (file, namespace) = (coreFile, "clojure.core")
        for f in core { collectDefinitions(f) }
        var coreBody: [Expr] = []
        for f in core { coreBody.append(try analyze(f, tail: false)) }
        (file, namespace) = (programFile, "user")
        for f in forms { collectDefinitions(f) }
        var body: [Expr] = []
        for f in forms { body.append(try analyze(f, tail: false)) }
        return (Self.reachableDefinitions(coreBody, from: body) + body, contexts[0].localCount)
    }

    /// The REPL's first input: every definition of the core library.
    mutating func analyzeCore(_ core: [Form], coreFile: String) throws(LispError) -> (body: [Expr], localCount: Int) {
        let sessionFile = file
        (file, namespace) = (coreFile, "clojure.core")
        defer { (file, namespace) = (sessionFile, "user") }
        return try analyzeInput(core)
    }

    /// One REPL input: its forms analyzed in order, after everything
    /// analyzed before (globals and fn numbers persist; top-level locals do not).
    mutating func analyzeInput(_ forms: [Form]) throws(LispError) -> (body: [Expr], localCount: Int) {
        contexts = [Context()]
        for f in forms { collectDefinitions(f) }
        var body: [Expr] = []
        for f in forms { body.append(try analyze(f, tail: false)) }
        return (body, contexts[0].localCount)
    }

    private mutating func collectDefinitions(_ form: Form) {
        guard case .list(let items) = form.kind, items.count >= 2,
              let head = items[0].symbolName else { return }
        if head == "def" || head == "defn", let name = items[1].symbolName { globals.insert(qualified(name)) }
        if head == "do" { for f in items.dropFirst() { collectDefinitions(f) } }
    }

    private func qualified(_ name: String) -> String { namespace + "/" + name }

    /// The core definitions that `roots` use, directly or through each other, in their order.
    static func reachableDefinitions(_ core: [Expr], from roots: [Expr]) -> [Expr] {
        var definitions: [String: Expr] = [:]
        for e in core { if case .def(let name, _) = e { definitions[name] = e } }
        var reached = Set<String>()
        var work: [String] = []
        func visit(_ e: Expr) { e.forEachGlobal { if reached.insert($0).inserted { work.append($0) } } }
        roots.forEach(visit)
        while let name = work.popLast() { if let d = definitions[name] { visit(d) } }
        return core.filter { if case .def(let name, _) = $0 { return reached.contains(name) } else { return true } }
    }

    // MARK: expressions

    mutating func analyze(_ form: Form, tail: Bool) throws(LispError) -> Expr {
        switch form.kind {
        case .symbol(let name):
            return try resolve(name, at: form.location)
        case .list(let items):
            if items.isEmpty { return .constant(form) }
            return try analyzeList(items, form: form, tail: tail)
        case .vector(let items):
            if isConstant(form) { return .constant(form) }
            return .vectorOf(try items.map { (f) throws(LispError) in try analyze(f, tail: false) })
        case .map(let items):
            if isConstant(form) { return .constant(form) }
            return .mapOf(try items.map { (f) throws(LispError) in try analyze(f, tail: false) })
        case .set(let items):
            if isConstant(form) { return .constant(form) }
            return .setOf(try items.map { (f) throws(LispError) in try analyze(f, tail: false) })
        default:
            return .constant(form)
        }
    }

    /// Literal data with no symbol to evaluate: built once at start-up.
    private func isConstant(_ form: Form) -> Bool {
        switch form.kind {
        case .symbol: return false
        case .list(let items): return items.isEmpty
        case .vector(let items), .map(let items), .set(let items): return items.allSatisfy(isConstant)
        default: return true
        }
    }

    private mutating func analyzeList(_ items: [Form], form: Form, tail: Bool) throws(LispError) -> Expr {
        let at = form.location
        if let head = items[0].symbolName, lookupLocal(head) == nil {
            switch head {
            case "quote":
                try expectCount(items, 2, "quote", at)
                return .constant(items[1])
            case "if":
                guard items.count == 3 || items.count == 4 else {
                    throw error(at, items.count < 3 ? "Too few arguments to if" : "Too many arguments to if")
                }
                return .ifExpr(try analyze(items[1], tail: false), try analyze(items[2], tail: tail),
                               items.count == 4 ? try analyze(items[3], tail: tail) : .constant(Form(.nil_, at: at)))
            case "do":
                return try body(Array(items.dropFirst()), tail: tail, at: at)
            case "let":
                return try analyzeLet(items, tail: tail, at: at)
            case "loop":
                return try analyzeLoop(items, tail: tail, at: at)
            case "recur":
                return try analyzeRecur(items, tail: tail, at: at)
            case "fn", "fn*":
                return .fn(try analyzeFn(items, defName: nil, at: at))
            case "def":
                guard items.count == 2 || items.count == 3, let name = items[1].symbolName else {
                    throw error(at, "def expects a symbol and an optional value: (def name value)")
                }
                globals.insert(qualified(name))
                if let tag = items[1].tag { globalTags[qualified(name)] = tag }
                return .def(qualified(name), items.count == 3 ? try analyze(items[2], tail: false) : .constant(Form(.nil_, at: at)))
            case "defn":
                guard items.count >= 3, let name = items[1].symbolName else {
                    throw error(at, "defn expects a name, parameters and a body: (defn name [params] body...)")
                }
                globals.insert(qualified(name))
                var rest = Array(items.dropFirst(2))
                if case .string = rest[0].kind, rest.count > 1 { rest.removeFirst() }  // docstring
                if case .map = rest[0].kind, rest.count > 1 { rest.removeFirst() }     // attribute map
                // In the core library a defn's name is not bound inside it:
                // `(defn + ... (+ x y))` means the intrinsic, not itself.
                let selfName = namespace == "clojure.core" ? [] : [items[1]]
                let fn = try analyzeFn([Form(.symbol("fn"), at: at)] + selfName + rest, defName: name, at: at)
                return .def(qualified(name), .fn(fn))
            case "throw":
                try expectCount(items, 2, "throw", at)
                return .throwValue(try analyze(items[1], tail: false), at)
            case "try", "catch", "finally":
                throw error(at, "\(head) is not supported yet: an exception ends the program (docs/lisp.md)")
            case "ns", "comment":
                // One namespace per program for now: (ns ...) is accepted and ignored.
                return .constant(Form(.nil_, at: at))
            case "declare":
                for name in items.dropFirst() {
                    guard let n = name.symbolName else { throw error(name.location, "declare expects names") }
                    globals.insert(qualified(n))
                }
                return .constant(Form(.nil_, at: at))
            case "when", "when-not":
                guard items.count >= 2 else { throw error(at, "Wrong number of args (0) passed to: \(head)") }
                let test = try analyze(items[1], tail: false)
                let then = try body(Array(items.dropFirst(2)), tail: tail, at: at)
                let none = Expr.constant(Form(.nil_, at: at))
                return head == "when" ? .ifExpr(test, then, none) : .ifExpr(test, none, then)
            case "cond":
                return try analyzeCond(Array(items.dropFirst()), tail: tail, at: at)
            case "if-not":
                guard items.count == 3 || items.count == 4 else { throw error(at, "if-not expects a test, a then and an optional else") }
                return .ifExpr(try analyze(items[1], tail: false),
                               items.count == 4 ? try analyze(items[3], tail: tail) : .constant(Form(.nil_, at: at)),
                               try analyze(items[2], tail: tail))
            case "if-let", "when-let":
                return try analyzeIfLet(head == "if-let", items, tail: tail, at: at)
            case "case":
                return try analyzeCase(items, tail: tail, at: at)
            case "and", "or":
                return try analyzeAndOr(head == "and", Array(items.dropFirst()), tail: tail, at: at)
            case "dotimes", "doseq":
                // (dotimes [i n] body) and (doseq [x coll] body): loops, value nil.
                guard items.count >= 2, case .vector(let binding) = items[1].kind, binding.count == 2 else {
                    throw error(at, "\(head) requires a vector of exactly 2 forms for its binding")
                }
                func f(_ k: Form.Kind) -> Form { Form(k, at: at) }
                func list(_ xs: Form...) -> Form { f(.list(xs)) }
                let (name, bodyForms) = (binding[0], Array(items.dropFirst(2)))
                let limit = f(.symbol(" limit")), cursor = f(.symbol(" cursor"))
                let expansion: Form
                if head == "dotimes" {
                    expansion = list(f(.symbol("let")), f(.vector([limit, binding[1]])),
                        list(f(.symbol("loop")), f(.vector([name, f(.integer(0))])),
                             list(f(.symbol("when")), list(f(.symbol("<")), name, limit),
                                  f(.list([f(.symbol("do"))] + bodyForms)),
                                  list(f(.symbol("recur")), list(f(.symbol("inc")), name)))))
                } else {
                    expansion = list(f(.symbol("loop")), f(.vector([cursor, list(f(.symbol("seq")), binding[1])])),
                        list(f(.symbol("when")), cursor,
                             f(.list([f(.symbol("let")), f(.vector([name, list(f(.symbol("first")), cursor)]))] + bodyForms)),
                             list(f(.symbol("recur")), list(f(.symbol("next")), cursor))))
                }
                return try analyze(expansion, tail: tail)
            case "->", "->>":
                guard items.count >= 2 else { throw error(at, "Wrong number of args (0) passed to: \(head)") }
                var x = items[1]
                for step in items.dropFirst(2) {
                    if case .list(let parts) = step.kind, !parts.isEmpty {
                        x = Form(.list(head == "->" ? [parts[0], x] + parts.dropFirst() : parts + [x]), at: step.location)
                    } else {
                        x = Form(.list([step, x]), at: step.location)
                    }
                }
                return try analyze(x, tail: tail)
            default:
                break
            }
            // Intrinsics win over the core library's functions of the same
            // name (which are their first-class versions), not over the program's.
            // `dissoc` and `disj` with more keys are the core library's variadic versions,
            // `(keyword ns name)` its 2-arity one.
            if !globals.contains("user/" + head), lookupOuter(head) == false, let intrinsic = Intrinsic.all[head],
               namespace == "clojure.core" || intrinsic.name.first != "%",
               !(["dissoc", "disj"].contains(head) && items.count > 3), !(head == "keyword" && items.count == 3) {
                let n = items.count - 1
                if let range = intrinsic.arities, !range.contains(n) {
                    throw error(at, "Wrong number of args (\(n)) passed to: clojure.core/\(head)")
                }
                let args = try items.dropFirst().map { (f) throws(LispError) in try analyze(f, tail: false) }
                return .intrinsic(intrinsic, args, at)
            }
        }
        let callee = try analyze(items[0], tail: false)
        if case .constant(let f) = callee {
            switch f.kind {
            case .keyword, .map, .set, .vector:
                // Data called as a function of its keys: one or two arguments (vectors and sets: one).
                let n = items.count - 1
                var most = 2
                if case .vector = f.kind { most = 1 }
                if case .set = f.kind { most = 1 }
                if n < 1 || n > most { throw error(at, "Wrong number of args (\(n)) passed to: \(f.text)") }
            default: throw error(at, "\(f.text) cannot be called: it is not a function")
            }
        }
        guard items.count - 1 <= 20 else { throw error(at, "calls with more than 20 arguments are not supported") }
        let args = try items.dropFirst().map { (f) throws(LispError) in try analyze(f, tail: false) }
        return .call(callee, args, at)
    }

    mutating func body(_ forms: [Form], tail: Bool, at: SourceLocation) throws(LispError) -> Expr {
        if forms.isEmpty { return .constant(Form(.nil_, at: at)) }
        var exprs: [Expr] = []
        for (i, f) in forms.enumerated() { exprs.append(try analyze(f, tail: tail && i == forms.count - 1)) }
        return exprs.count == 1 ? exprs[0] : .doExpr(exprs)
    }

    private mutating func bindings(_ form: Form, _ what: String, at: SourceLocation) throws(LispError) -> [(Int, Expr)] {
        guard case .vector(let items) = form.kind else { throw error(form.location, "\(what) requires a vector for its binding") }
        guard items.count % 2 == 0 else { throw error(form.location, "\(what) requires an even number of forms in binding vector") }
        var result: [(Int, Expr)] = []
        for i in stride(from: 0, to: items.count, by: 2) {
            let value = try analyze(items[i + 1], tail: false)
            try destructure(items[i], from: value, into: &result)
        }
        return result
    }

    private mutating func analyzeLet(_ items: [Form], tail: Bool, at: SourceLocation) throws(LispError) -> Expr {
        guard items.count >= 2 else { throw error(at, "let requires a vector for its binding") }
        contexts[contexts.count - 1].scopes.append([:])
        defer { contexts[contexts.count - 1].scopes.removeLast() }
        let bound = try bindings(items[1], "let", at: at)
        return .bind(bound, try body(Array(items.dropFirst(2)), tail: tail, at: at))
    }

    private mutating func analyzeLoop(_ items: [Form], tail: Bool, at: SourceLocation) throws(LispError) -> Expr {
        guard items.count >= 2 else { throw error(at, "loop requires a vector for its binding") }
        contexts[contexts.count - 1].scopes.append([:])
        defer { contexts[contexts.count - 1].scopes.removeLast() }
        guard case .vector(let pairs) = items[1].kind else { throw error(items[1].location, "loop requires a vector for its binding") }
        guard pairs.count % 2 == 0 else { throw error(items[1].location, "loop requires an even number of forms in binding vector") }
        // A destructuring pattern gets a loop variable of its own (what recur
        // sets), destructured at the top of every iteration.
        var bound: [(Int, Expr)] = []
        var patterns: [(Form, Int)] = []
        for i in stride(from: 0, to: pairs.count, by: 2) {
            let value = try analyze(pairs[i + 1], tail: false)
            if pairs[i].symbolName != nil {
                try destructure(pairs[i], from: value, into: &bound)
            } else {
                let variable = newLocal(nil)
                bound.append((variable, value))
                patterns.append((pairs[i], variable))
            }
        }
        var destructured: [(Int, Expr)] = []
        for (pattern, variable) in patterns { try destructure(pattern, from: .local(variable), into: &destructured) }
        loopCount += 1
        let id = loopCount
        contexts[contexts.count - 1].recurTargets.append((.loop(id), bound.count))
        defer { contexts[contexts.count - 1].recurTargets.removeLast() }
        // The body of a loop is a tail position for its own recur.
        let loopBody = try body(Array(items.dropFirst(2)), tail: true, at: at)
        return .loop(id, bound, destructured.isEmpty ? loopBody : .bind(destructured, loopBody))
    }

    private mutating func analyzeRecur(_ items: [Form], tail: Bool, at: SourceLocation) throws(LispError) -> Expr {
        guard tail else { throw error(at, "Can only recur from tail position") }
        guard let (target, count) = contexts[contexts.count - 1].recurTargets.last else {
            throw error(at, "recur outside of a loop or fn")
        }
        let n = items.count - 1
        guard n == count else { throw error(at, "Mismatched argument count to recur, expected: \(count) args, got: \(n)") }
        return .recur(target, try items.dropFirst().map { (f) throws(LispError) in try analyze(f, tail: false) })
    }

    // MARK: functions

    private mutating func analyzeFn(_ items: [Form], defName: String?, at: SourceLocation) throws(LispError) -> FnExpr {
        var rest = Array(items.dropFirst())
        var selfName: String? = nil
        if let first = rest.first, let name = first.symbolName {
            selfName = name
            rest.removeFirst()
        }
        fnCount += 1
        let fn = FnExpr(id: fnCount, name: qualified(defName ?? selfName ?? "fn"))
        fn.location = at
        fn.file = file
        var arityForms: [(Form, [Form])] = []
        if let first = rest.first, case .vector = first.kind {
            arityForms = [(first, Array(rest.dropFirst()))]
        } else {
            for f in rest {
                guard case .list(let parts) = f.kind, let params = parts.first, case .vector = params.kind else {
                    throw error(f.location, "Parameter declaration missing: expected [params] or ([params] body)")
                }
                arityForms.append((params, Array(parts.dropFirst())))
            }
        }
        if arityForms.isEmpty { throw error(at, "Parameter declaration missing") }
        var seen = Set<Int>()
        var variadicSeen = false
        for (params, bodyForms) in arityForms {
            contexts.append(Context(fn: fn, selfName: selfName))
            defer { contexts.removeLast() }
            guard case .vector(let names) = params.kind else { throw error(params.location, "Parameter declaration must be a vector") }
            var fixed: [Int] = []
            var restLocal: Int? = nil
            var patterns: [(Form, Int)] = []
            /// A parameter: its local, named or (for a pattern, destructured in the body) not.
            func parameter(_ form: Form) -> Int {
                if let name = form.symbolName { return newLocal(name, tag: form.tag) }
                let local = newLocal(nil)
                patterns.append((form, local))
                return local
            }
            var i = 0
            while i < names.count {
                if names[i].symbolName == "&" {
                    guard i + 2 == names.count, names[i + 1].symbolName != "&" else {
                        throw error(names[i].location, "Invalid parameter list: & must be followed by exactly one name")
                    }
                    restLocal = parameter(names[i + 1])
                    break
                }
                fixed.append(parameter(names[i]))
                i += 1
            }
            var destructured: [(Int, Expr)] = []
            for (pattern, local) in patterns { try destructure(pattern, from: .local(local), into: &destructured) }
            if fixed.count > 20 { throw error(params.location, "fns with more than 20 parameters are not supported") }
            if restLocal != nil {
                if variadicSeen { throw error(params.location, "Can't have more than 1 variadic overload") }
                variadicSeen = true
            } else if !seen.insert(fixed.count).inserted {
                throw error(params.location, "Can't have 2 overloads with same arity")
            }
            contexts[contexts.count - 1].recurTargets.append((.arity, fixed.count + (restLocal == nil ? 0 : 1)))
            var b = try body(bodyForms, tail: true, at: params.location)
            if !destructured.isEmpty { b = .bind(destructured, b) }
            let context = contexts[contexts.count - 1]
            fn.arities.append(FnArity(parameters: fixed, rest: restLocal, localCount: context.localCount, body: b,
                                      localTags: context.localTags))
        }
        return fn
    }

    // MARK: names

    mutating func newLocal(_ name: String?, tag: String? = nil) -> Int {
        let c = contexts.count - 1
        let id = contexts[c].localCount
        contexts[c].localCount += 1
        if let tag { contexts[c].localTags[id] = tag }
        if let name { contexts[c].scopes[contexts[c].scopes.count - 1][name] = id }
        return id
    }

    private func lookupLocal(_ name: String) -> Int? {
        for scope in contexts[contexts.count - 1].scopes.reversed() { if let l = scope[name] { return l } }
        return nil
    }

    /// Whether `name` is bound by an enclosing function (so it shadows globals and intrinsics).
    private func lookupOuter(_ name: String) -> Bool {
        for c in contexts.reversed() {
            if c.selfName == name { return true }
            for scope in c.scopes where scope[name] != nil { return true }
        }
        return false
    }

    private mutating func capture(_ name: String, depth d: Int) -> CaptureSource? {
        for scope in contexts[d].scopes.reversed() { if let l = scope[name] { return .local(l) } }
        if contexts[d].selfName == name { return .selfReference }
        guard let fn = contexts[d].fn else { return nil }
        if let i = fn.captureNames.firstIndex(of: name) { return .captured(i) }
        guard d > 0, let outer = capture(name, depth: d - 1) else { return nil }
        // Every arity context of this fn shares the FnExpr, so captures are per closure.
        fn.captures.append(outer)
        fn.captureNames.append(name)
        return .captured(fn.captures.count - 1)
    }

    private mutating func resolve(_ name: String, at: SourceLocation) throws(LispError) -> Expr {
        if let source = capture(name, depth: contexts.count - 1) {
            switch source {
            case .local(let l): return .local(l)
            case .captured(let i): return .captured(i)
            case .selfReference: return .selfReference
            }
        }
        if globals.contains(qualified(name)) { return .global(qualified(name), at) }
        if globals.contains("clojure.core/" + name) { return .global("clojure.core/" + name, at) }
        if Intrinsic.all[name] != nil, !name.hasPrefix("%") {
            throw error(at, "\(name) is a core function compiled inline; using it as a value is not supported yet")
        }
        throw error(at, "Unable to resolve symbol: \(name) in this context")
    }

    private func expectCount(_ items: [Form], _ n: Int, _ what: String, _ at: SourceLocation) throws(LispError) {
        if items.count != n { throw error(at, "Wrong number of args (\(items.count - 1)) passed to \(what)") }
    }

    func error(_ at: SourceLocation, _ message: String) -> LispError {
        LispError(file: file, location: at, message: message)
    }
}
