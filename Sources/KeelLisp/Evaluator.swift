/// A tree-walking evaluator of KeelLisp, the oracle of `keel fuzz --lisp`:
/// it shares the reader and the analyzer (special forms and macros resolved
/// into `Expr`) with the compiler, but nothing after: no code generation,
/// no C runtime. Core functions are its own Swift implementations
/// (EvalIntrinsics.swift, EvalCore.swift); the core library's KeelLisp
/// definitions are evaluated only for names it does not implement. Calls in
/// tail position are trampolined, so tail loops run in constant stack as
/// natively; deep non-tail recursion needs the large stack `LispEvaluator`
/// gives it.
final class Evaluator {
    var globals: [String: EvalValue] = [:]
    var output = ""
    /// Evaluation steps left before the evaluator gives up (a guard against
    /// programs that do not terminate).
    var budget: Int

    init(budget: Int, globalTags: [String: String] = [:]) {
        self.budget = budget
        self.globalTags = globalTags
    }

    /// The type hints of defs (`(def ^longs t ...)`), by qualified name.
    let globalTags: [String: String]

    /// One activation: the locals of a fn arity (or of the top level) and the closure running.
    final class Frame {
        var locals: [EvalValue]
        let closure: EvalFn?
        /// The type hints of the arity's locals (`^doubles a`).
        var tags: [Int: String] = [:]
        init(count: Int, closure: EvalFn?) {
            locals = Array(repeating: .nil_, count: count)
            self.closure = closure
        }
    }

    /// What evaluating an expression in tail position may leave to its caller.
    enum Flow {
        case value(EvalValue)
        case recur([EvalValue])
        case tailCall(EvalValue, [EvalValue])
    }

    func runProgram(_ body: [Expr], localCount: Int, arguments: [String]) throws(EvalStop) -> Int32 {
        let top = Frame(count: localCount, closure: nil)
        for e in body { _ = try value(e, top) }
        guard let main = globals["user/-main"] else { return 0 }
        let args = arguments.isEmpty ? EvalValue.nil_ : EvalValue.list(of: arguments.map { .string($0) })
        let result = try applyMain(main, args)
        if case .int(let n) = result { return Int32(UInt8(truncatingIfNeeded: n)) }
        return 0
    }

    /// -main with the argument list: its variadic arity, else its 0-argument one when there are no arguments.
    private func applyMain(_ main: EvalValue, _ args: EvalValue) throws(EvalStop) -> EvalValue {
        guard case .fn(let f) = main else { throw EvalStop.runtime(kind: "ClassCastException", message: "\(main.typeName) cannot be cast to clojure.lang.IFn") }
        if let expr = f.expr, let variadic = expr.arities.first(where: { $0.rest != nil }) {
            let frame = Frame(count: variadic.localCount, closure: f)
            if let rest = variadic.rest { frame.locals[rest] = args }
            let fixed = variadic.parameters.count
            if fixed > 0 { throw EvalStop.unsupported("-main with fixed parameters before & args") }
            return try runArity(variadic, frame)
        }
        if case .nil_ = args { return try invoke(main, []) }
        return try invoke(main, (args.sequentialItems ?? []))
    }

    func tick() throws(EvalStop) {
        budget -= 1
        if budget < 0 { throw EvalStop.unsupported("evaluation step limit reached (the program may not terminate)") }
    }

    /// The value of `e` (not in tail position).
    func value(_ e: Expr, _ frame: Frame) throws(EvalStop) -> EvalValue {
        switch try eval(e, frame, tail: false) {
        case .value(let v): return v
        case .recur, .tailCall: throw EvalStop.unsupported("recur or tail call outside tail position")
        }
    }

