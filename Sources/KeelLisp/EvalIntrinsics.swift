/// The evaluator's versions of the core functions the compiler lowers by
/// name (Intrinsics.swift), with the runtime's semantics and its messages
/// (numbers.c, collections.c, print.c), written again from those.
extension Evaluator {
    static func fail(_ kind: String, _ message: String) -> EvalStop { .runtime(kind: kind, message: message) }

    func intrinsic(_ name: String, _ a: [EvalValue]) throws(EvalStop) -> EvalValue {
        switch name {
        case "+": return try fold(a, identity: 0) { (x, y) throws(EvalStop) in try Self.arith("+", x, y, &+, { $0.addingReportingOverflow($1) }, +) }
        case "*": return try fold(a, identity: 1) { (x, y) throws(EvalStop) in try Self.arith("*", x, y, &*, { $0.multipliedReportingOverflow(by: $1) }, *) }
        case "-":
            if a.count == 1 {
                if case .double(let d) = a[0] { return .double(-d) }   // -0.0 for 0.0, as Clojure
                return try Self.sub(.int(0), a[0])
            }
            return try fold(a, identity: nil) { (x, y) throws(EvalStop) in try Self.sub(x, y) }
        case "/":
            if a.count == 1 { return try Self.div(.int(1), a[0]) }
            return try fold(a, identity: nil) { (x, y) throws(EvalStop) in try Self.div(x, y) }
        case "<", ">", "<=", ">=", "==":
            var all = true
            for k in 0..<max(0, a.count - 1) {
                let c = try Self.numericCompare(name, a[k], a[k + 1])
                let ok: Bool
                switch name {
                case "<": ok = c == -1
                case ">": ok = c == 1
                case "<=": ok = c == -1 || c == 0
                case ">=": ok = c == 1 || c == 0
                default: ok = c == 0
                }
                all = all && ok
            }
            return .bool(all)
        case "=":
            var all = true
            for k in 0..<max(0, a.count - 1) { all = a[k].equiv(a[k + 1]) && all }
            return .bool(all)
        case "not=":
            var all = true
            for k in 0..<max(0, a.count - 1) { all = a[k].equiv(a[k + 1]) && all }
            return .bool(!all)
        case "inc": return try Self.arith("inc", a[0], .int(1), &+, { $0.addingReportingOverflow($1) }, +)
        case "dec": return try Self.sub(a[0], .int(1), name: "dec")
        case "count": return .int(Int64(try Self.count(a[0])))
        case "first": return try Self.first(a[0])
        case "rest": return try Self.rest(a[0])
        case "next":
            let r = try Self.rest(a[0])
            if case .list(nil) = r { return .nil_ }
            return r
        case "seq": return try Self.seq(a[0])
        case "vec":
            if case .vector = a[0] { return a[0] }
            return .vector(try Self.items(try Self.seq(a[0])))
        case "keyword":
            switch a[0] {
            case .keyword: return a[0]
            case .string(let s), .symbol(let s): return .keyword(s)
            default: return .nil_
            }
        case "name":
            switch a[0] {
            case .string: return a[0]
            case .keyword(let s), .symbol(let s): return .string(Self.splitName(s).name)
            default: throw Self.fail("ClassCastException", "name: \(a[0].typeName) cannot be cast to clojure.lang.Named")
            }
        case "namespace":
            switch a[0] {
            case .keyword(let s), .symbol(let s): return Self.splitName(s).namespace.map { .string($0) } ?? .nil_
            default: throw Self.fail("ClassCastException", "namespace: \(a[0].typeName) cannot be cast to clojure.lang.Named")
            }
        case "hash":
            throw EvalStop.unsupported("hash: the runtime's hash values are its own (not modelled)")
        case "parse-long":
            guard case .string(let s) = a[0] else {
                throw Self.fail("IllegalArgumentException", "parse-long: expected a string, got \(a[0].typeName)")
            }
            return Self.parseLong(s)
        case "quot", "rem", "mod":
            if a[0].isNumber, a[1].isNumber, case .double = a[0] { return try Self.doubleDivision(name, a[0], a[1]) }
            if a[0].isNumber, a[1].isNumber, case .double = a[1] { return try Self.doubleDivision(name, a[0], a[1]) }
            guard case .int(let x) = a[0], case .int(let y) = a[1] else {
                let bad: EvalValue
                if case .int = a[0] { bad = a[1] } else { bad = a[0] }
                throw Self.fail("IllegalArgumentException", "\(name): expected integers, got \(bad.typeName)")
            }
            if y == 0 { throw Self.fail("ArithmeticException", "Divide by zero") }
            if name == "quot" {
                if x == Int64.min && y == -1 { throw Self.overflow }
                return .int(x / y)
            }
            if y == -1 { return .int(0) }
            var m = x % y
            if name == "mod" && m != 0 && ((m < 0) != (y < 0)) { m += y }
            return .int(m)
        case "bit-and", "bit-or", "bit-xor":
            var acc = try Self.bitOperand(a[0])
            for x in a.dropFirst() {
                let y = try Self.bitOperand(x)
                acc = name == "bit-and" ? acc & y : name == "bit-or" ? acc | y : acc ^ y
            }
            return .int(acc)
        case "bit-not": return .int(~(try Self.bitOperand(a[0])))
        case "bit-shift-left", "bit-shift-right", "unsigned-bit-shift-right":
            // Java's shifts: the count's low 6 bits.
            let x = try Self.bitOperand(a[0]), n = try Self.bitOperand(a[1]) & 63
            switch name {
            case "bit-shift-left": return .int(x &<< n)
            case "bit-shift-right": return .int(x >> n)
            default: return .int(Int64(bitPattern: UInt64(bitPattern: x) >> UInt64(n)))
            }
        case "Math/sqrt": return .double(try Self.doubleOperand(name, a[0]).squareRoot())
        case "double":
            if case .double = a[0] { return a[0] }
            return .double(try Self.doubleOperand(name, a[0]))
        case "long":
            if case .int = a[0] { return a[0] }
            let d = try Self.doubleOperand(name, a[0])
            guard d >= -9223372036854775808.0 && d < 9223372036854775808.0 else {
                throw EvalStop.unsupported("long of a double out of the 64-bit range (the message's %g is not modelled)")
            }
            return .int(Int64(d))
        case "pop":
            switch a[0] {
            case .nil_: return .nil_
            case .list(nil): throw Self.fail("IllegalStateException", "Can't pop empty list")
            case .list(let c): return .list(c!.rest)
            case .vector(let xs):
                if xs.isEmpty { throw Self.fail("IllegalStateException", "Can't pop empty vector") }
                return .vector(Array(xs.dropLast()))
            default: throw Self.fail("ClassCastException", "pop: \(a[0].typeName) cannot be cast to clojure.lang.IPersistentStack")
            }
        case "%reverse!":
            // The compiled code reuses the cells; values are the same.
            return .list(of: try Self.items(a[0]).reversed())
        case "peek":
            switch a[0] {
            case .nil_, .list(nil): return .nil_
            case .list(let c): return c!.first
            case .vector(let xs): return xs.last ?? .nil_
            default: throw Self.fail("ClassCastException", "peek: \(a[0].typeName) cannot be cast to clojure.lang.IPersistentStack")
            }
        case "disj":
            switch a[0] {
            case .nil_: return .nil_
            case .set(var xs):
                xs.removeAll { $0.equiv(a[1]) }
                return .set(xs)
            default: throw Self.fail("ClassCastException", "disj: \(a[0].typeName) cannot be cast to clojure.lang.IPersistentSet")
            }
        case "dissoc":
            switch a[0] {
            case .nil_: return .nil_
            case .map(var kv):
                for i in stride(from: 0, to: kv.count, by: 2) where kv[i].equiv(a[1]) {
                    kv.removeSubrange(i...(i + 1))
                    return .map(kv)
                }
                return a[0]
            default: throw Self.fail("ClassCastException", "dissoc: \(a[0].typeName) is not a map")
            }
        case "cons":
            switch a[1] {
            case .nil_: return .list(EvalCons(a[0], nil))
            case .list(let c): return .list(EvalCons(a[0], c))
            default:
                let s = try Self.seq(a[1])
                if case .list(let c) = s { return .list(EvalCons(a[0], c)) }
                return .list(EvalCons(a[0], nil))
            }
        case "zero?": return .bool(try Self.numericCompare("zero?", a[0], .int(0)) == 0)
        case "pos?": return .bool(try Self.numericCompare("pos?", a[0], .int(0)) == 1)
        case "neg?": return .bool(try Self.numericCompare("neg?", a[0], .int(0)) == -1)
        case "even?", "odd?":
            guard case .int(let x) = a[0] else {
                throw Self.fail("IllegalArgumentException", "Argument must be an integer: \(a[0].typeName)")
            }
            return .bool((x & 1 == 0) == (name == "even?"))
        case "empty?": return .bool(try Self.count(a[0]) == 0)
        case "number?": return .bool(a[0].isNumber)
        case "string?": if case .string = a[0] { return .bool(true) } else { return .bool(false) }
        case "keyword?": if case .keyword = a[0] { return .bool(true) } else { return .bool(false) }
        case "map?": if case .map = a[0] { return .bool(true) } else { return .bool(false) }
        case "vector?": if case .vector = a[0] { return .bool(true) } else { return .bool(false) }
        case "fn?": if case .fn = a[0] { return .bool(true) } else { return .bool(false) }
        case "seq?": if case .list = a[0] { return .bool(true) } else { return .bool(false) }
        case "contains?":
            switch a[0] {
            case .map(let kv): return .bool(EvalValue.lookup(kv, a[1]) != nil)
            case .set(let xs): return .bool(xs.contains { $0.equiv(a[1]) })
            case .vector(let xs):
                if case .int(let i) = a[1] { return .bool(i >= 0 && i < xs.count) }
                return .bool(false)
            case .nil_: return .bool(false)
            default: throw Self.fail("IllegalArgumentException", "contains? not supported on type: \(a[0].typeName)")
            }
        case "str", "%str-of-vector":
            var out = ""
            let xs = name == "str" ? a : try Self.items(a[0])
            try Self.requireDefinedOrder(xs)
            for x in xs {
                switch x {
                case .nil_: break
                case .string, .char: x.print(to: &out, readably: false)
                default: x.print(to: &out, readably: true)
                }
            }
            return .string(out)
        case "pr-str", "%pr-str-of-vector":
            let xs = name == "pr-str" ? a : try Self.items(a[0])
            try Self.requireDefinedOrder(xs)
            return .string(xs.map { $0.printed(readably: true) }.joined(separator: " "))
        case "println", "print", "prn", "pr":
            try write(a, readably: name == "pr" || name == "prn", newline: name.hasSuffix("ln") || name == "prn")
            return .nil_
        case "%println-vector", "%print-vector", "%prn-vector", "%pr-vector":
            let base = String(name.dropFirst().dropLast("-vector".count))
            try write(try Self.items(a[0]), readably: base == "pr" || base == "prn", newline: base.hasSuffix("ln") || base == "prn")
            return .nil_
        case "list", "%list-of-vector":
            return .list(of: name == "list" ? a : try Self.items(a[0]))
        case "hash-map", "%map-of-vector":
            let xs = name == "hash-map" ? a : try Self.items(a[0])
            if xs.count % 2 == 1 {
                throw Self.fail("IllegalArgumentException", "No value supplied for key: (an odd number of forms in a map)")
            }
            var m: EvalValue = .map([])
            for i in stride(from: 0, to: xs.count, by: 2) { m = try Self.assoc(m, xs[i], xs[i + 1]) }
            return m
        case "hash-set", "%set-of-vector":
            var s: EvalValue = .set([])
            for x in name == "hash-set" ? a : try Self.items(a[0]) { s = try Self.conj(s, x) }
            return s
        case "%apply":
            return try invoke(a[0], try Self.items(a[1]))
        case "%nthnext":
            guard case .int(let n) = a[1] else { throw Self.fail("IllegalArgumentException", "nthnext: count must be an integer") }
            if case .vector(let xs) = a[0] {
                if n >= xs.count { return .nil_ }
                return .list(of: Array(xs.dropFirst(Int(max(0, n)))))
            }
            var s = try Self.seq(a[0])
            var k: Int64 = 0
            while k < n, case .list = s {
                let r = try Self.rest(s)
                if case .list(nil) = r { s = .nil_ } else { s = r }
                k += 1
            }
            return s
        case "nth":
            return try Self.nth(a[0], a[1], notFound: a.count == 3 ? a[2] : nil)
        case "%fail":
            throw Self.fail("IllegalArgumentException", a[0].printed(readably: false))
        case "compare":
            return .int(Int64(try Self.compare(a[0], a[1])))
        case "not": return .bool(!a[0].truthy)
        case "nil?": if case .nil_ = a[0] { return .bool(true) } else { return .bool(false) }
        case "some?": if case .nil_ = a[0] { return .bool(false) } else { return .bool(true) }
        case "vector": return .vector(a)
        case "get": return try Self.get(a[0], a[1], a.count == 3 ? a[2] : .nil_)
        case "subs": return try Self.subs(a[0], a[1], a.count == 3 ? a[2] : .nil_)
        case "max", "min":
            var acc = a[0]
            for x in a.dropFirst() {
                let c = try Self.numericCompare(name, acc, x)
                if name == "max" ? c == -1 : c == 1 { acc = x }
            }
            return acc
        case "conj":
            var acc = a[0]
            for x in a.dropFirst() { acc = try Self.conj(acc, x) }
            return acc
        case "assoc":
            var m = a[0]
            for k in stride(from: 1, to: a.count - 1, by: 2) { m = try Self.assoc(m, a[k], a[k + 1]) }
            return m
        case "double-array", "long-array", "byte-array": return try Self.makeArray(name, a[0])
        case "aget":
            let (array, i) = try Self.arrayIndex("aget", 2, a[0], a[1])
            switch array.items {
            case .doubles(let xs): return .double(xs[i])
            case .longs(let xs): return .int(xs[i])
            case .bytes(let xs): return .int(Int64(xs[i]))
            }
        case "aset":
            let (array, i) = try Self.arrayIndex("aset", 3, a[0], a[1])
            guard a[2].isNumber else {
                throw Self.fail("IllegalArgumentException",
                                "No matching method aset found taking 3 args: a \(a[2].typeName) cannot be stored in a \(array.typeName)")
            }
            switch array.items {
            case .doubles(var xs):
                array.items = .longs([])  // keeps xs uniquely referenced
                xs[i] = Self.asDouble(a[2])
                array.items = .doubles(xs)
            case .longs(var xs):
                array.items = .doubles([])
                xs[i] = Self.javaLong(a[2])
                array.items = .longs(xs)
            case .bytes(var xs):
                // Clojure's aset of a byte-array takes only a Byte: an integer -128..127 here.
                guard case .int(let n) = a[2] else {
                    throw Self.fail("IllegalArgumentException",
                                    "No matching method aset found taking 3 args: a \(a[2].typeName) cannot be stored in a [B")
                }
                guard n >= -128 && n <= 127 else {
                    throw Self.fail("IllegalArgumentException",
                                    "No matching method aset found taking 3 args: \(n) is out of range for a [B (-128..127: use unchecked-byte)")
                }
                array.items = .doubles([])
                xs[i] = Int8(n)
                array.items = .bytes(xs)
            }
            return a[2]
        case "unchecked-byte":
            guard a[0].isNumber else {
                throw Self.fail("ClassCastException", "unchecked-byte: class \(a[0].typeName) cannot be cast to class java.lang.Number")
            }
            return .int(Int64(Self.javaByte(a[0])))
        case "byte":
            guard a[0].isNumber else {
                throw Self.fail("ClassCastException", "byte: class \(a[0].typeName) cannot be cast to class java.lang.Number")
            }
            var type = "byte"
            switch a[0] {
            case .int(let n) where n >= -128 && n <= 127: return a[0]
            case .double(let d):
                if d.isNaN { return .int(0) }
                if d > -129.0 && d < 128.0 { return .int(Int64(d)) }
                if !(d >= -9223372036854775808.0 && d < 9223372036854775808.0) { type = "long" }
            default: break
            }
            var text = ""
            a[0].print(to: &text, readably: true)
            throw Self.fail("IllegalArgumentException", "Value out of range for \(type): \(text)")
        case "unchecked-add": return try Self.unchecked(name, a[0], a[1], &+, +)
        case "unchecked-subtract": return try Self.unchecked(name, a[0], a[1], &-, -)
        case "unchecked-multiply": return try Self.unchecked(name, a[0], a[1], &*, *)
        case "unchecked-inc": return try Self.unchecked(name, a[0], .int(1), &+, +)
        case "unchecked-dec": return try Self.unchecked(name, a[0], .int(1), &-, -)
        case "unchecked-negate":
            if case .double(let d) = a[0] { return .double(-d) }
            return try Self.unchecked(name, .int(0), a[0], &-, -)
        case "alength":
            guard case .array(let array) = a[0] else {
                throw Self.fail("IllegalArgumentException", "No matching method alength found taking 1 args: \(a[0].typeName) is not an array")
            }
            return .int(Int64(array.count))
        default:
            throw EvalStop.unsupported("the core function \(name) is not modelled by the evaluator")
        }
    }

