import Keel

/// Lowers analyzed KeelLisp to Keel IR through the builder API (variables
/// in, SSA out). Every KeelLisp value is one IL `r` word (RuntimeFunctions.swift
/// gives the encoding). One IL function per fn arity; closures are REFS
/// objects [info | 1, captured...]; calls through unknown values go through
/// `kl_invoke_N` helpers emitted once per argument count; globals and
/// constants live in root cells registered at start-up. docs/lisp.md.
struct CodeGenerator {
    var module = Module()
    let file: String
    var b: FunctionBuilder
    var locals: [Variable] = []
    var selfRef: Ref = .none
    /// Each loop's header and the variables `recur` writes (unboxed: a double local's).
    var loopTargets: [Int: (BlockID, [RecurSlot])] = [:]
    var arityTarget: (BlockID, [RecurSlot])? = nil
    var pendingFns: [FnExpr] = []
    /// Whether the program applies functions to argument lists (`kl_apply` is emitted).
    var usesApply = false
    /// The fn a top-level `defn` gives each global: calls to it are direct
    /// while the global still holds a closure of that fn (guarded).
    var knownFns: [String: FnExpr] = [:]
    /// The globals that only ever hold one closure (ConstantFns): calls to
    /// them are direct with no guard.
    var constantFns: [String: FnExpr] = [:]
    /// The globals bound before any code can read one (ConstantFns): read with no unbound check.
    var alwaysBound: Set<String> = []
    /// While an inlined leaf fn's body is generated: where its fallible
    /// runtime calls jump instead (LeafInlining.swift).
    var bailout: BlockID? = nil
    /// Values of the function being generated that are known to be fixnums
    /// (FixnumFacts.swift), so no fixnum test checks them again.
    var knownFixnums = FixnumFacts()
    /// The fn whose arity is being generated (nil at the top level).
    var currentFn: FnExpr? = nil
    var invokeArities: Set<Int> = []
    /// The static types of the current function's locals, and the unboxed
    /// variables of its double and long locals (StaticTypes.swift, CodeGenerator+Unboxed).
    var staticTypes = StaticTypes()
    var unboxedLocals: [Int: Variable] = [:]
    /// What code that dominates the code being generated has tested or computed.
    var facts = DominatingFacts()
    /// The array kinds defs claim with a type hint (`(def ^longs t ...)`).
    var globalTypes: [String: StaticType] = [:]
    var globalCells: [String: String] = [:]
    var rootCells: [String] = []
    var constantCells: [(cell: String, form: Form)] = []
    var cStrings: [String: String] = [:]
    /// The source position of the call being generated: for diagnostics,
    /// and attached to the instructions emitted from now on.
    var position = SourceLocation(line: 0, column: 0) {
        didSet { b.position = SourcePosition(line: position.line, column: position.column) }
    }
    /// Every function in emission (text) order, with the KeelLisp function it
    /// belongs to (nil for helpers): the table backtraces read.
    var emitted: [(symbol: String, name: String?, file: String, line: Int)] = []

    /// A REPL input instead of a program: its entry `r $NAME()` returns the
    /// value of its last form; its global cells are exported for later
    /// inputs, and cells defined by earlier ones are only referenced.
    let replEntry: String?

    init(file: String, replEntry: String? = nil, sessionCells: [String: String] = [:]) {
        self.file = file
        self.replEntry = replEntry
        globalCells = sessionCells
        b = FunctionBuilder(name: replEntry ?? "kl_program_main", returnType: .base(replEntry == nil ? .l : .r),
                            linkage: Linkage(export: true), in: &module)
        b.fileName = file
        b.layoutFollowsEmission = true
    }

    /// Starts fn-like IL function `name` (returns r) in `b`: errors name the
    /// program's file, and blocks are laid out as their code is emitted.
    mutating func startFunction(_ name: String) {
        b = FunctionBuilder(name: name, returnType: .base(.r), in: &module)
        b.fileName = file
        b.layoutFollowsEmission = true
    }

    // MARK: the program

