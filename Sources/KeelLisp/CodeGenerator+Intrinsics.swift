import Keel

/// Lowering of the core functions the compiler knows by name (Intrinsics.swift).
extension CodeGenerator {
    /// The `w` truth value of a predicate intrinsic, or nil for one that makes a value.
    mutating func intrinsicTest(_ i: Intrinsic, _ args: [Ref], at: SourceLocation) throws(LispError) -> Ref? {
        switch i.shape {
        case .predicate(let f):
            if args.count == 1, let op = Self.signTests[f] {
                // (zero? x) and friends of a fixnum: its word against 0's (1).
                return fixnumOr(f, args, { b in b.emit(op, .w, args[0], b.integer(Value.fixnum(0)!)) })
            }
            if args.count == 1, let op = Self.parityTests[f] {
                // (odd? x) of a fixnum: bit 1 of its word (2n + 1) is n's bit 0.
                return fixnumOr(f, args, { b in b.emit(op, .w, b.emit(.and, .l, args[0], b.integer(2)), b.integer(0)) })
            }
            return callW(f, args)
        case .compare(let f):
            if args.count == 1 { return b.integer(1) }
            var all: Ref? = nil
            for k in 0..<(args.count - 1) {
                let w = compareNumbers(f, args[k], args[k + 1])
                all = all.map { b.emit(.and, .w, $0, w) } ?? w
            }
            return all
        case .special:
            switch i.name {
            case "not": return b.emit(.ceqw, .w, truthy(args[0]), b.integer(0))
            case "nil?": return b.emit(.ceql, .w, args[0], b.integer(Value.nilValue))
            case "some?": return b.emit(.cnel, .w, args[0], b.integer(Value.nilValue))
            case "not=":
                let equal = try intrinsicTest(Intrinsic.all["="]!, args, at: at)!
                return b.emit(.ceqw, .w, equal, b.integer(0))
            default: return nil
            }
        default:
            return nil
        }
    }

    /// The value of an intrinsic call on evaluated arguments.
    mutating func intrinsicValue(_ i: Intrinsic, _ args: [Ref], at: SourceLocation) throws(LispError) -> Ref {
        if let w = try intrinsicTest(i, args, at: at) { return boolean(w) }
        switch i.shape {
        case .fold(let binary, let identity, let unary):
            if args.isEmpty { return b.integer(Value.fixnum(identity ?? 0)!) }
            if args.count == 1 {
                if let unary { return arithmetic(unary, args) }
                return arithmetic(binary, [b.integer(Value.fixnum(identity ?? 1)!), args[0]])
            }
            return fold(binary, args)
        case .value(let f):
            return arithmetic(f, args)
        case .sink(let f):
            b.call(symbol(f), returnType: nil, arguments: args.map(rArg))
            return b.integer(Value.nilValue)
        case .arguments(let f, let returnsNil):
            let vector = allocVector(args)
            if returnsNil {
                b.call(symbol(f), returnType: nil, arguments: [rArg(vector)])
                return b.integer(Value.nilValue)
            }
            return callR(f, [vector])
        case .special:
            switch i.name {
            case "vector": return allocVector(args)
            case "nth": return args.count == 2 ? inlineNth(args[0], args[1]) : callR("kl_nth3", args)
            case "%apply":
                usesApply = true
                return callR("kl_apply", args)
            case "get": return callR(args.count == 2 ? "kl_get" : "kl_get3", args)
            case "subs": return callR("kl_subs", args.count == 3 ? args : args + [b.integer(Value.nilValue)])
            case "max": return fold("kl_max2", args)
            case "min": return fold("kl_min2", args)
            case "conj": return fold("kl_conj", args)
            case "assoc":
                guard (args.count - 1) % 2 == 0 else {
                    throw LispError(file: file, location: at, message: "assoc expects even number of arguments after map/vector, found odd number")
                }
                var m = args[0]
                for k in stride(from: 1, to: args.count, by: 2) { m = callR("kl_assoc", [m, args[k], args[k + 1]]) }
                return m
            default: break
            }
        case .predicate, .compare:
            break
        }
        throw LispError(file: file, location: at, message: "internal compiler error: no lowering for \(i.name)")
    }

