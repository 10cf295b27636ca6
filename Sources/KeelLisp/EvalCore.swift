/// The evaluator's own versions of the core library's higher-order and
/// sequence functions (CoreLibrary.swift defines them in KeelLisp for the
/// compiler): eager, returning lists as the library does. A core name not
/// here is evaluated from its KeelLisp definition.
extension Evaluator {
    typealias Native = (Evaluator, [EvalValue]) throws(EvalStop) -> EvalValue

    func coreFunction(_ name: String) -> EvalFn? {
        guard let (arities, body) = Self.natives[name] else { return nil }
        let qualified = "clojure.core/" + name
        return EvalFn(name: qualified) { (e, args) throws(EvalStop) in
            guard arities.contains(args.count) else {
                throw EvalStop.runtime(kind: "ArityException", message: "Wrong number of args (\(args.count)) passed to: \(qualified)")
            }
            return try body(e, args)
        }
    }

    /// A function value made by a core function (partial, comp, ...): an anonymous fn of the core library.
    static func closure(_ body: @escaping Native) -> EvalValue {
        .fn(EvalFn(name: "clojure.core/fn", body))
    }

    static func truthyCall(_ e: Evaluator, _ f: EvalValue, _ args: [EvalValue]) throws(EvalStop) -> Bool {
        try e.invoke(f, args).truthy
    }

