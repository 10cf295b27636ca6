import Keel

/// Code for expressions whose static type is double or long (StaticTypes):
/// computed unboxed, a `d` or an `l`, with no type tests, and boxed only
/// where a value leaves for code that takes any value (a call, a
/// collection, printing). Long arithmetic keeps Clojure's overflow check;
/// an overflow reruns the operation on boxed operands in the runtime,
/// which reports it.
extension CodeGenerator {
    /// The unboxed value of `e`, whose static type is `type` (.double or
    /// .long); nil when control does not continue.
    mutating func genUnboxed(_ e: Expr, _ type: StaticType) throws(LispError) -> Ref? {
        let base: BaseType = type == .double ? .d : .l
        switch e {
        case .constant(let form):
            switch form.kind {
            case .double(let d): return b.constant(.double(d))
            case .integer(let n): return type == .double ? b.constant(.double(Double(n))) : b.integer(n)
            default: break
            }
        case .local(let l):
            if let v = unboxedLocals[l] { return converted(b.read(v), from: staticTypes.of(e)!, to: type) }
        case .bind(let bindings, let body):
            guard try bindLocals(bindings) else { return nil }
            precheckArrays(bindings.map(\.0))
            return try genUnboxed(body, type)
        case .doExpr(let xs):
            for x in xs.dropLast() { guard try genEffect(x) else { return nil } }
            return try genUnboxed(xs[xs.count - 1], type)
        case .loop(let id, let bindings, let body):
            guard try enterLoop(id, bindings) else { return nil }
            let v = try genUnboxed(body, type)
            b.sealBlock(loopTargets[id]!.0)
            return v
        case .call(let callee, let args, let at):
            position = at
            guard case .global(let name, _) = callee, let (fn, arity, types) = staticTypes.inlinedLeaf(name, args) else { break }
            guard let f = try gen(callee) else { return nil }
            return try typedInlineLeaf(fn, arity, types, f, args, type)
        case .recur, .throwValue, .noMatchingClause:
            _ = try gen(e)   // control does not continue
            return nil
        case .ifExpr(let test, let then, let otherwise):
            return try genIf(test, then, otherwise, base) { (g: inout CodeGenerator, x: Expr) throws(LispError) -> Ref? in
                try g.genUnboxed(x, type)
            }
        case .intrinsic(let intrinsic, let args, let at):
            position = at
            guard let own = staticTypes.of(e) else { break }
            if own != type {
                // A long where a double is wanted (an operand of double arithmetic).
                guard let v = try genUnboxed(e, own) else { return nil }
                return converted(v, from: own, to: type)
            }
            let key = PureOperation(intrinsic.name, args, type)
            if let key, let known = facts.values[key] { return known }
            let v = type == .double ? try doubleIntrinsic(intrinsic, args) : try longIntrinsic(intrinsic, args, at: at)
            if let key, let v { facts.values[key] = v }
            return v
        default: break
        }
        throw LispError(file: file, location: position, message: "internal compiler error: no unboxed code for \(e)")
    }

    /// `v` of unboxed type `from` as `to` (a long converted to a double).
    private mutating func converted(_ v: Ref, from: StaticType, to: StaticType) -> Ref {
        from == to ? v : b.emit(.sltof, .d, v)
    }

    /// The operands of an unboxed operation, each as `type`; nil when control does not continue.
    private mutating func unboxedOperands(_ args: [Expr], _ type: StaticType) throws(LispError) -> [Ref]? {
        var operands: [Ref] = []
        for x in args {
            guard let v = try genUnboxed(x, type) else { return nil }
            operands.append(v)
        }
        return operands
    }

    private mutating func doubleIntrinsic(_ intrinsic: Intrinsic, _ args: [Expr]) throws(LispError) -> Ref? {
        switch intrinsic.name {
        case "unchecked-add", "unchecked-subtract", "unchecked-multiply":   // on doubles, as + - *
            guard let x = try unboxedOperands(args, .double) else { return nil }
            return b.emit(Self.uncheckedOperations[intrinsic.name]!, .d, x[0], x[1])
        case "+", "-", "*", "/":
            guard let operands = try unboxedOperands(args, .double) else { return nil }
            guard case .fold(let f, _, _) = intrinsic.shape, let op = Self.doubleOperations[f] else { break }
            if operands.count == 1 {
                if intrinsic.name == "-" { return b.emit(.neg, .d, operands[0]) }
                if intrinsic.name == "/" { return b.emit(.div, .d, b.constant(.double(1)), operands[0]) }
                return operands[0]
            }
            return operands.dropFirst().reduce(operands[0]) { b.emit(op, .d, $0, $1) }
        case "Math/sqrt":
            guard let x = try genUnboxed(args[0], .double) else { return nil }
            return b.emit(.sqrt, .d, x)
        case "double":
            return try genUnboxed(args[0], .double)
        case "aget":
            guard let a = try genArray(args[0]), let i = try genIndex(args[1]) else { return nil }
            return arrayGet(a, i, .doubles)
        default: break
        }
        throw LispError(file: file, location: position, message: "internal compiler error: no double code for \(intrinsic.name)")
    }

