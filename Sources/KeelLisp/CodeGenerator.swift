import Keel

/// Lowers analyzed KeelLisp to Keel IR through the builder API (variables
/// in, SSA out). Every KeelLisp value is one IL `r` word (RuntimeFunctions.swift
/// gives the encoding). One IL function per fn arity; closures are REFS
/// objects [info | 1, captured...]; calls through unknown values go through
/// `kl_invoke_N` helpers emitted once per argument count; globals and
/// constants live in root cells registered at start-up. docs/lisp.md.
struct CodeGenerator {
    private(set) var module = Module()
    let file: String
    var b: FunctionBuilder
    private var locals: [Variable] = []
    private var selfRef: Ref = .none
    private var loopTargets: [Int: (BlockID, [Variable])] = [:]
    private var arityTarget: (BlockID, [Variable])? = nil
    private var pendingFns: [FnExpr] = []
    /// Whether the program applies functions to argument lists (`kl_apply` is emitted).
    var usesApply = false
    /// The fn a top-level `defn` gives each global: calls to it are direct
    /// while the global still holds a closure of that fn (guarded).
    private var knownFns: [String: FnExpr] = [:]
    /// The fn whose arity is being generated (nil at the top level).
    private var currentFn: FnExpr? = nil
    private var invokeArities: Set<Int> = []
    private var globalCells: [String: String] = [:]
    private var rootCells: [String] = []
    private var constantCells: [(cell: String, form: Form)] = []
    private var cStrings: [String: String] = [:]
    private var position = SourceLocation(line: 0, column: 0)
    /// Every function in emission (text) order, with the KeelLisp function it
    /// belongs to (nil for helpers): the table backtraces read.
    private var emitted: [(symbol: String, name: String?, file: String, line: Int)] = []

    init(file: String) {
        self.file = file
        b = FunctionBuilder(name: "kl_program_main", returnType: .base(.l), linkage: Linkage(export: true), in: &module)
        b.fileName = file
    }

    // MARK: the program

    /// The whole module: kl_program_main (roots, constants, top-level forms, -main) and every fn.
    mutating func generateProgram(_ body: [Expr], localCount: Int, globals: Set<String>) throws(LispError) -> Module {
        for case .def(let name, .fn(let fn)) in body where knownFns[name] == nil { knownFns[name] = fn }
        let argc = b.addParameter(.base(.l), name: "argc")
        let argv = b.addParameter(.base(.l), name: "argv")
        locals = (0..<localCount).map { b.declareVariable(.r, name: "t\($0)") }
        // The constants are built before the body runs, but the body decides
        // which exist: it is generated first, into its own block.
        let constantsBlock = b.createBlock("constants")
        let bodyBlock = b.createBlock("body")
        b.switchTo(bodyBlock)
        var reached = true
        for e in body where reached {
            if try gen(e) == nil { reached = false }
        }
        if reached { callMain(argc: argc, argv: argv, defined: globals.contains("user/-main")) }
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
        b = FunctionBuilder(name: "kl_text_end", returnType: nil, linkage: Linkage(export: true), in: &module)
        b.ret()
        try finishFunction()
        emitData(globals: globals)
        return module
    }

    private mutating func finishFunction(lispName: String? = nil, sourceFile: String? = nil, line: Int = 0) throws(LispError) {
        emitted.append((module.symbols[b.function.name], lispName, sourceFile ?? file, line))
        do {
            module.addFunction(try b.finish())
        } catch {
            throw LispError(file: file, location: position,
                            message: "internal compiler error: " + error.diagnostics.map(\.message).joined(separator: "; "))
        }
    }

    /// Runs -main with the command-line arguments and returns the exit status.
    private mutating func callMain(argc: Ref, argv: Ref, defined: Bool) {
        guard defined else {
            b.ret(b.integer(0))
            return
        }
        let m = b.emit(.loadr, .r, symbol(globalCell("user/-main")))
        let unbound = b.emit(.ceql, .w, m, b.integer(Value.unbound))
        let none = b.createBlock("no_main"), some = b.createBlock("main")
        b.branch(unbound, none, some)
        b.sealBlock(none)
        b.sealBlock(some)
        b.switchTo(none)
        b.ret(b.integer(0))
        b.switchTo(some)
        let args = b.call(symbol("kl_make_args"), returnType: .base(.r),
                          arguments: [CallArgument(type: .base(.l), value: argc), CallArgument(type: .base(.l), value: argv)])
        let result = applyToList(m, args)
        let status = b.call(symbol("kl_exit_status"), returnType: .base(.l), arguments: [rArg(result)])
        b.ret(status)
    }