    private func fold(_ a: [EvalValue], identity: Int64?,
                      _ op: (EvalValue, EvalValue) throws(EvalStop) -> EvalValue) throws(EvalStop) -> EvalValue {
        if a.isEmpty { return .int(identity ?? 0) }
        if a.count == 1 { return try op(.int(identity ?? 0), a[0]) }
        var acc = a[0]
        for x in a.dropFirst() { acc = try op(acc, x) }
        return acc
    }

    /// Sets of several items and maps of more than 8 entries print in the
    /// runtime's hash order, which the evaluator does not model: it refuses.
    static func requireDefinedOrder(_ xs: [EvalValue]) throws(EvalStop) {
        for x in xs where x.orderIsHashDefined {
            throw EvalStop.unsupported("printing a set of several items or a map of more than 8 entries (hash order)")
        }
    }

    private func write(_ xs: [EvalValue], readably: Bool, newline: Bool) throws(EvalStop) {
        try Self.requireDefinedOrder(xs)
        for (i, x) in xs.enumerated() {
            if i > 0 { output += " " }
            x.print(to: &output, readably: readably)
        }
        if newline { output += "\n" }
    }

    // MARK: primitive arrays (arrays.c)

    /// The evaluator allocates arrays in Swift; past this length it refuses
    /// (the runtime's limits and memory are not modelled).
    static let largestModelledArray: Int64 = 1 << 24

