// Loop nests shaped like numeric C code, for the loop optimizations to
// come (code motion, strength reduction, induction variables): two or three
// counted loops, nested, whose innermost body computes
// - invariant expressions: operations on values defined before the nest
//   (a hoisting pass may move them out; nothing may change their value),
// - induction expressions: `i * stride + j`, an index masked into a
//   region and scaled to an address, a second induction variable stepped by
//   a constant, and a local slot accumulating across iterations,
// then a few random statements. Trip counts are 1 to 4 per loop, as for
// every generated loop, so a nest runs at most 64 times.
extension ProgramGenerator {
    mutating func loopNest() {
        let levels = min(3 - depth, 2 + rng.below(2))
        guard levels >= 2 else { return loop() }
        // Values defined before the nest: what the invariant expressions read.
        let outside = pool.filter { !$0.kind.isFloat }
        let saved = pool.count
        // A derived induction variable, stepped in the innermost loop and
        // visible after the nest.
        let k = "%v\(nextTemp)"
        nextTemp += 1
        emit("\(k) =l copy \(rng.below(100))")
        let step = rng.pick([1, 3, 8, -4, 16])
        var counters: [Variable] = []
        var exits: [String] = []
        for _ in 0..<levels {
            let n = label()
            let kind: Kind = rng.chance(70) ? .w : .l
            let counter = Variable(name: "%i\(n)", kind: kind, bound: 0, mutable: false)
            emit("\(counter.name) =\(kind.name) copy 0")
            emit("jmp @nest\(n)")
            startBlock("nest\(n)")
            counters.append(counter)
            exits.append("\(n)")
            depth += 1
            pool.append(counter)
            loopExits.append("nestexit\(n)")
        }
        innermostBody(counters: counters, outside: outside, k: k, step: step)
        // Close the loops, innermost first: increment, test at the bottom.
        for (counter, n) in zip(counters, exits).reversed() {
            let limit = 1 + rng.below(4)
            let c = fresh()
            emit("\(counter.name) =\(counter.kind.name) add \(counter.name), 1")
            emit("\(c) =w cslt\(counter.kind.name) \(counter.name), \(limit)")
            emit("jnz \(c), @nest\(n), @nestexit\(n)")
            startBlock("nestexit\(n)")
            loopExits.removeLast()
            depth -= 1
        }
        pool.removeSubrange(saved...)
        pool.append(Variable(name: k, kind: .l, bound: 0, mutable: false))
    }

    /// The innermost body: invariants, inductions, memory indexed by them.
    mutating func innermostBody(counters: [Variable], outside: [Variable], k: String, step: Int) {
        // Invariant: an operation on two values from outside the nest.
        for _ in 0..<(1 + rng.below(2)) {
            let kind: Kind = rng.chance(50) ? .w : .l
            let sources = outside.filter { $0.kind == kind }
            let a = sources.randomElement(using: &rng)?.name ?? intConstant(kind)
            let b = sources.randomElement(using: &rng)?.name ?? intConstant(kind)
            let v = "%v\(nextTemp)"
            nextTemp += 1
            emit("\(v) =\(kind.name) \(rng.pick(["add", "mul", "xor", "sub", "and"])) \(a), \(b)")
            pool.append(Variable(name: v, kind: kind, bound: 0, mutable: false))
        }
        // Linear index of the counters, as an `l`: i * stride + j (+ c).
        var index = fresh()
        emit("\(index) =l copy \(rng.below(8))")
        for counter in counters {
            var wide = counter.name
            if counter.kind == .w {
                wide = fresh()
                emit("\(wide) =l extsw \(counter.name)")
            }
            let scaled = fresh(), sum = fresh()
            emit("\(scaled) =l mul \(wide), \(rng.pick([1, 2, 4, 5]))")
            emit("\(sum) =l add \(index), \(scaled)")
            index = sum
        }
        emit("\(k) =l add \(k), \(step)")
        // An element of an integer region at the index: read, update, write.
        let ints = regions.filter { $0.floatKind == nil }
        if let region = ints.randomElement(using: &rng) {
            let cells = region.size / 8
            let masked = fresh(), offset = fresh(), address = fresh(), old = fresh(), new = fresh()
            emit("\(masked) =l and \(index), \(cells - 1)")
            emit("\(offset) =l shl \(masked), 3")
            emit("\(address) =l add \(region.base), \(offset)")
            emit("\(old) =l loadl \(address)")
            emit("\(new) =l add \(old), \(rng.chance(50) ? k : index)")
            emit("storel \(new), \(address)")
        }
        // A local accumulating the index (a promoted slot: a phi per loop).
        if let local = locals.filter({ $0.floatKind == nil }).randomElement(using: &rng) {
            let kind: Kind = local.size == 8 ? .l : .w
            let old = fresh(), new = fresh()
            emit("\(old) =\(kind.name) load\(kind.name) \(local.name)")
            emit("\(new) =\(kind.name) add \(old), \(index)")
            emit("store\(kind.name) \(new), \(local.name)")
        }
        pool.append(Variable(name: index, kind: .l, bound: 0, mutable: false))
        for _ in 0..<rng.below(3) { statement() }
    }
}