    /// Immutable once built; shared by every evaluator.
    nonisolated(unsafe) static let natives: [String: (ClosedRange<Int>, Native)] = [
        "identity": (1...1, { (_, a) throws(EvalStop) in a[0] }),
        "apply": (2...5, { (e, a) throws(EvalStop) in
            try e.invoke(a[0], Array(a[1..<(a.count - 1)]) + (try items(a[a.count - 1])))
        }),
        "reduce": (2...3, { (e, a) throws(EvalStop) in
            var xs = try items(a.last!)
            var acc: EvalValue
            if a.count == 3 {
                acc = a[1]
            } else {
                if xs.isEmpty { return try e.invoke(a[0], []) }
                acc = xs.removeFirst()
            }
            for x in xs { acc = try e.invoke(a[0], [acc, x]) }
            return acc
        }),
        "map": (2...3, { (e, a) throws(EvalStop) in
            if a.count == 2 {
                var out: [EvalValue] = []
                for x in try items(a[1]) { out.append(try e.invoke(a[0], [x])) }
                return .list(of: out)
            }
            let (xs, ys) = (try items(a[1]), try items(a[2]))
            var out: [EvalValue] = []
            for (x, y) in zip(xs, ys) { out.append(try e.invoke(a[0], [x, y])) }
            return .list(of: out)
        }),
        "mapv": (2...2, { (e, a) throws(EvalStop) in
            var out: [EvalValue] = []
            for x in try items(a[1]) { out.append(try e.invoke(a[0], [x])) }
            return .vector(out)
        }),
        "filter": (2...2, { (e, a) throws(EvalStop) in
            var out: [EvalValue] = []
            for x in try items(a[1]) where try truthyCall(e, a[0], [x]) { out.append(x) }
            return .list(of: out)
        }),
        "filterv": (2...2, { (e, a) throws(EvalStop) in
            var out: [EvalValue] = []
            for x in try items(a[1]) where try truthyCall(e, a[0], [x]) { out.append(x) }
            return .vector(out)
        }),
        "remove": (2...2, { (e, a) throws(EvalStop) in
            var out: [EvalValue] = []
            for x in try items(a[1]) where !(try truthyCall(e, a[0], [x])) { out.append(x) }
            return .list(of: out)
        }),
        "complement": (1...1, { (_, a) throws(EvalStop) in
            closure { (e, args) throws(EvalStop) in .bool(!(try truthyCall(e, a[0], args))) }
        }),
        "constantly": (1...1, { (_, a) throws(EvalStop) in closure { (_, _) throws(EvalStop) in a[0] } }),
        "partial": (1...20, { (_, a) throws(EvalStop) in
            if a.count == 1 { return a[0] }
            let bound = Array(a.dropFirst())
            return closure { (e, args) throws(EvalStop) in try e.invoke(a[0], bound + args) }
        }),
        "comp": (0...20, { (_, a) throws(EvalStop) in
            if a.isEmpty { return .fn(EvalFn(name: "clojure.core/identity") { (_, x) throws(EvalStop) in x[0] }) }
            if a.count == 1 { return a[0] }
            return closure { (e, args) throws(EvalStop) in
                var v = try e.invoke(a[a.count - 1], args)
                for f in a.dropLast().reversed() { v = try e.invoke(f, [v]) }
                return v
            }
        }),
        "concat": (0...20, { (_, a) throws(EvalStop) in
            var out: [EvalValue] = []
            for c in a { out += try items(c) }
            return .list(of: out)
        }),
        "into": (2...2, { (_, a) throws(EvalStop) in
            var acc = a[0]
            for x in try items(a[1]) { acc = try conj(acc, x) }
            return acc
        }),
        "set": (1...1, { (_, a) throws(EvalStop) in
            var acc: EvalValue = .set([])
            for x in try items(a[0]) { acc = try conj(acc, x) }
            return acc
        }),
        "range": (1...3, { (_, a) throws(EvalStop) in
            let (start, end, step) = a.count == 1 ? (EvalValue.int(0), a[0], EvalValue.int(1))
                : (a[0], a[1], a.count == 3 ? a[2] : .int(1))
            guard case .int(let s) = start, case .int(let n) = end, case .int(let k) = step else {
                throw EvalStop.unsupported("range of non-integers")
            }
            if k == 0 { throw fail("IllegalArgumentException", "range: a step of 0 never ends (lazy sequences are not supported)") }
            var out: [EvalValue] = []
            var i = s
            while k > 0 ? i < n : i > n {
                out.append(.int(i))
                let (next, o) = i.addingReportingOverflow(k)
                if o { throw overflow }
                i = next
            }
            return .list(of: out)
        }),
        "take": (2...2, { (_, a) throws(EvalStop) in
            var out: [EvalValue] = []
            var k = a[0]
            for x in try items(a[1]) {
                guard try numericCompare("pos?", k, .int(0)) == 1 else { break }
                out.append(x)
                k = try sub(k, .int(1), name: "dec")
            }
            return .list(of: out)
        }),
        "drop": (2...2, { (_, a) throws(EvalStop) in
            var xs = try items(a[1])[...]
            var k = a[0]
            while !xs.isEmpty, try numericCompare("pos?", k, .int(0)) == 1 {
                xs = xs.dropFirst()
                k = try sub(k, .int(1), name: "dec")
            }
            return .list(of: Array(xs))
        }),
        "reverse": (1...1, { (_, a) throws(EvalStop) in .list(of: try items(a[0]).reversed()) }),
        "last": (1...1, { (_, a) throws(EvalStop) in try items(a[0]).last ?? .nil_ }),
        "second": (1...1, { (_, a) throws(EvalStop) in
            let xs = try items(a[0])
            return xs.count > 1 ? xs[1] : .nil_
        }),
        "some": (2...2, { (e, a) throws(EvalStop) in
            for x in try items(a[1]) {
                let r = try e.invoke(a[0], [x])
                if r.truthy { return r }
            }
            return .nil_
        }),
        "every?": (2...2, { (e, a) throws(EvalStop) in
            for x in try items(a[1]) where !(try truthyCall(e, a[0], [x])) { return .bool(false) }
            return .bool(true)
        }),
        "keys": (1...1, { (_, a) throws(EvalStop) in
            let xs = try items(a[0])
            if xs.isEmpty { return .nil_ }
            var out: [EvalValue] = []
            for x in xs { out.append(try first(x)) }
            return .list(of: out)
        }),
        "vals": (1...1, { (_, a) throws(EvalStop) in
            let xs = try items(a[0])
            if xs.isEmpty { return .nil_ }
            var out: [EvalValue] = []
            for x in xs { out.append(try first(try rest(x))) }
            return .list(of: out)
        }),
        "merge": (0...20, { (_, a) throws(EvalStop) in
            guard a.contains(where: { $0.truthy }) else { return .nil_ }
            var acc: EvalValue = .nil_
            for m in a where m.truthy {
                if !acc.truthy { acc = .map([]) }
                for x in try items(m) { acc = try conj(acc, x) }
            }
            return acc
        }),
        "zipmap": (2...2, { (_, a) throws(EvalStop) in
            var m: EvalValue = .map([])
            for (k, v) in zip(try items(a[0]), try items(a[1])) { m = try assoc(m, k, v) }
            return m
        }),
        "frequencies": (1...1, { (_, a) throws(EvalStop) in
            var m: EvalValue = .map([])
            for x in try items(a[0]) {
                let n = try get(m, x, .int(0))
                m = try assoc(m, x, try arith("inc", n, .int(1), &+, { $0.addingReportingOverflow($1) }, +))
            }
            return m
        }),
        "group-by": (2...2, { (e, a) throws(EvalStop) in
            var m: EvalValue = .map([])
            for x in try items(a[1]) {
                let k = try e.invoke(a[0], [x])
                m = try assoc(m, k, try conj(get(m, k, .vector([])), x))
            }
            return m
        }),
        "get-in": (2...3, { (_, a) throws(EvalStop) in
            var m = a[0]
            for k in try items(a[1]) {
                if a.count == 3 {
                    guard case .bool(true) = try Evaluator(budget: 0).intrinsic("contains?", [m, k]) else { return a[2] }
                }
                m = try get(m, k, .nil_)
            }
            return m
        }),
        "assoc-in": (3...3, { (_, a) throws(EvalStop) in try assocIn(a[0], try items(a[1])[...], a[2]) }),
        "update": (3...20, { (e, a) throws(EvalStop) in
            try assoc(a[0], a[1], try e.invoke(a[2], [get(a[0], a[1], .nil_)] + a.dropFirst(3)))
        }),
        "update-in": (3...20, { (e, a) throws(EvalStop) in
            try e.updateIn(a[0], try items(a[1])[...], a[2], Array(a.dropFirst(3)))
        }),
        "sort": (1...2, { (e, a) throws(EvalStop) in
            let cmp = a.count == 2 ? a[0] : nil
            return .list(of: try e.mergeSort(try items(a.last!)[...]) { (x, y) throws(EvalStop) in
                guard let cmp else { return try compare(x, y) < 0 }
                return try e.before(try e.invoke(cmp, [x, y]))
            })
        }),
        "sort-by": (2...3, { (e, a) throws(EvalStop) in
            let keyfn = a[0], cmp = a.count == 3 ? a[1] : nil
            return .list(of: try e.mergeSort(try items(a.last!)[...]) { (x, y) throws(EvalStop) in
                let (kx, ky) = (try e.invoke(keyfn, [x]), try e.invoke(keyfn, [y]))
                guard let cmp else { return try compare(kx, ky) < 0 }
                return try e.before(try e.invoke(cmp, [kx, ky]))
            })
        }),
    ]