    /// (double-array x) / (long-array x) / (byte-array x): a size (zeros) or a list or vector of numbers.
    static func makeArray(_ name: String, _ x: EvalValue) throws(EvalStop) -> EvalValue {
        let doubles = name == "double-array", bytes = name == "byte-array"
        if case .int(let n) = x {
            if n < 0 { throw fail("NegativeArraySizeException", "\(name): negative size \(n)") }
            if n > largestModelledArray { throw EvalStop.unsupported("an array of \(n) items (memory is not modelled)") }
            if bytes { return .array(EvalArray(.bytes(Array(repeating: 0, count: Int(n))))) }
            return .array(EvalArray(doubles ? .doubles(Array(repeating: 0, count: Int(n))) : .longs(Array(repeating: 0, count: Int(n)))))
        }
        if x.isNumber { throw fail("IllegalArgumentException", "\(name): size must be an integer, got \(x.typeName)") }
        let items: [EvalValue]
        switch x {
        case .nil_: items = []
        case .list(let c): items = c?.items ?? []
        case .vector(let xs): items = xs
        default: throw fail("IllegalArgumentException", "\(name): expected a size or a list or vector, got \(x.typeName)")
        }
        for item in items where !item.isNumber {
            throw fail("ClassCastException", "\(name): class \(item.typeName) cannot be cast to class java.lang.Number")
        }
        if bytes { return .array(EvalArray(.bytes(items.map(javaByte)))) }
        return .array(EvalArray(doubles ? .doubles(items.map(asDouble)) : .longs(items.map(javaLong))))
    }