    /// The whole module: kl_program_main (roots, constants, top-level forms, -main) and every fn.
    mutating func generateProgram(_ body: [Expr], localCount: Int, globals: Set<String>) throws(LispError) -> Module {
        for case .def(let name, .fn(let fn)) in body where knownFns[name] == nil { knownFns[name] = fn }
        let program = replEntry == nil
        if program { (constantFns, alwaysBound) = (ConstantFns.find(in: body), ConstantFns.alwaysBound(in: body)) }
        let argc = program ? b.addParameter(.base(.l), name: "argc") : .none
        let argv = program ? b.addParameter(.base(.l), name: "argv") : .none
        locals = (0..<localCount).map { b.declareVariable(.r, name: "t\($0)") }
        if !body.isEmpty { useStaticTypes(StaticTypes.infer(.doExpr(body), globals: globalTypes, leafFns: constantFns, tags: [:])) }
        // The constants are built before the body runs, but the body decides
        // which exist: it is generated first, into its own block.
        let constantsBlock = b.createBlock("constants")
        let bodyBlock = b.createBlock("body")
        b.switchTo(bodyBlock)
        var reached = true
        var last = b.integer(Value.nilValue)
        for e in body where reached {
            if let v = try gen(e) { last = v } else { reached = false }
        }
        if reached {
            if program { callMain(argc: argc, argv: argv, defined: globals.contains("user/-main")) } else { b.ret(last) }
        }
        // Every fn next (they may add constants, which the start-up code builds).
        let mainBuilder = b
        while let fn = pendingFns.popLast() { try generateFn(fn) }
        if usesApply { try generateApply() }
        for n in invokeArities.sorted() { try generateInvoke(n) }
        b = mainBuilder
        // Entry: register the roots before anything allocates, then build the constants.
        b.switchTo(b.entry)
        if !rootCells.isEmpty {
            b.call(symbol("keel_global_roots"), returnType: nil,
                   arguments: [CallArgument(type: .base(.l), value: symbol("kl_roots")),
                               CallArgument(type: .base(.l), value: b.integer(Int64(rootCells.count)))])
        }
        b.jump(constantsBlock)
        b.sealBlock(constantsBlock)
        b.switchTo(constantsBlock)
        for (cell, form) in constantCells {
            let v = buildConstant(form)
            b.call(symbol("kl_set_root"), returnType: nil,
                   arguments: [CallArgument(type: .base(.l), value: symbol(cell)), rArg(v)])
        }
        b.jump(bodyBlock)
        b.sealBlock(bodyBlock)
        try finishFunction(lispName: "top level", line: 0)
        // The end of the module's text, for the backtrace table's last range.
        b = FunctionBuilder(name: "kl_text_end", returnType: nil, linkage: Linkage(export: program), in: &module)
        b.ret()
        try finishFunction()
        emitData(globals: globals)
        return module
    }

    mutating func finishFunction(lispName: String? = nil, sourceFile: String? = nil, line: Int = 0) throws(LispError) {
        emitted.append((module.symbols[b.function.name], lispName, sourceFile ?? file, line))
        do {
            module.addFunction(try b.finish())
        } catch {
            throw LispError(file: file, location: position,
                            message: "internal compiler error: " + error.diagnostics.map(\.message).joined(separator: "; "))
        }
    }

    /// One IL function per arity: `r $kl_fnID_N(r self, r a1 ... r aN)`, and
    /// for the variadic arity `r $kl_fnID_v(r self, r all-arguments-list)`.
    mutating func generateFn(_ fn: FnExpr) throws(LispError) {
        var fixed = [String?](repeating: nil, count: RuntimeFunctions.maxFixedArity + 1)
        var variadic: String? = nil
        var required = 0
        for arity in fn.arities {
            let name = "kl_fn\(fn.id)_" + (arity.rest == nil ? "\(arity.parameters.count)" : "v")
            if arity.rest == nil { fixed[arity.parameters.count] = name } else {
                variadic = name
                required = arity.parameters.count
            }
            if SpeculativeArities.applies(to: arity, of: fn, constantFns: constantFns) {
                try generateArity(fn, arity, name: Self.generalArity(name))
                try generateSpeculativeArity(fn, arity, name: name)
            } else {
                try generateArity(fn, arity, name: name)
            }
        }
        let info = module.symbols.intern("kl_fninfo\(fn.id)")
        let nameString = module.symbols.intern(cString(fn.name))
        func code(_ name: String?) -> DataValue {
            name.map { .symbol(module.symbols.intern($0), offset: 0) } ?? .integer(0)
        }
        module.addData(DataDefinition(name: info, alignment: 8, items: [.values(.l,
            [.symbol(nameString, offset: 0), .integer(Int64(required)), code(variadic)] + fixed.map(code))]))
    }