    /// A comparator's answer (%before?): a number is negative for "before", anything else is its truth.
    func before(_ r: EvalValue) throws(EvalStop) -> Bool {
        if r.isNumber { return try Self.numericCompare("neg?", r, .int(0)) == -1 }
        return r.truthy
    }

    /// The library's stable merge sort, split at the same place (n/2), so a
    /// comparator with errors fails on the same pair.
    func mergeSort(_ xs: ArraySlice<EvalValue>, _ isBefore: (EvalValue, EvalValue) throws(EvalStop) -> Bool) throws(EvalStop) -> [EvalValue] {
        if xs.count < 2 { return Array(xs) }
        let h = xs.startIndex + xs.count / 2
        let a = try mergeSort(xs[..<h], isBefore), b = try mergeSort(xs[h...], isBefore)
        var out: [EvalValue] = []
        var (i, j) = (0, 0)
        while i < a.count && j < b.count {
            if try isBefore(b[j], a[i]) { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1 }
        }
        return out + a[i...] + b[j...]
    }

    static func assocIn(_ m: EvalValue, _ ks: ArraySlice<EvalValue>, _ v: EvalValue) throws(EvalStop) -> EvalValue {
        let k = ks.first ?? .nil_
        if ks.count > 1 { return try assoc(m, k, try assocIn(get(m, k, .nil_), ks.dropFirst(), v)) }
        return try assoc(m, k, v)
    }

    func updateIn(_ m: EvalValue, _ ks: ArraySlice<EvalValue>, _ f: EvalValue, _ args: [EvalValue]) throws(EvalStop) -> EvalValue {
        let k = ks.first ?? .nil_
        if ks.count > 1 { return try Self.assoc(m, k, try updateIn(try Self.get(m, k, .nil_), ks.dropFirst(), f, args)) }
        return try Self.assoc(m, k, try invoke(f, [try Self.get(m, k, .nil_)] + args))
    }
}