    /// A number's low 8 bits as Java's Number.byteValue() takes them
    /// (byte-array items, unchecked-byte; arrays.c, java_byte_of): a
    /// double is converted to an int first (toward zero, saturating, NaN 0).
    static func javaByte(_ v: EvalValue) -> Int8 {
        switch v {
        case .int(let n): return Int8(truncatingIfNeeded: n)
        case .double(let d):
            let i: Int32 = d.isNaN ? 0 : d >= 2147483647.0 ? Int32.max : d <= -2147483648.0 ? Int32.min : Int32(d)
            return Int8(truncatingIfNeeded: i)
        default: return 0
        }
    }

    /// The unchecked-* arithmetic (numbers.c, unchecked): longs wrap, a double operand makes it double arithmetic.
    static func unchecked(_ op: String, _ a: EvalValue, _ b: EvalValue, _ wrapping: (Int64, Int64) -> Int64,
                          _ real: (Double, Double) -> Double) throws(EvalStop) -> EvalValue {
        if case .int(let x) = a, case .int(let y) = b { return .int(wrapping(x, y)) }
        try checkNumber(op, a)
        try checkNumber(op, b)
        return .double(real(asDouble(a), asDouble(b)))
    }

    /// A number as a long element: a double converted as Java's (long) cast
    /// does (toward zero, saturating, NaN 0).
    static func javaLong(_ v: EvalValue) -> Int64 {
        switch v {
        case .int(let n): return n
        case .double(let d):
            if d.isNaN { return 0 }
            if d >= 9223372036854775808.0 { return Int64.max }
            if d <= -9223372036854775808.0 { return Int64.min }
            return Int64(d)
        default: return 0
        }
    }

