import Keel

/// Calls and closures: closure objects, the kl_invoke_N helpers (a call
/// through any value), guarded direct calls to known functions, kl_apply,
/// and running -main.
extension CodeGenerator {
    /// Runs -main with the command-line arguments and returns the exit status.
    mutating func callMain(argc: Ref, argv: Ref, defined: Bool) {
        guard defined else {
            b.ret(b.integer(0))
            return
        }
        let m = loadGlobal("user/-main") { $0.b.ret($0.b.integer(0)) }
        let args = b.call(symbol("kl_make_args"), returnType: .base(.r),
                          arguments: [CallArgument(type: .base(.l), value: argc), CallArgument(type: .base(.l), value: argv)])
        let result = applyToList(m, args)
        let status = b.call(symbol("kl_exit_status"), returnType: .base(.l), arguments: [rArg(result)])
        b.ret(status)
    }

    /// Calls fn `f` with the arguments in `list` (nil or a list): its variadic
    /// entry if it has one, else its 0-argument arity when the list is empty.
    mutating func applyToList(_ f: Ref, _ list: Ref) -> Ref {
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
        b.markCold(bad)
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
    /// With `orData` (a call's arguments), a callee that is not a fn is handed
    /// to kl_invoke_data (keywords, maps, sets and vectors are functions of
    /// their keys; anything else is the not-a-function error) and its result returned.
    mutating func checkedInfo(_ f: Ref, orData args: [Ref]? = nil) -> Ref {
        let isFn = callW("kl_is_fn", [f])
        let ok = b.createBlock("is_fn"), bad = b.createBlock("not_fn")
        b.markCold(bad)
        b.branch(isFn, ok, bad)
        b.sealBlock(ok)
        b.sealBlock(bad)
        b.switchTo(bad)
        if let args {
            let first = args.count >= 1 ? args[0] : b.integer(Value.nilValue)
            let second = args.count >= 2 ? args[1] : b.integer(Value.nilValue)
            b.tailCall(symbol("kl_invoke_data"), arguments: [rArg(f), rArg(first), rArg(second),
                                                             CallArgument(type: .base(.l), value: b.integer(Int64(args.count)))])
        } else {
            fail("kl_not_fn_error", [rArg(f)])
        }
        b.switchTo(ok)
        let tagged = b.emit(.loadl, .l, b.emit(.add, .l, f, b.integer(16)))
        return b.emit(.sub, .l, tagged, b.integer(1))
    }

    /// `r $kl_invoke_N(r f, r a1 ... r aN)`: calls fn `f` with N arguments:
    /// its N-argument arity, or its variadic one with the arguments as a list.
    mutating func generateInvoke(_ n: Int) throws(LispError) {
        startFunction("kl_invoke_\(n)")
        let f = b.addParameter(.base(.r), name: "f")
        let args = (0..<n).map { b.addParameter(.base(.r), name: "a\($0)") }
        let info = checkedInfo(f, orData: args)
        let code = b.emit(.loadl, .l, b.emit(.add, .l, info, b.integer(Int64(RuntimeFunctions.infoFixed(n)))))
        let direct = b.createBlock("direct"), other = b.createBlock("other")
        b.branch(b.emit(.cnel, .w, code, b.integer(0)), direct, other)
        b.sealBlock(direct)
        b.sealBlock(other)
        b.switchTo(direct)
        // Dispatch is a tail call (when the arguments fit in registers), so a
        // tail call through a closure runs in constant stack.
        if n + 1 <= Self.maxTailArguments {
            b.tailCall(code, arguments: ([f] + args).map(rArg))
        } else {
            b.ret(b.call(code, returnType: .base(.r), arguments: ([f] + args).map(rArg)))
        }
        b.switchTo(other)
        let ventry = b.emit(.loadl, .l, b.emit(.add, .l, info, b.integer(Int64(RuntimeFunctions.infoVariadic))))
        let required = b.emit(.loadl, .l, b.emit(.add, .l, info, b.integer(Int64(RuntimeFunctions.infoRequired))))
        let usable = b.emit(.and, .w, b.emit(.cnel, .w, ventry, b.integer(0)),
                            b.emit(.cslel, .w, required, b.integer(Int64(n))))
        let variadic = b.createBlock("variadic"), bad = b.createBlock("arity")
        b.markCold(bad)
        b.branch(usable, variadic, bad)
        b.sealBlock(variadic)
        b.sealBlock(bad)
        b.switchTo(bad)
        fail("kl_arity_error", [rArg(f), CallArgument(type: .base(.l), value: b.integer(Int64(n)))])
        b.switchTo(variadic)
        let list = callR("kl_list_from", [allocVector(args)])
        b.tailCall(ventry, arguments: [rArg(f), rArg(list)])
        try finishFunction()
    }

    /// `r $kl_apply(r f, r list)`: calls fn `f` with the items of `list` (a
    /// list or nil) as its arguments: through kl_invoke_N for up to 20, else
    /// its variadic arity with the list itself.
    mutating func generateApply() throws(LispError) {
        startFunction("kl_apply")
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
            if let v = callR("kl_invoke_\(n)", [f] + args, tail: n + 1 <= Self.maxTailArguments) { b.ret(v) }
            b.switchTo(next)
        }
        let info = checkedInfo(f)
        let ventry = b.emit(.loadl, .l, b.emit(.add, .l, info, b.integer(Int64(RuntimeFunctions.infoVariadic))))
        let required = b.emit(.loadl, .l, b.emit(.add, .l, info, b.integer(Int64(RuntimeFunctions.infoRequired))))
        let usable = b.emit(.and, .w, b.emit(.cnel, .w, ventry, b.integer(0)), b.emit(.cslel, .w, required, count))
        let variadic = b.createBlock("variadic"), bad = b.createBlock("arity")
        b.markCold(bad)
        b.branch(usable, variadic, bad)
        b.sealBlock(variadic)
        b.sealBlock(bad)
        b.switchTo(bad)
        fail("kl_arity_error", [rArg(f), CallArgument(type: .base(.l), value: count)])
        b.switchTo(variadic)
        b.tailCall(ventry, arguments: [rArg(f), rArg(list)])
        try finishFunction()
    }