    /// The `w` of comparison `f` of x and y: inline when both are fixnums
    /// (tagged words order as their values do), else the runtime's.
    private mutating func compareNumbers(_ f: String, _ x: Ref, _ y: Ref) -> Ref {
        let op: Opcode
        switch f {
        case "kl_lt": op = .csltl
        case "kl_gt": op = .csgtl
        case "kl_le": op = .cslel
        case "kl_ge": op = .csgel
        case "kl_num_eq", "kl_equiv": op = .ceql
        default: return callW(f, [x, y])
        }
        return fixnumOr(f, [x, y], { b in b.emit(op, .w, x, y) })
    }

    /// The runtime predicates whose fixnum case is one compare with 0.
    private static let signTests: [String: Opcode] = ["kl_zero_p": .ceql, "kl_pos_p": .csgtl, "kl_neg_p": .csltl]
    /// Those whose fixnum case tests one bit of the word against 0.
    private static let parityTests: [String: Opcode] = ["kl_even_p": .ceql, "kl_odd_p": .cnel]

    /// A `w`: `inline` when all of `args` are fixnums, else runtime function `f`.
    private mutating func fixnumOr(_ f: String, _ args: [Ref], _ inline: (inout FunctionBuilder) -> Ref) -> Ref {
        if let target = bailout {
            // In an inlined body: no slow path to join, so nothing to merge.
            bailUnlessFixnums(args, to: target)
            return inline(&b)
        }
        let result = b.declareVariable(.w, name: "cmp")
        let fast = b.createBlock("fixnums"), slow = b.createBlock("numbers"), join = b.createBlock("compared")
        b.markCold(slow)
        b.branch(allFixnums(args), fast, slow)
        b.sealBlock(fast)
        b.switchTo(fast)
        b.write(result, inline(&b))
        b.jump(join)
        b.sealBlock(slow)
        b.switchTo(slow)
        b.write(result, callW(f, args))
        b.jump(join)
        b.sealBlock(join)
        b.switchTo(join)
        return b.read(result)
    }

    /// A `w`, nonzero when every one of `values` is a fixnum (low bit set);
    /// constants and values known to be fixnums are not tested.
    private mutating func allFixnums(_ values: [Ref]) -> Ref {
        let function = b.function
        let unknown = values.filter { v in
            if knownFixnums.contains(v, in: function) { return false }
            if case .integer(let word)? = function.constant(v), word & 1 == 1 { return false }
            return true
        }
        guard var tags = unknown.first else { return b.integer(1) }
        for a in unknown.dropFirst() { tags = b.emit(.and, .l, tags, a) }
        return b.emit(.cnel, .w, b.emit(.and, .l, tags, b.integer(1)), b.integer(0))
    }

    /// In an inlined body: goes on when every one of `values` is a fixnum,
    /// else to the bailout `target`.
    private mutating func bailUnlessFixnums(_ values: [Ref], to target: BlockID) {
        let test = allFixnums(values)
        if case .integer(1)? = b.function.constant(test) { return }
        let fast = b.createBlock("fixnums")
        b.branch(test, fast, target)
        b.sealBlock(fast)
        b.switchTo(fast)
    }

    private mutating func fold(_ binary: String, _ args: [Ref]) -> Ref {
        var acc = args[0]
        for x in args.dropFirst() { acc = arithmetic(binary, [acc, x]) }
        return acc
    }