    /// The array and index of aget/aset, checked as arrays.c checks them.
    static func arrayIndex(_ name: String, _ nargs: Int, _ a: EvalValue, _ index: EvalValue) throws(EvalStop) -> (EvalArray, Int) {
        guard case .array(let array) = a else {
            throw fail("IllegalArgumentException", "No matching method \(name) found taking \(nargs) args: \(a.typeName) is not an array")
        }
        guard case .int(let i) = index else {
            throw fail("IllegalArgumentException", "\(name): index must be an integer, got \(index.typeName)")
        }
        guard i >= 0 && i < array.count else {
            throw fail("ArrayIndexOutOfBoundsException", "Index \(i) out of bounds for length \(array.count)")
        }
        return (array, Int(i))
    }

    // MARK: numbers

    /// A bit operation's operand: an integer (numbers.c, bit_operand).
    static func bitOperand(_ v: EvalValue) throws(EvalStop) -> Int64 {
        guard case .int(let n) = v else {
            throw fail("IllegalArgumentException", "bit operation not supported for: class \(v.typeName)")
        }
        return n
    }

    /// Math/sqrt's and double's operand: any number (numbers.c, double_operand).
    static func doubleOperand(_ name: String, _ v: EvalValue) throws(EvalStop) -> Double {
        guard v.isNumber else {
            throw fail("ClassCastException", "\(name): class \(v.typeName) cannot be cast to class java.lang.Number")
        }
        return asDouble(v)
    }