    func eval(_ e: Expr, _ frame: Frame, tail: Bool) throws(EvalStop) -> Flow {
        try tick()
        switch e {
        case .constant(let form):
            return .value(EvalValue(form: form))
        case .local(let i):
            return .value(frame.locals[i])
        case .captured(let i):
            return .value(frame.closure!.captured[i])
        case .selfReference:
            return .value(.fn(frame.closure!))
        case .global(let name, _):
            guard let v = globals[name] else {
                throw EvalStop.runtime(kind: "IllegalStateException", message: "Attempting to call unbound fn: #'\(name)")
            }
            return .value(v)
        case .ifExpr(let test, let then, let otherwise):
            return try eval(try value(test, frame).truthy ? then : otherwise, frame, tail: tail)
        case .doExpr(let xs):
            for x in xs.dropLast() { _ = try value(x, frame) }
            return try eval(xs.last!, frame, tail: tail)
        case .bind(let bindings, let body):
            for (local, x) in bindings { frame.locals[local] = try value(x, frame) }
            return try eval(body, frame, tail: tail)
        case .loop(_, let bindings, let body):
            for (local, x) in bindings { frame.locals[local] = try value(x, frame) }
            while true {
                switch try eval(body, frame, tail: true) {
                case .recur(let values):
                    for ((local, _), v) in zip(bindings, values) { frame.locals[local] = v }
                case .tailCall(let f, let args):
                    if tail { return .tailCall(f, args) }
                    return .value(try invoke(f, args))
                case .value(let v):
                    return .value(v)
                }
            }
        case .recur(_, let args):
            var values: [EvalValue] = []
            for a in args { values.append(try value(a, frame)) }
            return .recur(values)
        case .fn(let fn):
            var captured: [EvalValue] = []
            for c in fn.captures {
                switch c {
                case .local(let l): captured.append(frame.locals[l])
                case .captured(let i): captured.append(frame.closure!.captured[i])
                case .selfReference: captured.append(.fn(frame.closure!))
                }
            }
            return .value(.fn(EvalFn(expr: fn, captured: captured)))
        case .def(let name, let x):
            globals[name] = try definition(name, x, frame)
            return .value(.nil_)
        case .call(let callee, let args, _):
            let f = try value(callee, frame)
            var values: [EvalValue] = []
            for a in args { values.append(try value(a, frame)) }
            if tail { return .tailCall(f, values) }
            return .value(try invoke(f, values))
        case .intrinsic(let i, let args, _):
            var values: [EvalValue] = []
            for a in args { values.append(try value(a, frame)) }
            if ["aget", "aset", "alength"].contains(i.name) { try checkClaim(args[0], values[0], frame) }
            return .value(try intrinsic(i.name, values))
        case .vectorOf(let xs):
            var values: [EvalValue] = []
            for x in xs { values.append(try value(x, frame)) }
            return .value(.vector(values))
        case .mapOf(let xs):
            var values: [EvalValue] = []
            for x in xs { values.append(try value(x, frame)) }
            return .value(try intrinsic("hash-map", values))
        case .setOf(let xs):
            var values: [EvalValue] = []
            for x in xs { values.append(try value(x, frame)) }
            return .value(try intrinsic("hash-set", values))
        case .noMatchingClause(let x, _):
            let v = try value(x, frame)
            throw EvalStop.runtime(kind: "IllegalArgumentException", message: "No matching clause: " + v.printed(readably: true))
        case .throwValue(let x, _):
            let v = try value(x, frame)
            if case .map(let kv) = v, let flag = EvalValue.lookup(kv, .keyword("keel/exception")), flag.truthy {
                let message = (EvalValue.lookup(kv, .keyword("message")) ?? .nil_).printed(readably: false)
                let data = (EvalValue.lookup(kv, .keyword("data")) ?? .nil_).printed(readably: true)
                throw EvalStop.runtime(kind: "ExceptionInfo", message: message + " " + data)
            }
            throw EvalStop.runtime(kind: "Exception", message: v.printed(readably: true))
        }
    }

    /// A global's value: the core library's functions this evaluator
    /// implements itself replace their KeelLisp definitions.
    private func definition(_ name: String, _ x: Expr, _ frame: Frame) throws(EvalStop) -> EvalValue {
        if name.hasPrefix("clojure.core/"), let native = coreFunction(String(name.dropFirst("clojure.core/".count))) {
            return .fn(native)
        }
        return try value(x, frame)
    }