    /// Calls fn `f` with the arguments in `list` (nil or a list): its variadic
    /// entry if it has one, else its 0-argument arity when the list is empty.
    private mutating func applyToList(_ f: Ref, _ list: Ref) -> Ref {
        let info = checkedInfo(f)
        let ventry = b.emit(.loadl, .l, b.emit(.add, .l, info, b.integer(Int64(RuntimeFunctions.infoVariadic))))
        let result = b.declareVariable(.r, name: "applied")
        let variadic = b.createBlock("variadic"), fixed = b.createBlock("fixed"), join = b.createBlock("applied")
        b.branch(b.emit(.cnel, .w, ventry, b.integer(0)), variadic, fixed)
        b.sealBlock(variadic)
        b.sealBlock(fixed)
        b.switchTo(variadic)
        b.write(result, b.call(ventry, returnType: .base(.r), arguments: [rArg(f), rArg(list)]))
        b.jump(join)
        b.switchTo(fixed)
        let code = b.emit(.loadl, .l, b.emit(.add, .l, info, b.integer(Int64(RuntimeFunctions.infoFixed(0)))))
        let usable = b.emit(.and, .w, b.emit(.cnel, .w, code, b.integer(0)), b.emit(.ceql, .w, list, b.integer(0)))
        let call = b.createBlock("call0"), bad = b.createBlock("arity")
        b.branch(usable, call, bad)
        b.sealBlock(call)
        b.sealBlock(bad)
        b.switchTo(bad)
        let count = b.call(symbol("kl_count"), returnType: .base(.r), arguments: [rArg(list)])
        fail("kl_arity_error", [rArg(f), CallArgument(type: .base(.l), value: b.emit(.sar, .l, count, b.integer(1)))])
        b.switchTo(call)
        b.write(result, b.call(code, returnType: .base(.r), arguments: [rArg(f)]))
        b.jump(join)
        b.sealBlock(join)
        b.switchTo(join)
        return b.read(result)
    }

    /// The address of the static information of fn `f`, after checking that `f` is a fn.
    private mutating func checkedInfo(_ f: Ref) -> Ref {
        let isFn = callW("kl_is_fn", [f])
        let ok = b.createBlock("is_fn"), bad = b.createBlock("not_fn")
        b.branch(isFn, ok, bad)
        b.sealBlock(ok)
        b.sealBlock(bad)
        b.switchTo(bad)
        fail("kl_not_fn_error", [rArg(f)])
        b.switchTo(ok)
        let tagged = b.emit(.loadl, .l, b.emit(.add, .l, f, b.integer(16)))
        return b.emit(.sub, .l, tagged, b.integer(1))
    }

    /// `r $kl_invoke_N(r f, r a1 ... r aN)`: calls fn `f` with N arguments:
    /// its N-argument arity, or its variadic one with the arguments as a list.
    private mutating func generateInvoke(_ n: Int) throws(LispError) {
        b = FunctionBuilder(name: "kl_invoke_\(n)", returnType: .base(.r), in: &module)
        b.fileName = file
        let f = b.addParameter(.base(.r), name: "f")
        let args = (0..<n).map { b.addParameter(.base(.r), name: "a\($0)") }
        let info = checkedInfo(f)
        let code = b.emit(.loadl, .l, b.emit(.add, .l, info, b.integer(Int64(RuntimeFunctions.infoFixed(n)))))
        let direct = b.createBlock("direct"), other = b.createBlock("other")
        b.branch(b.emit(.cnel, .w, code, b.integer(0)), direct, other)
        b.sealBlock(direct)
        b.sealBlock(other)
        b.switchTo(direct)
        b.ret(b.call(code, returnType: .base(.r), arguments: ([f] + args).map(rArg)))
        b.switchTo(other)
        let ventry = b.emit(.loadl, .l, b.emit(.add, .l, info, b.integer(Int64(RuntimeFunctions.infoVariadic))))
        let required = b.emit(.loadl, .l, b.emit(.add, .l, info, b.integer(Int64(RuntimeFunctions.infoRequired))))
        let usable = b.emit(.and, .w, b.emit(.cnel, .w, ventry, b.integer(0)),
                            b.emit(.cslel, .w, required, b.integer(Int64(n))))
        let variadic = b.createBlock("variadic"), bad = b.createBlock("arity")
        b.branch(usable, variadic, bad)
        b.sealBlock(variadic)
        b.sealBlock(bad)
        b.switchTo(bad)
        fail("kl_arity_error", [rArg(f), CallArgument(type: .base(.l), value: b.integer(Int64(n)))])
        b.switchTo(variadic)
        let list = callR("kl_list_from", [allocVector(args)])
        b.ret(b.call(ventry, returnType: .base(.r), arguments: [rArg(f), rArg(list)]))
        try finishFunction()
    }