    private mutating func longIntrinsic(_ intrinsic: Intrinsic, _ args: [Expr], at: SourceLocation) throws(LispError) -> Ref? {
        let name = intrinsic.name
        if name == "aget", let kind = staticTypes.of(args[0]) {
            guard let a = try genArray(args[0]), let i = try genIndex(args[1]) else { return nil }
            return arrayGet(a, i, kind)
        }
        // Operations that are longs whatever their operands: the usual
        // lowering, then the fixnum's value (a long that is not a fixnum
        // cannot come out of them).
        if name == "alength", let kind = staticTypes.of(args[0]), !kind.isUnboxed {
            guard let a = try genArray(args[0]) else { return nil }
            return b.emit(.sar, .l, arrayLength(a, kind), b.integer(1))
        }
        if Self.viaBoxed.contains(name) || !args.allSatisfy({ staticTypes.of($0) == .long }) {
            guard let values = try genAll(args) else { return nil }
            return b.emit(.sar, .l, try intrinsicValue(intrinsic, values, at: at), b.integer(1))
        }
        guard let x = try unboxedOperands(args, .long) else { return nil }
        if ["quot", "rem", "mod"].contains(name) { return try divided(name, x[0], x[1], intrinsic, at: at) }
        if let op = Self.uncheckedOperations[name] {   // wrapping, as Java's long arithmetic
            switch name {
            case "unchecked-inc", "unchecked-dec": return b.emit(op, .l, x[0], b.integer(1))
            case "unchecked-negate": return b.emit(op, .l, b.integer(0), x[0])
            default: return b.emit(op, .l, x[0], x[1])
            }
        }
        if name == "unchecked-byte" { return b.emit(.extsb, .l, x[0]) }
        if name == "byte" {
            // -128...127 as it is; else the runtime reports it (on the boxed value).
            let bad = b.createBlock("not_a_byte")
            b.markCold(bad)
            continueIf(b.emit(.cultl, .w, b.emit(.add, .l, x[0], b.integer(128)), b.integer(256)), else: bad, "a_byte")
            b.sealBlock(bad)
            let here = b.currentBlock
            b.switchTo(bad)
            fail("kl_byte", [rArg(boxLong(x[0]))])
            b.switchTo(here)
            return x[0]
        }
        guard case .fold(let f, _, _) = intrinsic.shape else {
            switch name {
            case "inc": return checkedLong("kl_add", .add, x[0], b.integer(1))
            case "dec": return checkedLong("kl_sub", .sub, x[0], b.integer(1))
            case "bit-not": return b.emit(.xor, .l, x[0], b.integer(-1))
            case "long": return x[0]
            default:
                // Shifts count modulo 64, as Java's do.
                let count = b.emit(.and, .l, x[1], b.integer(63))
                let op: Opcode = name == "bit-shift-left" ? .shl : name == "bit-shift-right" ? .sar : .shr
                return b.emit(op, .l, x[0], count)
            }
        }
        if x.count == 1 { return name == "-" ? checkedLong(f, .sub, b.integer(0), x[0]) : x[0] }
        let op: Opcode = ["kl_add": .add, "kl_sub": .sub, "kl_mul": .mul, "kl_bit_and": .and, "kl_bit_or": .or,
                          "kl_bit_xor": .xor][f]!
        return x.dropFirst().reduce(x[0]) { acc, y in
            [.add, .sub, .mul].contains(op) ? checkedLong(f, op, acc, y) : b.emit(op, .l, acc, y)
        }
    }