    /// Runtime arithmetic function `f` of `args`: inline on fixnums when
    /// FixnumInline has a form for it, inline on two doubles for `/`, else
    /// through its call fast path (never collects) when it has one, the full
    /// function (which may box, or report an error) running only when the
    /// fast path declines.
    mutating func arithmetic(_ f: String, _ args: [Ref]) -> Ref {
        let function = b.function
        let fixnumConstant = { (r: Ref) -> Int64? in
            guard case .integer(let word)? = function.constant(r), word & 1 == 1 else { return nil }
            return word >> 1
        }
        if let (inline, operands) = FixnumInline.form(of: f, args, fixnumConstant: fixnumConstant) {
            return inlineFixnum(f, inline, operands, args)
        }
        if f == "kl_div", args.count == 2 {
            return merged("quotient", at: "divided") { $0.doublesOrCall(f, args, $1, $2) }
        }
        guard let fast = RuntimeFunctions.fixnumFastPath[f] else { return callR(f, args) }
        if bailout == nil, args.count == 2, Self.doubleOperations[f] != nil { return fixnumsOrDoubles(f, fast, args) }
        return merged("sum", at: "fast") { $0.fastPathOrFull(f, fast, args, $1, $2) }
    }

    /// The value of variable `name` where the paths of `paths` meet: it ends
    /// the current block, every path writing the variable and jumping to the
    /// block `at`, where generation goes on.
    mutating func merged(_ name: String, at label: String, type: BaseType = .r,
                         _ paths: (inout CodeGenerator, Variable, BlockID) -> Void) -> Ref {
        let result = b.declareVariable(type, name: name)
        let join = b.createBlock(label)
        paths(&self, result, join)
        b.sealBlock(join)
        b.switchTo(join)
        return b.read(result)
    }

    /// Ends the current block: `result` is runtime function `f` of `args`
    /// through its call fast path `fast` (never collects), the full function
    /// (boxing, errors) only when the fast path declines; then to `join`.
    private mutating func fastPathOrFull(_ f: String, _ fast: String, _ args: [Ref], _ result: Variable, _ join: BlockID) {
        let quick = callR(fast, args)
        b.write(result, quick)
        let slow = b.createBlock("slow")
        b.markCold(slow)
        b.branch(b.emit(.ceql, .w, quick, b.integer(Value.unbound)), slow, join)
        b.sealBlock(slow)
        b.switchTo(slow)
        b.write(result, callR(f, args))
        b.jump(join)
    }

    /// `*` of two values with no inline fixnum form: on fixnums the call
    /// fast path `fast` (never collects), the full function `f` only when it
    /// overflows; on two boxed doubles the operation inline (nbody's products).
    private mutating func fixnumsOrDoubles(_ f: String, _ fast: String, _ args: [Ref]) -> Ref {
        merged("num", at: "computed") { g, result, join in
            let fixnums = g.b.createBlock("fixnums"), numbers = g.b.createBlock("numbers")
            g.b.branch(g.allFixnums(args), fixnums, numbers)
            g.b.sealBlock(fixnums)
            g.b.switchTo(fixnums)
            g.fastPathOrFull(f, fast, args, result, join)
            g.b.sealBlock(numbers)
            g.b.switchTo(numbers)
            g.doublesOrCall(f, args, result, join)
        }
    }

    /// Fixnum arithmetic compiled inline (FixnumInline.swift): when every
    /// operand is a fixnum and the result stays one, a few instructions and
    /// `tagr`; otherwise the runtime's full function `f` (boxing, doubles,
    /// errors), which the inline path never has to call.
    /// `operands` are those of `args` the inline form reads (a constant
    /// factor is part of the form).
    /// The untagged word of `inline` on `operands`; when the form can
    /// decline (overflow), that branches to `target` and the code goes on
    /// where it fits.
    private mutating func emitInline(_ inline: FixnumInline, _ operands: [Ref], declinedTo target: BlockID) -> Ref {
        let (word, declined) = inline.emit(&b, operands)
        if let declined {
            let fits = b.createBlock("fits")
            b.branch(declined, target, fits)
            b.sealBlock(fits)
            b.switchTo(fits)
        }
        return word
    }