    /// A keyword's or symbol's text split at its first '/' (not "/" alone), as names.c splits it.
    static func splitName(_ s: String) -> (namespace: String?, name: String) {
        guard s.utf8.count > 1, let slash = s.firstIndex(of: "/") else { return (nil, s) }
        return (String(s[..<slash]), String(s[s.index(after: slash)...]))
    }

    static let overflow = EvalStop.runtime(kind: "ArithmeticException", message: "integer overflow")

    /// quot, rem and mod with a double operand (numbers.c, double_division).
    static func doubleDivision(_ name: String, _ a: EvalValue, _ b: EvalValue) throws(EvalStop) -> EvalValue {
        let n = asDouble(a), d = asDouble(b)
        if d == 0 { throw fail("ArithmeticException", "Divide by zero") }
        let q = (n / d).rounded(.towardZero)
        if name == "quot" { return .double(q) }
        var m = n - q * d
        if name == "mod" && m != 0 && (n > 0) != (d > 0) { m += d }
        return .double(m)
    }

    static func checkNumber(_ op: String, _ v: EvalValue) throws(EvalStop) {
        if !v.isNumber { throw fail("ClassCastException", "\(op): \(v.typeName) cannot be cast to java.lang.Number") }
    }

    static func asDouble(_ v: EvalValue) -> Double {
        switch v {
        case .int(let n): return Double(n)
        case .double(let d): return d
        default: return 0
        }
    }

    static func arith(_ op: String, _ a: EvalValue, _ b: EvalValue, _ unused: (Int64, Int64) -> Int64,
                      _ checked: (Int64, Int64) -> (partialValue: Int64, overflow: Bool),
                      _ real: (Double, Double) -> Double) throws(EvalStop) -> EvalValue {
        if case .int(let x) = a, case .int(let y) = b {
            let r = checked(x, y)
            if r.overflow { throw overflow }
            return .int(r.partialValue)
        }
        try checkNumber(op, a)
        try checkNumber(op, b)
        return .double(real(asDouble(a), asDouble(b)))
    }

    static func sub(_ a: EvalValue, _ b: EvalValue, name: String = "-") throws(EvalStop) -> EvalValue {
        try arith(name, a, b, &-, { $0.subtractingReportingOverflow($1) }, -)
    }

    static func div(_ a: EvalValue, _ b: EvalValue) throws(EvalStop) -> EvalValue {
        if case .int(let x) = a, case .int(let y) = b {
            if y == 0 { throw fail("ArithmeticException", "Divide by zero") }
            if x == Int64.min && y == -1 { throw overflow }
            if x % y != 0 { throw fail("ArithmeticException", "/: \(x)/\(y) is not an integer (ratios are not supported)") }
            return .int(x / y)
        }
        try checkNumber("/", a)
        try checkNumber("/", b)
        return .double(asDouble(a) / asDouble(b))
    }

    /// -1, 0, 1, or 2 when a NaN makes them unordered.
    static func numericCompare(_ name: String, _ a: EvalValue, _ b: EvalValue) throws(EvalStop) -> Int {
        if case .int(let x) = a, case .int(let y) = b { return x < y ? -1 : x > y ? 1 : 0 }
        try checkNumber(name, a)
        try checkNumber(name, b)
        let p = asDouble(a), q = asDouble(b)
        if p.isNaN || q.isNaN { return 2 }
        return p < q ? -1 : p > q ? 1 : 0
    }