    /// Calls `f` with `args`, following tail calls until a value comes back.
    func invoke(_ f: EvalValue, _ args: [EvalValue]) throws(EvalStop) -> EvalValue {
        var (f, args) = (f, args)
        while true {
            try tick()
            guard case .fn(let fn) = f else { return try invokeData(f, args) }
            if let native = fn.native { return try native(self, args) }
            let expr = fn.expr!
            let arity: FnArity
            if let fixed = expr.arities.first(where: { $0.rest == nil && $0.parameters.count == args.count }) {
                arity = fixed
            } else if let variadic = expr.arities.first(where: { $0.rest != nil }), args.count >= variadic.parameters.count {
                arity = variadic
            } else {
                throw EvalStop.runtime(kind: "ArityException", message: "Wrong number of args (\(args.count)) passed to: \(fn.name)")
            }
            let frame = Frame(count: arity.localCount, closure: fn)
            frame.tags = arity.localTags
            for (local, v) in zip(arity.parameters, args) { frame.locals[local] = try primitive(v, arity, local) }
            if let rest = arity.rest {
                let extra = Array(args.dropFirst(arity.parameters.count))
                frame.locals[rest] = extra.isEmpty ? .nil_ : .list(of: extra)
            }
            switch try runArityFlow(arity, frame) {
            case .value(let v): return v
            case .tailCall(let g, let a): (f, args) = (g, a)
            case .recur: throw EvalStop.unsupported("recur escaped its fn")
            }
        }
    }

    private func runArity(_ arity: FnArity, _ frame: Frame) throws(EvalStop) -> EvalValue {
        switch try runArityFlow(arity, frame) {
        case .value(let v): return v
        case .tailCall(let g, let a): return try invoke(g, a)
        case .recur: throw EvalStop.unsupported("recur escaped its fn")
        }
    }

    /// The body of an arity, looping on `recur` to it.
    private func runArityFlow(_ arity: FnArity, _ frame: Frame) throws(EvalStop) -> Flow {
        while true {
            let flow = try eval(arity.body, frame, tail: true)
            guard case .recur(let values) = flow else { return flow }
            let targets = arity.parameters + (arity.rest.map { [$0] } ?? [])
            for (local, v) in zip(targets, values) { frame.locals[local] = try primitive(v, arity, local) }
        }
    }

    /// Where aget, aset or alength use an array whose kind a type hint claims,
    /// Clojure casts it: an array of another kind is a ClassCastException.
    private func checkClaim(_ e: Expr, _ v: EvalValue, _ frame: Frame) throws(EvalStop) {
        let tag: String?
        switch e {
        case .local(let l): tag = frame.tags[l]
        case .global(let name, _): tag = globalTags[name]
        default: tag = nil
        }
        guard let tag, let claimed = StaticType(tag: tag)?.className, case .array(let a) = v else { return }
        if a.typeName != claimed {
            throw EvalStop.runtime(kind: "ClassCastException", message: "class \(a.typeName) cannot be cast to class \(claimed)")
        }
    }

    /// An argument for parameter `local` of `arity`: converted as `double`
    /// or `long` converts it when the parameter is hinted `^double` or `^long`
    /// (a primitive parameter, as in Clojure).
    private func primitive(_ v: EvalValue, _ arity: FnArity, _ local: Int) throws(EvalStop) -> EvalValue {
        guard let type = StaticTypes.primitiveParameter(arity, local) else { return v }
        return try intrinsic(type == .double ? "double" : "long", [v])
    }

    /// Keywords, maps and sets called with a key, vectors with an index (kl_invoke_data).
    private func invokeData(_ f: EvalValue, _ args: [EvalValue]) throws(EvalStop) -> EvalValue {
        let n = args.count
        switch f {
        case .keyword where n == 1 || n == 2:
            return try intrinsic("get", [args[0], f] + args.dropFirst())
        case .map where n == 1 || n == 2, .set where n == 1 || n == 2:
            return try intrinsic("get", [f] + args)
        case .vector where n == 1:
            return try intrinsic("nth", [f, args[0]])
        case .keyword, .map, .set, .vector:
            throw EvalStop.runtime(kind: "ArityException", message: "Wrong number of args (\(n)) passed to: \(f.typeName)")
        default:
            throw EvalStop.runtime(kind: "ClassCastException", message: "\(f.typeName) cannot be cast to clojure.lang.IFn")
        }
    }
}