    /// `quot`, `rem` or `mod` of longs: by a constant other than 0 and −1
    /// the IL's division (`mod` floored as Clojure's, one `and` by a power
    /// of two); else the runtime's function on the boxed operands (division
    /// by zero, the least long by −1).
    private mutating func divided(_ name: String, _ x: Ref, _ y: Ref, _ intrinsic: Intrinsic,
                                  at: SourceLocation) throws(LispError) -> Ref {
        guard let k = longConstant(y), k != 0, k != -1 else {
            return unboxLong(try intrinsicValue(intrinsic, [boxLong(x), boxLong(y)], at: at))
        }
        if name == "mod", k > 0, k & (k - 1) == 0 { return b.emit(.and, .l, x, b.integer(k - 1)) }
        let r = b.emit(name == "quot" ? .div : .rem, .l, x, y)
        guard name == "mod" else { return r }
        // A remainder of the other sign than k (and not 0) gets k added.
        let differ = b.emit(.sar, .l, b.emit(.xor, .l, r, y), b.integer(63))
        let nonzero = b.emit(.cnel, .l, r, b.integer(0))
        let mask = b.emit(.and, .l, differ, b.emit(.sub, .l, b.integer(0), nonzero))
        return b.emit(.add, .l, r, b.emit(.and, .l, mask, y))
    }

    static let uncheckedOperations: [String: Opcode] = [
        "unchecked-add": .add, "unchecked-subtract": .sub, "unchecked-multiply": .mul,
        "unchecked-inc": .add, "unchecked-dec": .sub, "unchecked-negate": .sub,
    ]

    /// Intrinsics typed long that are computed boxed, then untagged.
    static let viaBoxed: Set<String> = ["count", "alength"]

    /// x `op` y on longs (add, sub, mul) with Clojure's overflow check: on
    /// overflow the runtime's `f` runs on the boxed operands and reports it.
    private mutating func checkedLong(_ f: String, _ op: Opcode, _ x: Ref, _ y: Ref) -> Ref {
        let r = b.emit(op, .l, x, y)
        let overflow: Ref
        switch op {
        case .add where longConstant(y) != nil:   // moved the other way than the constant says
            overflow = b.emit(longConstant(y)! >= 0 ? .csltl : .csgtl, .w, r, x)
        case .sub where longConstant(y) != nil:
            overflow = b.emit(longConstant(y)! >= 0 ? .csgtl : .csltl, .w, r, x)
        case .add:   // the result's sign differs from both operands'
            overflow = b.emit(.csltl, .w, b.emit(.and, .l, b.emit(.xor, .l, x, r), b.emit(.xor, .l, y, r)), b.integer(0))
        case .sub:   // the operands' signs differ and the result's differs from x's
            overflow = b.emit(.csltl, .w, b.emit(.and, .l, b.emit(.xor, .l, x, y), b.emit(.xor, .l, x, r)), b.integer(0))
        default:
            if let k = longConstant(y) ?? longConstant(x), k == -1 {
                overflow = b.emit(.ceql, .w, longConstant(y) != nil ? x : y, b.integer(Int64.min))
            } else if let k = longConstant(y) ?? longConstant(x), k != 0 {
                // A constant factor: the other within Int64 bounds / k (one unsigned compare).
                let other = longConstant(y) != nil ? x : y
                let lo = k > 0 ? Int64.min / k : Int64.max / k, hi = k > 0 ? Int64.max / k : Int64.min / k
                overflow = b.emit(.cugtl, .w, b.emit(.sub, .l, other, b.integer(lo)), b.integer(hi &- lo))
            } else {
                overflow = b.call(symbol("kl_mul_overflows"), returnType: .base(.w),
                                  arguments: [CallArgument(type: .base(.l), value: x), CallArgument(type: .base(.l), value: y)])
            }
        }
        if let bail = bailout {   // inlined: the fn itself reports it
            continueIf(b.emit(.ceqw, .w, overflow, b.integer(0)), else: bail, "no_overflow")
            return r
        }
        let bad = b.createBlock("overflow")
        b.markCold(bad)
        continueIf(b.emit(.ceqw, .w, overflow, b.integer(0)), else: bad, "no_overflow")
        b.sealBlock(bad)
        let here = b.currentBlock
        b.switchTo(bad)
        _ = callR(f, [boxLong(x), boxLong(y)])
        b.halt()
        b.switchTo(here)
        return r
    }