    /// A call of global value `f` expected to be a closure of `fn`: direct to
    /// its arity when `f` is a fn object whose info is `fn`'s (so a later
    /// `def` of another value is still called correctly), else through kl_invoke_N.
    /// With `tail`, both paths are tail calls and the result is nil.
    mutating func guardedDirectCall(_ fn: FnExpr, _ f: Ref, _ args: [Ref], tail: Bool = false) -> Ref? {
        let n = args.count
        let layout = b.createBlock("is_object"), info = b.createBlock("is_fn")
        let direct = b.createBlock("direct"), generic = b.createBlock("generic")
        b.markCold(generic)
        b.branch(isObject(f), layout, generic)
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
        invokeArities.insert(n)
        if tail {
            _ = callR("kl_fn\(fn.id)_\(n)", [f] + args, tail: true)
            b.switchTo(generic)
            _ = callR("kl_invoke_\(n)", [f] + args, tail: true)
            return nil
        }
        let result = b.declareVariable(.r, name: "called")
        let join = b.createBlock("called")
        b.write(result, callR("kl_fn\(fn.id)_\(n)", [f] + args))
        b.jump(join)
        b.switchTo(generic)
        b.write(result, callR("kl_invoke_\(n)", [f] + args))
        b.jump(join)
        b.sealBlock(join)
        b.switchTo(join)
        return b.read(result)
    }

    mutating func makeClosure(_ fn: FnExpr) -> Ref {
        var captured: [Ref] = []
        for source in fn.captures {
            switch source {
            case .local(let l): captured.append(readLocal(l))
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