    /// `compare` with Clojure's values (compare.c): numbers -1/0/1, strings as
    /// Java's String.compareTo, keywords and symbols by namespace then name,
    /// characters by code point difference, false before true, vectors by
    /// count then items, nil first.
    static func compare(_ a: EvalValue, _ b: EvalValue) throws(EvalStop) -> Int {
        func java(_ x: String, _ y: String) -> Int {
            let p = Array(x.utf16), q = Array(y.utf16)
            for (u, v) in zip(p, q) where u != v { return Int(u) - Int(v) }
            return p.count - q.count
        }
        switch (a, b) {
        case (.nil_, .nil_): return 0
        case (.nil_, _): return -1
        case (_, .nil_): return 1
        case (.bool(let x), .bool(let y)): return x == y ? 0 : x ? 1 : -1
        case (.string(let x), .string(let y)): return java(x, y)
        case (.keyword(let x), .keyword(let y)), (.symbol(let x), .symbol(let y)):
            let (p, q) = (splitName(x), splitName(y))
            switch (p.namespace, q.namespace) {
            case (nil, nil): return java(x, y)
            case (nil, _): return -1
            case (_, nil): return 1
            case (let m?, let n?):
                let c = java(m, n)
                return c != 0 ? c : java(p.name, q.name)
            }
        case (.char(let x), .char(let y)): return Int(x) - Int(y)
        case (.vector(let xs), .vector(let ys)):
            if xs.count != ys.count { return xs.count < ys.count ? -1 : 1 }
            for (x, y) in zip(xs, ys) {
                let c = try compare(x, y)
                if c != 0 { return c }
            }
            return 0
        default:
            if a.isNumber && b.isNumber {
                let c = try numericCompare("compare", a, b)
                return c == 2 ? 0 : c
            }
            throw fail("ClassCastException", "compare: \(a.typeName) cannot be compared with \(b.typeName)")
        }
    }

    static func parseLong(_ s: String) -> EvalValue {
        var bytes = Array(s.utf8)[...]
        var negative = false
        if let c = bytes.first, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
            negative = c == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        if bytes.isEmpty { return .nil_ }
        var value: Int64 = 0
        for c in bytes {
            guard c >= 48 && c <= 57 else { return .nil_ }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (r, o2) = negative ? m.subtractingReportingOverflow(Int64(c - 48)) : m.addingReportingOverflow(Int64(c - 48))
            if o1 || o2 { return .nil_ }
            value = r
        }
        return .int(value)
    }

    // MARK: collections

    static func count(_ v: EvalValue) throws(EvalStop) -> Int {
        switch v {
        case .nil_: return 0
        case .list(let c): return c?.count ?? 0
        case .vector(let xs), .set(let xs): return xs.count
        case .map(let kv): return kv.count / 2
        case .string(let s): return s.unicodeScalars.count
        case .array(let a): return a.count
        default: throw fail("UnsupportedOperationException", "count not supported on this type: \(v.typeName)")
        }
    }

    /// The items of a flat collection as the runtime lists them: map entries become [k v] vectors.
    static func flatItems(_ v: EvalValue) -> [EvalValue]? {
        switch v {
        case .vector(let xs), .set(let xs): return xs
        case .map(let kv): return stride(from: 0, to: kv.count, by: 2).map { .vector([kv[$0], kv[$0 + 1]]) }
        case .array(let a):
            switch a.items {
            case .doubles(let xs): return xs.map { .double($0) }
            case .longs(let xs): return xs.map { .int($0) }
            case .bytes(let xs): return xs.map { .int(Int64($0)) }
            }
        default: return nil
        }
    }

    static func seq(_ v: EvalValue) throws(EvalStop) -> EvalValue {
        switch v {
        case .nil_, .list(nil): return .nil_
        case .list: return v
        default:
            guard let xs = flatItems(v) else {
                throw fail("IllegalArgumentException", "Don't know how to create ISeq from: \(v.typeName)")
            }
            return xs.isEmpty ? .nil_ : .list(of: xs)
        }
    }

    /// The items of anything `seq` accepts.
    static func items(_ v: EvalValue) throws(EvalStop) -> [EvalValue] {
        switch try seq(v) {
        case .list(let c): return c?.items ?? []
        default: return []
        }
    }

    static func first(_ v: EvalValue) throws(EvalStop) -> EvalValue {
        switch v {
        case .nil_, .list(nil): return .nil_
        case .list(let c): return c!.first
        default:
            guard let xs = flatItems(v) else {
                throw fail("IllegalArgumentException", "first: Don't know how to create ISeq from: \(v.typeName)")
            }
            return xs.first ?? .nil_
        }
    }