    /// Starts IL function `name` for `arity` of `fn`: `self`, the locals,
    /// and for a fixed arity its parameters, written to their locals and
    /// returned (a variadic arity's come from its argument list).
    mutating func beginArity(_ fn: FnExpr, _ arity: FnArity, name: String) -> [Ref] {
        startFunction(name)
        loopTargets = [:]
        arityTarget = nil
        currentFn = fn
        selfRef = b.addParameter(.base(.r), name: "self")
        locals = (0..<arity.localCount).map { b.declareVariable(.r, name: "t\($0)") }
        useStaticTypes(StaticTypes.infer(arity.body, globals: globalTypes, leafFns: constantFns, tags: arity.localTags,
                                         parameters: arity.parameters))
        guard arity.rest == nil else { return [] }
        return arity.parameters.map { p in
            let value = b.addParameter(.base(.r), name: "p\(p)")
            b.write(locals[p], value)
            return value
        }
    }

    /// Ends the function of an arity of `fn`; backtraces name `fn` at its line.
    mutating func finishArity(_ fn: FnExpr) throws(LispError) {
        try finishFunction(lispName: fn.name, sourceFile: fn.file, line: fn.location.line)
    }

    /// Arity `arity` of `fn` as the IL function `name`.
    mutating func generateArity(_ fn: FnExpr, _ arity: FnArity, name: String) throws(LispError) {
        _ = beginArity(fn, arity, name: name)
        var parameterVariables = arity.parameters.map { locals[$0] }
        if let rest = arity.rest {
            let all = b.addParameter(.base(.r), name: "args")
            var list = all
            for p in arity.parameters {
                b.write(locals[p], callR("kl_first", [list]))
                list = callR("kl_rest", [list])
            }
            b.write(locals[rest], callR("kl_seq", [list]))
            parameterVariables.append(locals[rest])
        }
        // A parameter hinted `^double` or `^long` is converted once, as Clojure's primitive fns convert.
        var targets = parameterVariables.map { RecurSlot(variable: $0, unboxed: nil) }
        for (k, p) in arity.parameters.enumerated() {
            guard let v = unboxedLocals[p], let type = staticTypes.locals[p] else { continue }
            b.write(v, unboxConverted(b.read(locals[p]), type))
            targets[k] = RecurSlot(variable: v, unboxed: type)
        }
        let header = b.createBlock("body")
        b.jump(header)
        b.switchTo(header)
        arityTarget = (header, targets)
        precheckArrays(arity.parameters)
        precheckGlobalArrays(arity.body)
        // The body is in tail position: its calls replace this frame.
        if let v = try gen(arity.body, tail: true) { b.ret(v) }
        b.sealBlock(header)
        try finishArity(fn)
    }