    /// `r $kl_apply(r f, r list)`: calls fn `f` with the items of `list` (a
    /// list or nil) as its arguments: through kl_invoke_N for up to 20, else
    /// its variadic arity with the list itself.
    private mutating func generateApply() throws(LispError) {
        b = FunctionBuilder(name: "kl_apply", returnType: .base(.r), in: &module)
        b.fileName = file
        let f = b.addParameter(.base(.r), name: "f")
        let list = b.addParameter(.base(.r), name: "list")
        let count = b.emit(.sar, .l, callR("kl_count", [list]), b.integer(1))
        for n in 0...RuntimeFunctions.maxFixedArity {
            let this = b.createBlock("n\(n)"), next = b.createBlock("not\(n)")
            b.branch(b.emit(.ceql, .w, count, b.integer(Int64(n))), this, next)
            b.sealBlock(this)
            b.sealBlock(next)
            b.switchTo(this)
            var rest = list
            var args: [Ref] = []
            for _ in 0..<n {
                args.append(callR("kl_first", [rest]))
                rest = callR("kl_rest", [rest])
            }
            invokeArities.insert(n)
            b.ret(callR("kl_invoke_\(n)", [f] + args))
            b.switchTo(next)
        }
        let info = checkedInfo(f)
        let ventry = b.emit(.loadl, .l, b.emit(.add, .l, info, b.integer(Int64(RuntimeFunctions.infoVariadic))))
        let required = b.emit(.loadl, .l, b.emit(.add, .l, info, b.integer(Int64(RuntimeFunctions.infoRequired))))
        let usable = b.emit(.and, .w, b.emit(.cnel, .w, ventry, b.integer(0)), b.emit(.cslel, .w, required, count))
        let variadic = b.createBlock("variadic"), bad = b.createBlock("arity")
        b.branch(usable, variadic, bad)
        b.sealBlock(variadic)
        b.sealBlock(bad)
        b.switchTo(bad)
        fail("kl_arity_error", [rArg(f), CallArgument(type: .base(.l), value: count)])
        b.switchTo(variadic)
        b.ret(b.call(ventry, returnType: .base(.r), arguments: [rArg(f), rArg(list)]))
        try finishFunction()
    }