    static func rest(_ v: EvalValue) throws(EvalStop) -> EvalValue {
        switch v {
        case .nil_, .list(nil): return .emptyList
        case .list(let c): return .list(c!.rest)
        default:
            guard let xs = flatItems(v) else {
                throw fail("IllegalArgumentException", "rest: Don't know how to create ISeq from: \(v.typeName)")
            }
            return .list(of: Array(xs.dropFirst()))
        }
    }

    static func conj(_ coll: EvalValue, _ x: EvalValue) throws(EvalStop) -> EvalValue {
        switch coll {
        case .nil_: return .list(EvalCons(x, nil))
        case .list(let c): return .list(EvalCons(x, c))
        case .vector(let xs): return .vector(xs + [x])
        case .set(let xs): return xs.contains { $0.equiv(x) } ? coll : .set(xs + [x])
        case .map:
            guard case .vector(let pair) = x, pair.count == 2 else {
                throw fail("IllegalArgumentException", "Vector arg to map conj must be a pair")
            }
            return try assoc(coll, pair[0], pair[1])
        default: throw fail("ClassCastException", "conj: cannot add to \(coll.typeName)")
        }
    }

    static func assoc(_ coll: EvalValue, _ k: EvalValue, _ v: EvalValue) throws(EvalStop) -> EvalValue {
        switch coll {
        case .nil_: return .map([k, v])
        case .map(var kv):
            EvalValue.assocInPlace(&kv, k, v)
            return .map(kv)
        case .vector(var xs):
            guard case .int(let i) = k else { throw fail("IllegalArgumentException", "Key must be integer") }
            guard i >= 0 && i <= xs.count else {
                throw fail("IndexOutOfBoundsException", "assoc: index \(i) out of bounds for a vector of \(xs.count)")
            }
            if i == xs.count { xs.append(v) } else { xs[Int(i)] = v }
            return .vector(xs)
        default: throw fail("ClassCastException", "assoc: \(coll.typeName) is not associative")
        }
    }

    static func get(_ coll: EvalValue, _ key: EvalValue, _ otherwise: EvalValue) throws(EvalStop) -> EvalValue {
        switch coll {
        case .array: throw fail("UnsupportedOperationException", "get of an array is not supported (use aget)")
        case .map(let kv): return EvalValue.lookup(kv, key) ?? otherwise
        case .set(let xs): return xs.first { $0.equiv(key) } ?? otherwise
        case .vector(let xs):
            if case .int(let i) = key, i >= 0 && i < xs.count { return xs[Int(i)] }
            return otherwise
        default: return otherwise
        }
    }

    static func nth(_ coll: EvalValue, _ index: EvalValue, notFound: EvalValue?) throws(EvalStop) -> EvalValue {
        guard case .int(let i) = index else {
            throw fail("IllegalArgumentException", "nth: index must be an integer, got \(index.typeName)")
        }
        switch coll {
        case .nil_: return notFound ?? .nil_
        case .vector(let xs):
            if i >= 0 && i < xs.count { return xs[Int(i)] }
            if let notFound { return notFound }
            throw fail("IndexOutOfBoundsException", "nth: index \(i) out of bounds for a vector of \(xs.count)")
        case .list(let c):
            let xs = c?.items ?? []
            if i >= 0 && i < xs.count { return xs[Int(i)] }
            if let notFound { return notFound }
            throw fail("IndexOutOfBoundsException", "nth: index \(i) out of bounds for a list of \(xs.count)")
        default:
            throw fail("UnsupportedOperationException", "nth not supported on this type: \(coll.typeName)")
        }
    }

    static func subs(_ s: EvalValue, _ start: EvalValue, _ end: EvalValue) throws(EvalStop) -> EvalValue {
        guard case .string(let text) = s else { throw fail("ClassCastException", "subs: \(s.typeName) is not a string") }
        let scalars = Array(text.unicodeScalars)
        guard case .int(let a) = start else { throw fail("IllegalArgumentException", "subs: start must be an integer") }
        var b = Int64(scalars.count)
        if case .int(let e) = end { b = e } else if case .nil_ = end {} else {
            throw fail("IllegalArgumentException", "subs: end must be an integer")
        }
        if a < 0 || b > scalars.count || a > b {
            throw fail("StringIndexOutOfBoundsException", "begin \(a), end \(b), length \(scalars.count)")
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[Int(a)..<Int(b)])
        return .string(String(out))
    }
}