    /// The value of `e`, or nil when control does not continue (after recur,
    /// or after a tail call). With `tail`, `e` is the value the current fn
    /// arity returns, and a call there is a `tailcall` (docs/lisp.md).
    mutating func gen(_ e: Expr, tail: Bool = false) throws(LispError) -> Ref? {
        switch e {
        case .constant(let form):
            return constant(form)
        case .local(let l):
            return readLocal(l)
        case .captured(let i):
            let p = b.emit(.add, .l, selfRef, b.integer(Int64(16 + 8 * (1 + i))))
            return b.emit(.loadr, .r, p)
        case .selfReference:
            return selfRef
        case .global(let name, let at):
            return readGlobal(name, at: at)
        case .ifExpr(let test, let then, let otherwise):
            return try genIf(test, then, otherwise, .r) { (g: inout CodeGenerator, x: Expr) throws(LispError) -> Ref? in
                try g.gen(x, tail: tail)
            }
        case .doExpr(let exprs):
            for x in exprs.dropLast() { guard try genEffect(x) else { return nil } }
            return try gen(exprs[exprs.count - 1], tail: tail)
        case .bind(let bindings, let body):
            guard try bindLocals(bindings) else { return nil }
            precheckArrays(bindings.map(\.0))
            return try gen(body, tail: tail)
        case .loop(let id, let bindings, let body):
            guard try enterLoop(id, bindings) else { return nil }
            // A loop in tail position returns its body's value: a call there is a tail call too.
            let v = try gen(body, tail: tail)
            b.sealBlock(loopTargets[id]!.0)
            return v
        case .recur(let target, let args):
            let (header, slots): (BlockID, [RecurSlot])
            switch target {
            case .loop(let id): (header, slots) = loopTargets[id]!
            case .arity: (header, slots) = arityTarget!
            }
            var values: [Ref] = []
            for (x, slot) in zip(args, slots) {
                // A loop's unboxed local is only ever given its type; a `^double` or `^long` parameter converts.
                if let type = slot.unboxed, staticTypes.of(x) == type {
                    guard let v = try genUnboxed(x, type) else { return nil }
                    values.append(v)
                } else {
                    guard let v = try gen(x) else { return nil }
                    values.append(slot.unboxed.map { unboxConverted(v, $0) } ?? v)
                }
            }
            for (slot, v) in zip(slots, values) { b.write(slot.variable, v) }
            b.jump(header)
            return nil
        case .fn(let fn):
            return makeClosure(fn)
        case .def(let name, let x):
            guard let v = try gen(x) else { return nil }
            b.call(symbol("kl_set_root"), returnType: nil,
                   arguments: [CallArgument(type: .base(.l), value: symbol(globalCell(name))), rArg(v)])
            return b.integer(Value.nilValue)
        case .call(let callee, let args, let at):
            position = at
            if bailout == nil, let type = staticTypes.of(e) {
                guard let v = try genUnboxed(e, type) else { return nil }
                return boxed(v, type)
            }
            guard let f = try gen(callee) else { return nil }
            var values: [Ref] = []
            for x in args {
                guard let v = try gen(x) else { return nil }
                values.append(v)
            }
            // A named fn calling itself with an arity it has: a direct call.
            // In tail position, a tail call when the arguments fit in registers.
            let asTail = tail && values.count + 1 <= Self.maxTailArguments
            if case .selfReference = callee, let fn = currentFn,
               fn.arities.contains(where: { $0.rest == nil && $0.parameters.count == values.count }) {
                return callR("kl_fn\(fn.id)_\(values.count)", [f] + values, tail: asTail)
            }
            if case .global(let name, _) = callee, let fn = knownFns[name],
               fn.arities.contains(where: { $0.rest == nil && $0.parameters.count == values.count }) {
                if constantFns[name] === fn {
                    // `f` is bound (its read checked), so it is fn's closure.
                    if let arity = LeafInlining.arity(of: fn, arguments: values.count) {
                        // In a speculative arity, the leaf's bailout is the arity's own.
                        if bailout != nil { return try genLeafBody(arity, values) }
                        return try inlineLeaf(fn, arity, f, values, tail: asTail)
                    }
                    return callR("kl_fn\(fn.id)_\(values.count)", [f] + values, tail: asTail)
                }
                return guardedDirectCall(fn, f, values, tail: asTail)
            }
            invokeArities.insert(values.count)
            return callR("kl_invoke_\(values.count)", [f] + values, tail: asTail)
        case .intrinsic(let intrinsic, let args, let at):
            position = at
            if let type = staticTypes.of(e), type.isUnboxed, staticTypes.computesUnboxed(intrinsic.name, args) {
                guard let v = try genUnboxed(e, type) else { return nil }
                return boxed(v, type)
            }
            if bailout == nil {
                if let access = try claimedArrayAccess(intrinsic, args) { return access }
                if let (tree, leaves) = DoubleTree.of(e) { return try genDoubleTree(tree, leaves) }
            }
            var values: [Ref] = []
            for x in args {
                guard let v = try gen(x) else { return nil }
                values.append(v)
            }
            return try intrinsicValue(intrinsic, values, at: at)
        case .vectorOf(let items):
            guard let values = try genAll(items) else { return nil }
            return allocVector(values)
        case .mapOf(let items):
            guard let values = try genAll(items) else { return nil }
            return callR("kl_map_from", [allocVector(values)])
        case .setOf(let items):
            guard let values = try genAll(items) else { return nil }
            return callR("kl_set_from", [allocVector(values)])
        case .throwValue(let x, let at):
            position = at
            guard let v = try gen(x) else { return nil }
            fail("kl_throw", [rArg(v)])
            return nil
        case .noMatchingClause(let x, let at):
            position = at
            guard let v = try gen(x) else { return nil }
            fail("kl_case_error", [rArg(v)])
            return nil
        }
    }