    private mutating func inlineFixnum(_ f: String, _ inline: FixnumInline, _ operands: [Ref], _ args: [Ref]) -> Ref {
        if let target = bailout {
            // In an inlined body the result is a fixnum: the rest bails out.
            bailUnlessFixnums(operands, to: target)
            let r = b.emit(.tagr, .r, emitInline(inline, operands, declinedTo: target))
            knownFixnums.insert(r, in: b.function)
            return r
        }
        let result = b.declareVariable(.r, name: "num")
        let fast = b.createBlock("fixnums"), slow = b.createBlock("numbers"), join = b.createBlock("computed")
        // Off fixnums: two boxed doubles (inline, not cold) or a runtime call;
        // with a constant operand (a fixnum) only the call.
        let function = b.function
        if operands.count != 2 || Self.doubleOperations[f] == nil || args.contains(where: { function.constant($0) != nil }) {
            b.markCold(slow)
        }
        b.branch(allFixnums(operands), fast, slow)
        b.sealBlock(fast)
        b.switchTo(fast)
        b.write(result, b.emit(.tagr, .r, emitInline(inline, operands, declinedTo: slow)))
        b.jump(join)
        b.sealBlock(slow)
        b.switchTo(slow)
        if operands.count == 2 {
            doublesOrCall(f, args, result, join)
        } else {
            b.write(result, callR(f, args))
            b.jump(join)
        }
        b.sealBlock(join)
        b.switchTo(join)
        let value = b.read(result)
        if FixnumFacts.alwaysFixnum(f, args, in: b.function) { knownFixnums.insert(value, in: b.function) }
        return value
    }

    /// Ends the current block: when both of `args` are boxed doubles and `f`
    /// is + - * or /, the double operation inline and a new box (nbody's
    /// whole diet); else the call of `f`. Either writes `result` and jumps to
    /// `join`.
    private mutating func doublesOrCall(_ f: String, _ args: [Ref], _ result: Variable, _ join: BlockID) {
        guard let op = Self.doubleOperations[f] else {
            b.write(result, callR(f, args))
            b.jump(join)
            return
        }
        let objects = b.createBlock("objects"), doubles = b.createBlock("doubles"), other = b.createBlock("other")
        b.markCold(other)
        b.branch(b.emit(.and, .w, isObject(args[0]), isObject(args[1])), objects, other)
        b.sealBlock(objects)
        b.switchTo(objects)
        let layout = symbol("kl_double_layout")
        let same = b.emit(.and, .w, b.emit(.ceql, .w, b.emit(.loadl, .l, args[0]), layout),
                          b.emit(.ceql, .w, b.emit(.loadl, .l, args[1]), layout))
        b.branch(same, doubles, other)
        b.sealBlock(doubles)
        b.switchTo(doubles)
        b.write(result, boxDouble(b.emit(op, .d, unboxDouble(args[0]), unboxDouble(args[1]))))
        b.jump(join)
        b.sealBlock(other)
        b.switchTo(other)
        b.write(result, callR(f, args))
        b.jump(join)
    }

    /// The double in boxed double `v` (its one payload word).
    mutating func unboxDouble(_ v: Ref) -> Ref {
        b.emit(.loadd, .d, b.emit(.add, .l, v, b.integer(16)))
    }

    /// A new box holding double `z`.
    mutating func boxDouble(_ z: Ref) -> Ref {
        let box = b.call(symbol("keel_alloc"), returnType: .base(.r),
                         arguments: [CallArgument(type: .base(.l), value: symbol("kl_double_layout")),
                                     CallArgument(type: .base(.l), value: b.integer(1))])
        b.emit(.stored, .d, z, b.emit(.add, .l, box, b.integer(16)))
        return box
    }

    static let doubleOperations: [String: Opcode] = ["kl_add": .add, "kl_sub": .sub, "kl_mul": .mul, "kl_div": .div]
}