    /// A comparison of two unboxed numbers as a `w` (nil: not one, nothing
    /// generated); the outer optional is nil when control does not continue.
    /// Longs compare as longs; with a double among them, as doubles (as Clojure
    /// converts a long compared with a double), where NaN compares false.
    mutating func unboxedComparison(_ intrinsic: Intrinsic, _ args: [Expr]) throws(LispError) -> Ref?? {
        guard args.count == 2, let ops = Self.comparisons[intrinsic.name],
              let t0 = staticTypes.of(args[0]), let t1 = staticTypes.of(args[1]), t0.isUnboxed, t1.isUnboxed else { return .none }
        // An operand computed boxed (`(bit-and x 255)` of an unknown x) compares as well tagged.
        for x in args {
            if case .intrinsic(let i, let xs, _) = x, !staticTypes.computesUnboxed(i.name, xs) { return .none }
        }
        // `=` is not numeric across types: (= 1 1.0) is false (`==` converts).
        if intrinsic.name == "=" && t0 != t1 { return .none }
        let type: StaticType = t0 == .long && t1 == .long ? .long : .double
        guard let x = try genUnboxed(args[0], type), let y = try genUnboxed(args[1], type) else { return .some(nil) }
        return b.emit(type == .long ? ops.long : ops.double, .w, x, y)
    }

    static let comparisons: [String: (long: Opcode, double: Opcode)] = [
        "<": (.csltl, .cltd), ">": (.csgtl, .cgtd), "<=": (.cslel, .cled), ">=": (.csgel, .cged),
        "==": (.ceql, .ceqd), "=": (.ceql, .ceqd),
    ]

    /// Leaf fn `fn`'s `arity` inline on `args`, its parameters typed
    /// `types` (the unboxed arguments'), giving its body's unboxed value of
    /// `type`. Its bailout (an overflow) calls the fn on the boxed arguments,
    /// which reports the error, so messages and backtraces are the fn's.
    private mutating func typedInlineLeaf(_ fn: FnExpr, _ arity: FnArity, _ types: [Int: StaticType], _ f: Ref,
                                          _ args: [Expr], _ type: StaticType) throws(LispError) -> Ref? {
        var values: [Ref] = []
        for (p, x) in zip(arity.parameters, args) {
            let v: Ref?
            if let t = types[p] { v = try genUnboxed(x, t) } else { v = try gen(x) }
            guard let v else { return nil }
            values.append(v)
        }
        let fallback = b.createBlock("inline_bailout"), join = b.createBlock("inlined")
        b.markCold(fallback)
        let result = b.declareVariable(type == .double ? .d : .l, name: "inlined")
        let saved = (locals, staticTypes, unboxedLocals, facts, bailout)
        bailout = fallback
        locals = (0..<arity.localCount).map { b.declareVariable(.r, name: "i\($0)") }
        useStaticTypes(StaticTypes.infer(arity.body, globals: globalTypes, leafFns: [:], types: types))
        for (p, v) in zip(arity.parameters, values) { b.write(unboxedLocals[p] ?? locals[p], v) }
        let value = try genUnboxed(arity.body, type)
        (locals, staticTypes, unboxedLocals, facts, bailout) = saved
        if let value {
            b.write(result, value)
            b.jump(join)
        }
        b.sealBlock(fallback)
        b.switchTo(fallback)
        let boxedArgs = zip(arity.parameters, values).map { p, v in types[p].map { boxed(v, $0) } ?? v }
        let r = callR("kl_fn\(fn.id)_\(args.count)", [f] + boxedArgs)
        b.write(result, type == .double ? unboxDouble(r) : unboxLong(r))
        b.jump(join)
        b.sealBlock(join)
        b.switchTo(join)
        return b.read(result)
    }

    /// The value of an integer constant operand.
    private func longConstant(_ v: Ref) -> Int64? {
        if case .integer(let n)? = b.function.constant(v) { return n }
        return nil
    }

    /// An array index: an unboxed long when its type is long, else the value.
    mutating func genIndex(_ e: Expr) throws(LispError) -> ArrayIndex? {
        if staticTypes.of(e) == .long {
            guard let v = try genUnboxed(e, .long) else { return nil }
            return .long(v)
        }
        guard let v = try gen(e) else { return nil }
        return .value(v)
    }

    /// Generates `e` for its effects only (its value is dropped): an `aset`
    /// of an unboxed value then stores it with no box. False when control does not continue.
    mutating func genEffect(_ e: Expr) throws(LispError) -> Bool {
        if case .intrinsic(let intrinsic, let args, let at) = e, intrinsic.name == "aset", bailout == nil,
           let kind = staticTypes.of(args[0]), !kind.isUnboxed {
            position = at
            return try arraySet(kind, args) != nil
        }
        return try gen(e) != nil
    }