    /// `(if test then otherwise)`, each branch's value (of IL class `type`)
    /// made by `branch`; nil when control continues after neither. What a
    /// branch found out (facts) does not hold after the join.
    mutating func genIf(_ test: Expr, _ then: Expr, _ otherwise: Expr, _ type: BaseType,
                        _ branch: (inout CodeGenerator, Expr) throws(LispError) -> Ref?) throws(LispError) -> Ref? {
        guard let cond = try genTest(test) else { return nil }
        let result = b.declareVariable(type, name: "if")
        let t = b.createBlock("then"), f = b.createBlock("else"), join = b.createBlock("join")
        b.branch(cond, t, f)
        b.sealBlock(t)
        b.sealBlock(f)
        var reached = false
        let saved = facts
        defer { facts = saved }
        for (block, x) in [(t, then), (f, otherwise)] {
            b.switchTo(block)
            facts = saved
            if let v = try branch(&self, x) {
                b.write(result, v)
                b.jump(join)
                reached = true
            }
        }
        b.sealBlock(join)
        b.switchTo(join)
        if !reached {
            b.halt()
            return nil
        }
        return b.read(result)
    }

    mutating func genAll(_ items: [Expr]) throws(LispError) -> [Ref]? {
        var values: [Ref] = []
        for x in items {
            guard let v = try gen(x) else { return nil }
            values.append(v)
        }
        return values
    }

    /// A `w` that is non-zero when `e` is truthy (neither nil nor false);
    /// predicates give theirs directly, without making a boolean value.
    mutating func genTest(_ e: Expr) throws(LispError) -> Ref? {
        if case .intrinsic(let intrinsic, let args, let at) = e {
            position = at
            if let w = try unboxedComparison(intrinsic, args) { return w }
            guard let values = try genAll(args) else { return nil }
            if let w = try intrinsicTest(intrinsic, values, at: at) { return w }
            return truthy(try intrinsicValue(intrinsic, values, at: at))
        }
        guard let v = try gen(e) else { return nil }
        return truthy(v)
    }

    /// nil is 0 and false is 2: truthy iff the word with bit 1 cleared is not 0.
    mutating func truthy(_ v: Ref) -> Ref {
        let cleared = b.emit(.and, .l, v, b.integer(~2))
        return b.emit(.cnel, .w, cleared, b.integer(0))
    }

    /// A `w`: whether `v` is a reference to an object (not 0, not an immediate).
    mutating func isObject(_ v: Ref) -> Ref {
        b.emit(.and, .w, b.emit(.ceql, .w, b.emit(.and, .l, v, b.integer(7)), b.integer(0)),
               b.emit(.cnel, .w, v, b.integer(0)))
    }

    /// The boolean value (true/false) of a `w` condition.
    mutating func boolean(_ w: Ref) -> Ref {
        let result = b.declareVariable(.r, name: "bool")
        let t = b.createBlock("true"), f = b.createBlock("false"), join = b.createBlock("bool")
        b.branch(w, t, f)
        b.sealBlock(t)
        b.sealBlock(f)
        b.switchTo(t)
        b.write(result, b.integer(Value.trueValue))
        b.jump(join)
        b.switchTo(f)
        b.write(result, b.integer(Value.falseValue))
        b.jump(join)
        b.sealBlock(join)
        b.switchTo(join)
        return b.read(result)
    }

    // MARK: helpers

    mutating func symbol(_ name: String, offset: Int64 = 0) -> Ref {
        b.constant(.symbol(module.symbols.intern(name), offset: offset, access: .direct))
    }

    func rArg(_ v: Ref) -> CallArgument { CallArgument(type: .base(.r), value: v) }

