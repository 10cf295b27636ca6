import Keel

/// Code for expressions whose static type is double (StaticTypes.swift):
/// computed in double registers with no tests, and boxed only where a value
/// leaves for code that takes any value (a call, a collection, printing).
extension CodeGenerator {
    /// The unboxed `d` of `e`, whose static type is double; nil when control
    /// does not continue.
    mutating func genDouble(_ e: Expr) throws(LispError) -> Ref? {
        switch e {
        case .constant(let form):
            switch form.kind {
            case .double(let d): return b.constant(.double(d))
            case .integer(let n): return b.constant(.double(Double(n)))
            default: break
            }
        case .local(let l):
            return b.read(doubleLocals[l]!)
        case .bind(let bindings, let body):
            guard try bindLocals(bindings) else { return nil }
            return try genDouble(body)
        case .loop(let id, let bindings, let body):
            guard try enterLoop(id, bindings) else { return nil }
            let v = try genDouble(body)
            b.sealBlock(loopTargets[id]!.0)
            return v
        case .recur, .throwValue, .noMatchingClause:
            _ = try gen(e)   // control does not continue
            return nil
        case .doExpr(let xs):
            for x in xs.dropLast() { guard try genEffect(x) else { return nil } }
            return try genDouble(xs[xs.count - 1])
        case .ifExpr(let test, let then, let otherwise):
            guard let cond = try genTest(test) else { return nil }
            let result = b.declareVariable(.d, name: "double")
            let t = b.createBlock("then"), f = b.createBlock("else"), join = b.createBlock("join")
            b.branch(cond, t, f)
            b.sealBlock(t)
            b.sealBlock(f)
            var reached = false
            for (block, branch) in [(t, then), (f, otherwise)] {
                b.switchTo(block)
                if let v = try genDouble(branch) {
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
        case .intrinsic(let intrinsic, let args, let at):
            position = at
            switch intrinsic.name {
            case "+", "-", "*", "/":
                var operands: [Ref] = []
                for x in args {
                    guard let v = try genDouble(x) else { return nil }
                    operands.append(v)
                }
                guard case .fold(let f, _, _) = intrinsic.shape, let op = Self.doubleOperations[f] else { break }
                if operands.count == 1 {
                    if intrinsic.name == "-" { return b.emit(.neg, .d, operands[0]) }
                    if intrinsic.name == "/" { return b.emit(.div, .d, b.constant(.double(1)), operands[0]) }
                    return operands[0]
                }
                return operands.dropFirst().reduce(operands[0]) { b.emit(op, .d, $0, $1) }
            case "Math/sqrt":
                guard let x = try genDouble(args[0]) else { return nil }
                return b.call(symbol("sqrt"), returnType: .base(.d), arguments: [CallArgument(type: .base(.d), value: x)])
            case "double":
                return try genDouble(args[0])
            case "aget":
                guard let a = try gen(args[0]), let i = try gen(args[1]) else { return nil }
                return doubleArrayGet(a, i)
            default: break
            }
        default: break
        }
        throw LispError(file: file, location: position, message: "internal compiler error: no double code for \(e)")
    }

    /// Generates `e` for its effects only (its value is dropped): an `aset`
    /// of a double then stores it with no box. False when control does not continue.
    mutating func genEffect(_ e: Expr) throws(LispError) -> Bool {
        if case .intrinsic(let intrinsic, let args, let at) = e, intrinsic.name == "aset", args.count == 3,
           let kind = staticTypes.of(args[0]), kind != .double {
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
        loopTargets[id] = (header, bindings.map { l, _ in doubleLocals[l].map { ($0, true) } ?? (locals[l], false) })
        return true
    }

    /// The `d` of any value, converted as `double` converts it (a non-number is an error).
    mutating func toDouble(_ v: Ref) -> Ref { unboxDouble(callR("kl_double", [v])) }

    /// Writes `bindings` to their locals, unboxed for the double ones.
    /// False when control does not continue.
    mutating func bindLocals(_ bindings: [(Int, Expr)]) throws(LispError) -> Bool {
        for (local, x) in bindings {
            if let d = doubleLocals[local] {
                guard let v = try genDouble(x) else { return false }
                b.write(d, v)
            } else {
                guard let v = try gen(x) else { return false }
                b.write(locals[local], v)
            }
        }
        return true
    }

    /// The value of local `l` as a KeelLisp value (a double local is boxed).
    mutating func readLocal(_ l: Int) -> Ref {
        if let d = doubleLocals[l] { return boxDouble(b.read(d)) }
        return b.read(locals[l])
    }

    /// Types the locals of the code generated next (StaticTypes): its
    /// double locals get unboxed variables.
    mutating func useStaticTypes(_ types: StaticTypes) {
        staticTypes = types
        doubleLocals = [:]
        for (l, t) in types.locals.sorted(by: { $0.key < $1.key }) where t == .double {
            doubleLocals[l] = b.declareVariable(.d, name: "f\(l)")
        }
    }
}