    /// Binds loop `id`'s locals and starts its header, where its `recur`s go.
    /// False when control does not continue.
    mutating func enterLoop(_ id: Int, _ bindings: [(Int, Expr)]) throws(LispError) -> Bool {
        guard try bindLocals(bindings) else { return false }
        let header = b.createBlock("loop")
        b.jump(header)
        b.switchTo(header)
        loopTargets[id] = (header, bindings.map { l, _ in target(l) })
        precheckArrays(bindings.map(\.0))
        return true
    }

    /// Where `recur` writes local `l`: its unboxed variable, with its type, or its value's.
    func target(_ l: Int) -> RecurSlot {
        if let v = unboxedLocals[l] { return RecurSlot(variable: v, unboxed: staticTypes.locals[l]) }
        return RecurSlot(variable: locals[l], unboxed: nil)
    }

    /// The unboxed value of any value as `type` (.double or .long),
    /// converted as `double` and `long` convert it (a non-number is an error).
    mutating func unboxConverted(_ v: Ref, _ type: StaticType) -> Ref {
        if type == .double { return unboxDouble(callR("kl_double", [v])) }
        return unboxLong(callR("kl_long", [v]))
    }

    /// The `l` of a long value (a fixnum or a boxed long).
    mutating func unboxLong(_ v: Ref) -> Ref {
        merged("long", at: "unboxed", type: .l) { g, result, join in
            let boxed = g.b.createBlock("boxed_long")
            g.b.write(result, g.b.emit(.sar, .l, v, g.b.integer(1)))
            g.b.branch(g.b.emit(.and, .w, v, g.b.integer(1)), join, boxed)
            g.b.sealBlock(boxed)
            g.b.switchTo(boxed)
            g.b.write(result, g.b.emit(.loadl, .l, g.b.emit(.add, .l, v, g.b.integer(16))))
            g.b.jump(join)
        }
    }

    /// The value of long `n`: a fixnum, or a box when it does not fit.
    mutating func boxLong(_ n: Ref) -> Ref {
        if let k = longConstant(n), let word = Value.fixnum(k) { return b.integer(word) }
        let doubled = b.emit(.shl, .l, n, b.integer(1))
        let fits = b.emit(.ceql, .w, b.emit(.sar, .l, doubled, b.integer(1)), n)
        return merged("boxed", at: "boxed") { g, result, join in
            let big = g.b.createBlock("big_long")
            g.b.markCold(big)
            g.b.write(result, g.b.emit(.tagr, .r, doubled))
            g.b.branch(fits, join, big)
            g.b.sealBlock(big)
            g.b.switchTo(big)
            g.b.write(result, g.b.call(g.symbol("kl_make_long"), returnType: .base(.r),
                                       arguments: [CallArgument(type: .base(.l), value: n)]))
            g.b.jump(join)
        }
    }

    /// The value of unboxed `v` of `type`, boxed.
    mutating func boxed(_ v: Ref, _ type: StaticType) -> Ref {
        type == .double ? boxDouble(v) : boxLong(v)
    }

    /// Writes `bindings` to their locals, unboxed for the double and long ones.
    /// False when control does not continue.
    mutating func bindLocals(_ bindings: [(Int, Expr)]) throws(LispError) -> Bool {
        for (local, x) in bindings {
            if let v = unboxedLocals[local] {
                guard let u = try genUnboxed(x, staticTypes.locals[local]!) else { return false }
                b.write(v, u)
            } else {
                guard let v = try gen(x) else { return false }
                b.write(locals[local], v)
            }
        }
        return true
    }

    /// The value of local `l` as a KeelLisp value (an unboxed local is boxed).
    mutating func readLocal(_ l: Int) -> Ref {
        if let v = unboxedLocals[l] { return boxed(b.read(v), staticTypes.locals[l]!) }
        return b.read(locals[l])
    }

    /// Types the locals of the code generated next (StaticTypes): its
    /// double and long locals get unboxed variables.
    mutating func useStaticTypes(_ types: StaticTypes) {
        staticTypes = types
        unboxedLocals = [:]
        facts = DominatingFacts()
        for (l, t) in types.locals.sorted(by: { $0.key < $1.key }) where t.isUnboxed {
            unboxedLocals[l] = b.declareVariable(t == .double ? .d : .l, name: (t == .double ? "f" : "n") + "\(l)")
        }
    }
}

/// Where a `recur` writes one of its arguments: the variable, and the
/// unboxed type it holds (nil: a KeelLisp value).
struct RecurSlot {
    let variable: Variable
    let unboxed: StaticType?
}