    mutating func callR(_ name: String, _ args: [Ref]) -> Ref {
        if let declined = bailInstead(of: name) { return declined }
        return b.call(symbol(name), returnType: .base(.r), arguments: args.map(rArg))
    }

    /// The most arguments a tail call passes: x86-64 has 6 integer argument
    /// registers, and the backend refuses a tail call that needs stack ones.
    static let maxTailArguments = 6

    /// `callR`, or with `tail` a tail call that ends the block (then nil).
    mutating func callR(_ name: String, _ args: [Ref], tail: Bool) -> Ref? {
        guard tail else { return callR(name, args) }
        b.tailCall(symbol(name), arguments: args.map(rArg))
        return nil
    }

    mutating func callW(_ name: String, _ args: [Ref]) -> Ref {
        if let declined = bailInstead(of: name) { return declined }
        return b.call(symbol(name), returnType: .base(.w), arguments: args.map(rArg))
    }

    /// Calls a runtime function that never returns (an error), then ends the block.
    mutating func fail(_ name: String, _ args: [CallArgument]) {
        b.call(symbol(name), returnType: nil, arguments: args)
        b.halt()
    }

    /// A fresh vector holding `values` (the argument vector of n-ary runtime functions).
    mutating func allocVector(_ values: [Ref]) -> Ref {
        let v = b.call(symbol("keel_alloc"), returnType: .base(.r),
                       arguments: [CallArgument(type: .base(.l), value: symbol("kl_vector_layout")),
                                   CallArgument(type: .base(.l), value: b.integer(Int64(values.count)))])
        for (i, x) in values.enumerated() {
            let p = b.emit(.add, .l, v, b.integer(Int64(16 + 8 * i)))
            b.emit(.storer, .r, x, p)
        }
        return v
    }

    mutating func constant(_ form: Form) -> Ref {
        if let immediate = Self.immediate(form) { return b.integer(immediate) }
        let cell = "kl_const\(constantCells.count)"
        constantCells.append((cell, form))
        rootCells.append(cell)
        return b.emit(.loadr, .r, symbol(cell))
    }

    /// The word of a form that needs no object: nil, booleans, fixnums, characters, ().
    static func immediate(_ form: Form) -> Int64? {
        switch form.kind {
        case .nil_: return Value.nilValue
        case .bool(let x): return x ? Value.trueValue : Value.falseValue
        case .integer(let n): return Value.fixnum(n)
        case .character(let c): return Value.character(c)
        case .list(let items) where items.isEmpty: return Value.emptyList
        default: return nil
        }
    }

    mutating func globalCell(_ name: String) -> String {
        if let c = globalCells[name] { return c }
        let c = "kl_var\(globalCells.count)"
        globalCells[name] = c
        rootCells.append(c)
        return c
    }

    mutating func cString(_ text: String) -> String {
        if let s = cStrings[text] { return s }
        let s = "kl_str\(cStrings.count)"
        cStrings[text] = s
        module.addData(DataDefinition(name: module.symbols.intern(s),
                                      items: [.values(.b, [.string(Array(text.utf8)), .integer(0)])]))
        return s
    }

    mutating func readGlobal(_ name: String, at: SourceLocation) -> Ref {
        if alwaysBound.contains(name) { return b.emit(.loadr, .r, symbol(globalCell(name))) }
        return loadGlobal(name) { g in
            let nameRef = g.symbol(g.cString(name))
            g.fail("kl_unbound_error", [CallArgument(type: .base(.l), value: nameRef)])
        }
    }

    /// Loads global `name`'s cell and branches on whether it is bound:
    /// `whenUnbound` ends the unbound block, and generation goes on in the
    /// bound one, where the loaded value is returned.
    mutating func loadGlobal(_ name: String, whenUnbound: (inout CodeGenerator) -> Void) -> Ref {
        let v = b.emit(.loadr, .r, symbol(globalCell(name)))
        let unbound = b.emit(.ceql, .w, v, b.integer(Value.unbound))
        let bad = b.createBlock("unbound"), ok = b.createBlock("bound")
        b.markCold(bad)
        b.branch(unbound, bad, ok)
        b.sealBlock(bad)
        b.sealBlock(ok)
        b.switchTo(bad)
        whenUnbound(&self)
        b.switchTo(ok)
        return v
    }

}