    /// One IL function per arity: `r $kl_fnID_N(r self, r a1 ... r aN)`, and
    /// for the variadic arity `r $kl_fnID_v(r self, r all-arguments-list)`.
    private mutating func generateFn(_ fn: FnExpr) throws(LispError) {
        var fixed = [String?](repeating: nil, count: RuntimeFunctions.maxFixedArity + 1)
        var variadic: String? = nil
        var required = 0
        for arity in fn.arities {
            let name = "kl_fn\(fn.id)_" + (arity.rest == nil ? "\(arity.parameters.count)" : "v")
            if arity.rest == nil { fixed[arity.parameters.count] = name } else {
                variadic = name
                required = arity.parameters.count
            }
            b = FunctionBuilder(name: name, returnType: .base(.r), in: &module)
            b.fileName = file
            loopTargets = [:]
            currentFn = fn
            selfRef = b.addParameter(.base(.r), name: "self")
            locals = (0..<arity.localCount).map { b.declareVariable(.r, name: "t\($0)") }
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
            } else {
                for p in arity.parameters { b.write(locals[p], b.addParameter(.base(.r), name: "p\(p)")) }
            }
            let header = b.createBlock("body")
            b.jump(header)
            b.switchTo(header)
            arityTarget = (header, parameterVariables)
            if let v = try gen(arity.body) { b.ret(v) }
            b.sealBlock(header)
            try finishFunction(lispName: fn.name, sourceFile: fn.file, line: fn.location.line)
        }
        let info = module.symbols.intern("kl_fninfo\(fn.id)")
        let nameString = module.symbols.intern(cString(fn.name))
        func code(_ name: String?) -> DataValue {
            name.map { .symbol(module.symbols.intern($0), offset: 0) } ?? .integer(0)
        }
        module.addData(DataDefinition(name: info, alignment: 8, items: [.values(.l,
            [.symbol(nameString, offset: 0), .integer(Int64(required)), code(variadic)] + fixed.map(code))]))
    }

    /// Global and constant cells (roots), the table that registers them, and
    /// the declaration of the runtime functions that never collect.
    private mutating func emitData(globals: Set<String>) {
        for cell in rootCells {
            let initial = cell.hasPrefix("kl_var") ? Value.unbound : Value.nilValue
            module.addData(DataDefinition(name: module.symbols.intern(cell), alignment: 8,
                                          items: [.values(.l, [.integer(initial)])]))
        }
        let roots = rootCells.map { DataValue.symbol(module.symbols.intern($0), offset: 0) }
        module.addData(DataDefinition(name: module.symbols.intern("kl_roots"), linkage: Linkage(export: true),
                                      alignment: 8, items: [.values(.l, roots.isEmpty ? [.integer(0)] : roots)]))
        module.addData(DataDefinition(name: module.symbols.intern("kl_root_count"), linkage: Linkage(export: true),
                                      alignment: 8, items: [.values(.l, [.integer(Int64(rootCells.count))])]))
        // Backtraces: { count, then per function: start, name or 0, file, line }
        // in text order; kl_text_end ends the last range.
        var table: [DataValue] = [.integer(Int64(emitted.count - 1))]
        for (symbolName, lispName, fileName, line) in emitted.dropLast() {
            table.append(.symbol(module.symbols.intern(symbolName), offset: 0))
            table.append(lispName.map { .symbol(module.symbols.intern(cString($0)), offset: 0) } ?? .integer(0))
            table.append(.symbol(module.symbols.intern(cString(fileName)), offset: 0))
            table.append(.integer(Int64(line)))
        }
        module.addData(DataDefinition(name: module.symbols.intern("kl_function_table"), linkage: Linkage(export: true),
                                      alignment: 8, items: [.values(.l, table)]))
        let names = RuntimeFunctions.neverCollect.map { DataValue.symbol(module.symbols.intern($0), offset: 0) }
        module.addData(DataDefinition(name: module.symbols.intern("kl_nocollect"),
                                      linkage: Linkage(section: "keel_nocollect"), items: [.values(.l, names)]))
    }

    /// Builds a constant object at start-up (in kl_program_main's constants block).
    private mutating func buildConstant(_ form: Form) -> Ref {
        if let immediate = Self.immediate(form) { return b.integer(immediate) }
        func bytes(_ s: String) -> [CallArgument] {
            [CallArgument(type: .base(.l), value: symbol(cString(s))),
             CallArgument(type: .base(.l), value: b.integer(Int64(s.utf8.count)))]
        }
        switch form.kind {
        case .integer(let n):
            return b.call(symbol("kl_make_long"), returnType: .base(.r),
                          arguments: [CallArgument(type: .base(.l), value: b.integer(n))])
        case .double(let d):
            return b.call(symbol("kl_make_double"), returnType: .base(.r),
                          arguments: [CallArgument(type: .base(.d), value: b.constant(.double(d)))])
        case .string(let s):
            return b.call(symbol("kl_make_string"), returnType: .base(.r), arguments: bytes(s))
        case .keyword(let k):
            return b.call(symbol("kl_make_keyword"), returnType: .base(.r), arguments: bytes(k))
        case .symbol(let s):
            return b.call(symbol("kl_make_symbol"), returnType: .base(.r), arguments: bytes(s))
        case .list(let items):
            return callR("kl_list_from", [allocVector(items.map { buildConstant($0) })])
        case .vector(let items):
            return allocVector(items.map { buildConstant($0) })
        case .map(let items):
            return callR("kl_map_from", [allocVector(items.map { buildConstant($0) })])
        case .set(let items):
            return callR("kl_set_from", [allocVector(items.map { buildConstant($0) })])
        default:
            return b.integer(Value.nilValue)
        }
    }

    // MARK: expressions

    /// The value of `e`, or nil when control does not continue (after recur).
    mutating func gen(_ e: Expr) throws(LispError) -> Ref? {
        switch e {
        case .constant(let form):
            return constant(form)
        case .local(let l):
            return b.read(locals[l])
        case .captured(let i):
            let p = b.emit(.add, .l, selfRef, b.integer(Int64(16 + 8 * (1 + i))))
            return b.emit(.loadr, .r, p)
        case .selfReference:
            return selfRef
        case .global(let name, let at):
            return readGlobal(name, at: at)
        case .ifExpr(let test, let then, let otherwise):
            let cond = try genTest(test)
            guard let cond else { return nil }
            let result = b.declareVariable(.r, name: "if")
            let t = b.createBlock("then"), f = b.createBlock("else"), join = b.createBlock("join")
            b.branch(cond, t, f)
            b.sealBlock(t)
            b.sealBlock(f)
            var reached = false
            for (block, branch) in [(t, then), (f, otherwise)] {
                b.switchTo(block)
                if let v = try gen(branch) {
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
        case .doExpr(let exprs):
            var last: Ref = b.integer(Value.nilValue)
            for x in exprs {
                guard let v = try gen(x) else { return nil }
                last = v
            }
            return last
        case .bind(let bindings, let body):
            for (local, x) in bindings {
                guard let v = try gen(x) else { return nil }
                b.write(locals[local], v)
            }
            return try gen(body)
        case .loop(let id, let bindings, let body):
            for (local, x) in bindings {
                guard let v = try gen(x) else { return nil }
                b.write(locals[local], v)
            }
            let header = b.createBlock("loop")
            b.jump(header)
            b.switchTo(header)
            loopTargets[id] = (header, bindings.map { locals[$0.0] })
            let v = try gen(body)
            b.sealBlock(header)
            return v
        case .recur(let target, let args):
            var values: [Ref] = []
            for x in args {
                guard let v = try gen(x) else { return nil }
                values.append(v)
            }
            let (header, vars): (BlockID, [Variable])
            switch target {
            case .loop(let id): (header, vars) = loopTargets[id]!
            case .arity: (header, vars) = arityTarget!
            }
            for (variable, v) in zip(vars, values) { b.write(variable, v) }
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
            guard let f = try gen(callee) else { return nil }
            var values: [Ref] = []
            for x in args {
                guard let v = try gen(x) else { return nil }
                values.append(v)
            }
            // A named fn calling itself with an arity it has: a direct call.
            if case .selfReference = callee, let fn = currentFn,
               fn.arities.contains(where: { $0.rest == nil && $0.parameters.count == values.count }) {
                return callR("kl_fn\(fn.id)_\(values.count)", [f] + values)
            }
            if case .global(let name, _) = callee, let fn = knownFns[name],
               fn.arities.contains(where: { $0.rest == nil && $0.parameters.count == values.count }) {
                return guardedDirectCall(fn, f, values)
            }
            invokeArities.insert(values.count)
            return callR("kl_invoke_\(values.count)", [f] + values)
        case .intrinsic(let intrinsic, let args, let at):
            position = at
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
        case .noMatchingClause(let x, let at):
            position = at
            guard let v = try gen(x) else { return nil }
            fail("kl_case_error", [rArg(v)])
            return nil
        }
    }

    private mutating func genAll(_ items: [Expr]) throws(LispError) -> [Ref]? {
        var values: [Ref] = []
        for x in items {
            guard let v = try gen(x) else { return nil }
            values.append(v)
        }
        return values
    }

    /// A call of global value `f` expected to be a closure of `fn`: direct to
    /// its arity when `f` is a fn object whose info is `fn`'s (so a later
    /// `def` of another value is still called correctly), else through kl_invoke_N.
    private mutating func guardedDirectCall(_ fn: FnExpr, _ f: Ref, _ args: [Ref]) -> Ref {
        let n = args.count
        let result = b.declareVariable(.r, name: "called")
        let layout = b.createBlock("is_object"), info = b.createBlock("is_fn")
        let direct = b.createBlock("direct"), generic = b.createBlock("generic"), join = b.createBlock("called")
        let isObject = b.emit(.and, .w, b.emit(.ceql, .w, b.emit(.and, .l, f, b.integer(7)), b.integer(0)),
                              b.emit(.cnel, .w, f, b.integer(0)))
        b.branch(isObject, layout, generic)
        b.sealBlock(layout)
        b.switchTo(layout)
        let isFn = b.emit(.ceql, .w, b.emit(.loadl, .l, f), symbol("kl_fn_layout"))
        b.branch(isFn, info, generic)
        b.sealBlock(info)
        b.switchTo(info)
        let word = b.emit(.loadl, .l, b.emit(.add, .l, f, b.integer(16)))
        b.branch(b.emit(.ceql, .w, word, symbol("kl_fninfo\(fn.id)", offset: 1)), direct, generic)
        b.sealBlock(direct)
        b.sealBlock(generic)
        b.switchTo(direct)
        b.write(result, callR("kl_fn\(fn.id)_\(n)", [f] + args))
        b.jump(join)
        b.switchTo(generic)
        invokeArities.insert(n)
        b.write(result, callR("kl_invoke_\(n)", [f] + args))
        b.jump(join)
        b.sealBlock(join)
        b.switchTo(join)
        return b.read(result)
    }

    /// A `w` that is non-zero when `e` is truthy (neither nil nor false);
    /// predicates give theirs directly, without making a boolean value.
    mutating func genTest(_ e: Expr) throws(LispError) -> Ref? {
        if case .intrinsic(let intrinsic, let args, let at) = e {
            position = at
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
        b.call(symbol(name), returnType: .base(.r), arguments: args.map(rArg))
    }

    mutating func callW(_ name: String, _ args: [Ref]) -> Ref {
        b.call(symbol(name), returnType: .base(.w), arguments: args.map(rArg))
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
        let v = b.emit(.loadr, .r, symbol(globalCell(name)))
        let unbound = b.emit(.ceql, .w, v, b.integer(Value.unbound))
        let bad = b.createBlock("unbound"), ok = b.createBlock("bound")
        b.branch(unbound, bad, ok)
        b.sealBlock(bad)
        b.sealBlock(ok)
        b.switchTo(bad)
        let nameRef = symbol(cString(name))
        fail("kl_unbound_error", [CallArgument(type: .base(.l), value: nameRef)])
        b.switchTo(ok)
        return v
    }

    mutating func makeClosure(_ fn: FnExpr) -> Ref {
        var captured: [Ref] = []
        for source in fn.captures {
            switch source {
            case .local(let l): captured.append(b.read(locals[l]))
            case .captured(let i):
                let p = b.emit(.add, .l, selfRef, b.integer(Int64(16 + 8 * (1 + i))))
                captured.append(b.emit(.loadr, .r, p))
            case .selfReference: captured.append(selfRef)
            }
        }
        pendingFns.append(fn)
        let c = b.call(symbol("keel_alloc"), returnType: .base(.r),
                       arguments: [CallArgument(type: .base(.l), value: symbol("kl_fn_layout")),
                                   CallArgument(type: .base(.l), value: b.integer(Int64(1 + captured.count)))])
        let infoField = b.emit(.add, .l, c, b.integer(16))
        b.emit(.storel, .l, symbol("kl_fninfo\(fn.id)", offset: 1), infoField)
        for (i, x) in captured.enumerated() {
            let p = b.emit(.add, .l, c, b.integer(Int64(24 + 8 * i)))
            b.emit(.storer, .r, x, p)
        }
        return c
    }
}
