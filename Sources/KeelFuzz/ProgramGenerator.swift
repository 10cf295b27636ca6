// Random, well-typed, terminating IL programs for differential testing.
//
// Contract: `ProgramGenerator.generate(seed:)` returns IL text that parses,
// converts to SSA and verifies (temporaries may be assigned several times;
// SSA construction places the phis, and some explicit phis are written
// too), and whose behaviour is fully defined, so the native program and
// the reference interpreter must print the same bytes and exit alike:
// - loops have constant or masked trip counts (at most 4, nested at most 3
//   deep); helper functions only call helpers defined before them, or
//   themselves once with a smaller depth argument (at most 3), so every
//   program terminates quickly;
// - divisors are forced nonzero, signed divisors never -1;
// - floats never become NaN or infinite: every float value carries a bound
//   on its magnitude (|x| < 2^bound) and operations are only generated when
//   the result stays finite; float-to-integer conversions only see values
//   in range (`dtoui` only non-negative ones);
// - memory is only read after being written (slots are cleared with
//   `memset`, heap blocks come from `calloc`, local slots are written whole
//   after their `alloc`), accesses stay in bounds, and float cells only ever
//   hold bounded floats of one type;
// - a `w` value is never used where an `l` is expected.
// The program prints a digest (FNV-style hash of every live value) at
// checkpoints and returns (or `exit`s with) a status derived from it.
//
// Coverage: every integer and float arithmetic, comparison and conversion
// instruction (Keel's `sqrt` too, except in portable programs), loads and stores of every width, `blit`, static and dynamic
// `alloc`, heap memory, calls with many arguments (stack-passed ones too),
// sub-word arguments and results, aggregates by value as arguments and
// results, variadic functions (`vastart`/`vaarg`) and calls (`printf`),
// indirect calls, and nested control flow with many values live across it;
// local slots slot promotion turns into values (GeneratedLocals.swift) and
// loop nests with invariant and induction expressions (GeneratedLoopNests.swift).
import KeelRandom
public struct ProgramGenerator {
    /// `portable`: leave out what QBE treats differently from Keel (an `l`
    /// as `jnz` condition; sub-word parameters and results, which QBE does
    /// not extend), for comparisons with QBE.
    public static func generate(seed: UInt64, portable: Bool = false) -> String {
        var g = ProgramGenerator(seed: seed)
        g.portable = portable
        return g.program()
    }

    enum Kind: Int, CaseIterable {
        case w, l, s, d
        var name: String { ["w", "l", "s", "d"][rawValue] }
        var isFloat: Bool { self == .s || self == .d }
        /// The largest magnitude bound (log2) a value of this kind may reach.
        var limit: Int { self == .s ? 100 : self == .d ? 600 : 0 }
    }

    /// A named temporary the program may read; `bound` bounds a float's magnitude.
    struct Variable {
        var name: String
        var kind: Kind
        var bound: Int
        var mutable: Bool
    }

    /// One field of an aggregate type: its offset and its memory kind (b h w l s d).
    struct Field { var offset: Int; var type: String }

    struct Aggregate {
        var name: String
        var fields: [Field]
        var size: Int
    }

    static let aggregates: [Aggregate] = [
        Aggregate(name: "a1", fields: [Field(offset: 0, type: "w"), Field(offset: 4, type: "w")], size: 8),
        Aggregate(name: "a2", fields: [Field(offset: 0, type: "d"), Field(offset: 8, type: "l")], size: 16),
        Aggregate(name: "a3", fields: [Field(offset: 0, type: "l"), Field(offset: 8, type: "l"),
                                       Field(offset: 16, type: "l")], size: 24),
        Aggregate(name: "a4", fields: [Field(offset: 0, type: "s"), Field(offset: 4, type: "s"),
                                       Field(offset: 8, type: "d")], size: 16),
        Aggregate(name: "a5", fields: [Field(offset: 0, type: "b"), Field(offset: 2, type: "h"),
                                       Field(offset: 4, type: "w"), Field(offset: 8, type: "l")], size: 16),
        Aggregate(name: "a6", fields: [Field(offset: 0, type: "w"), Field(offset: 4, type: "s")], size: 8),
        Aggregate(name: "a7", fields: (0..<5).map { Field(offset: $0 * 8, type: "d") }, size: 40),
        // Odd sizes and mixed eightbytes: copies must not touch bytes past the end.
        Aggregate(name: "a8", fields: (0..<3).map { Field(offset: $0, type: "b") }, size: 3),
        Aggregate(name: "a9", fields: [Field(offset: 0, type: "h"), Field(offset: 2, type: "b")], size: 4),
        Aggregate(name: "a10", fields: [Field(offset: 0, type: "s")], size: 4),
        Aggregate(name: "a11", fields: [Field(offset: 0, type: "d"), Field(offset: 8, type: "s")], size: 16),
        Aggregate(name: "a12", fields: (0..<3).map { Field(offset: $0 * 4, type: "w") }, size: 12),
        Aggregate(name: "a13", fields: [Field(offset: 0, type: "l"), Field(offset: 8, type: "s")], size: 16),
    ]

    enum ParamType {
        case base(Kind)
        case sub(String)  // sb ub sh uh
        case aggregate(Int)
    }

    struct Helper {
        var name: String
        var params: [ParamType]
        var result: ParamType?
        /// Kinds of the variadic arguments callers pass (nil: not variadic).
        var varargs: [Kind]?
        /// Whether it takes an environment parameter (`env %env`).
        var env = false
        /// Recursive helpers take a first `w` parameter, the recursion depth
        /// left (callers pass 0 to 3), and call themselves once while it is positive.
        var recursive = false
    }

    /// A memory area the current function may read and write: its base
    /// operand, its size, and the float kind its cells hold (nil: integers).
    struct Region {
        var base: String
        var size: Int
        var floatKind: Kind?
    }

    var rng: SplitMix64
    var lines: [String] = []
    var pool: [Variable] = []
    var regions: [Region] = []
    /// The current function's local slots (GeneratedLocals.swift).
    var locals: [Local] = []
    var helpers: [Helper] = []
    var nextTemp = 0
    var nextLabel = 0
    var currentLabel = "start"
    var depth = 0
    /// Exit labels of the enclosing loops, innermost last.
    var loopExits: [String] = []
    var inMain = false
    /// One program in six is large: long functions, more values live at once.
    var large = false
    var portable = false

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    // MARK: Program

    mutating func program() -> String {
        large = rng.chance(16)
        var head: [String] = []
        for a in Self.aggregates {
            let fields = a.fields.map(\.type).joined(separator: ", ")
            head.append("type :\(a.name) = { \(fields) }")
        }
        head.append("data $fmt_hash = { b \"%016lx\\n\", b 0 }")
        head.append("data $fmt_float = { b \"%.17g\\n\", b 0 }")
        head.append("data $fmt_word = { b \"%d %u\\n\", b 0 }")
        let globals = (0..<8).map { _ in String(Int64(bitPattern: rng.next()) >> rng.below(60)) }
        head.append("data $glob = align 8 { l \(globals.joined(separator: " ")) }")
        head.append("data $gptr = { l $glob, l $glob + 16 }")
        head.append("")
        var body: [String] = []
        let helperCount = 2 + rng.below(5)
        for i in 0..<helperCount {
            body += helper(index: i)
            body.append("")
        }
        body += mainFunction()
        return (head + body).joined(separator: "\n") + "\n"
    }

    mutating func beginFunction() {
        lines = []
        pool = []
        regions = []
        locals = []
        nextTemp = 0
        nextLabel = 0
        currentLabel = "start"
        depth = 0
        loopExits = []
    }

    /// Clears and registers the function's own memory: an integer slot, a
    /// `d` slot and an `s` slot, plus the shared global; then declares the
    /// function's local variables (slots promotion will turn into values).
    mutating func setUpFrame() {
        emit("%slot =l alloc8 64")
        emit("call $memset(l %slot, w 0, l 64)")
        emit("%fslotd =l alloc8 64")
        emit("call $memset(l %fslotd, w 0, l 64)")
        emit("%fslots =l alloc4 32")
        emit("call $memset(l %fslots, w 0, l 32)")
        regions = [Region(base: "%slot", size: 64), Region(base: "$glob", size: 64),
                   Region(base: "%fslotd", size: 64, floatKind: .d), Region(base: "%fslots", size: 32, floatKind: .s)]
        declareLocals()
    }

    mutating func mainFunction() -> [String] {
        beginFunction()
        inMain = true
        setUpFrame()
        emit("%heap =l call $calloc(l 8, l 8)")
        regions.append(Region(base: "%heap", size: 64))
        emit("%gp =l loadl $gptr")
        regions.append(Region(base: "%gp", size: 64))
        if rng.chance(30) {
            // A large frame: slot offsets beyond 8-bit displacements.
            emit("%big =l alloc16 8192")
            emit("call $memset(l %big, w 0, l 8192)")
            regions.append(Region(base: "%big", size: 8192))
        }
        for _ in 0..<(4 + rng.below(6)) { declareFresh() }
        let count = large ? 40 + rng.below(30) : 12 + rng.below(18)
        for i in 0..<count {
            statement()
            if i % 6 == 5 { checkpoint() }
        }
        checkpoint()
        emit("call $free(l %heap)")
        emit("%status =w and %hash, 127")
        if rng.chance(15) {
            emit("call $exit(w %status)")
            lines.append("\thlt")
        } else {
            lines.append("\tret %status")
        }
        return ["export function w $main() {", "@start"] + lines + ["}"]
    }

    // MARK: Helpers

    mutating func helper(index: Int) -> [String] {
        beginFunction()
        inMain = false
        let name = "h\(index)"
        if rng.chance(20) { return variadicHelper(name: name) }
        var params: [ParamType] = []
        for _ in 0..<(1 + rng.below(rng.chance(30) ? 16 : 6)) {
            switch rng.below(10) {
            case 0 where !portable: params.append(.sub(rng.pick(["sb", "ub", "sh", "uh"])))
            case 1: params.append(.aggregate(rng.below(Self.aggregates.count)))
            default: params.append(.base(rng.pick(Kind.allCases)))
            }
        }
        var result: ParamType?
        switch rng.below(10) {
        case 0: result = nil
        case 1 where !portable: result = .sub(rng.pick(["sb", "ub", "sh", "uh"]))
        case 1: result = .base(.w)
        case 2, 3: result = .aggregate(rng.below(Self.aggregates.count))
        default: result = .base(rng.pick(Kind.allCases))
        }
        setUpFrame()
        var header: [String] = []
        let env = rng.chance(15)
        if env {
            header.append("env %env")
            pool.append(Variable(name: "%env", kind: .l, bound: 0, mutable: true))
        }
        let me = Helper(name: name, params: params, result: result, varargs: nil, env: env, recursive: rng.chance(15))
        if me.recursive {
            header.append("w %depth")
            pool.append(Variable(name: "%depth", kind: .w, bound: 0, mutable: false))
        }
        for (i, p) in params.enumerated() {
            let pname = "%p\(i)"
            switch p {
            case .base(let k):
                header.append("\(k.name) \(pname)")
                pool.append(Variable(name: pname, kind: k, bound: k.isFloat ? 60 : 0, mutable: true))
            case .sub(let t):
                header.append("\(t) \(pname)")
                pool.append(Variable(name: pname, kind: .w, bound: 0, mutable: true))
            case .aggregate(let a):
                header.append(":\(Self.aggregates[a].name) \(pname)")
                loadAggregate(pointer: pname, Self.aggregates[a])
            }
        }
        if pool.isEmpty { declareFresh() }
        let count = large ? 10 + rng.below(15) : 2 + rng.below(7)
        for i in 0..<count {
            if me.recursive && i == count / 2 { selfCall(me) }
            statement()
        }
        let resultText: String
        switch result {
        case nil:
            let h = digest()
            emit("storel \(h), $glob")
            lines.append("\tret")
            resultText = ""
        case .sub(let t):
            let h = digest()
            lines.append("\tret \(h)")
            resultText = t + " "
        case .aggregate(let a):
            let p = storeAggregate(Self.aggregates[a])
            lines.append("\tret \(p)")
            resultText = ":\(Self.aggregates[a].name) "
        case .base(let k):
            if k.isFloat {
                lines.append("\tret \(floatOperand(k, maxBound: 60).0)")
            } else {
                lines.append("\tret \(digest())")
            }
            resultText = k.name + " "
        }
        helpers.append(me)
        return ["function \(resultText)$\(name)(\(header.joined(separator: ", "))) {", "@start"] + lines + ["}"]
    }

    /// `if (depth > 0) v = self(depth - 1, ...)`, with `v` declared before,
    /// so the recursive result reaches the digest.
    mutating func selfCall(_ me: Helper) {
        let n = label()
        var dest: String?
        var kind: Kind?
        switch me.result {
        case .base(let k):
            kind = k
        case .sub:
            kind = .w
        case .aggregate:
            // Sometimes ignored: a MEMORY-class result still needs the caller's
            // buffer (Tests/Programs/fuzz/ignored_aggregate_result.ssa).
            dest = rng.chance(50) ? fresh() : nil
        case nil:
            break
        }
        if let kind {
            let v = "%v\(nextTemp)"
            nextTemp += 1
            emit("\(v) =\(kind.name) copy \(kind.isFloat ? floatOperand(kind, maxBound: 8).0 : intConstant(kind))")
            pool.append(Variable(name: v, kind: kind, bound: 60, mutable: false))
            dest = v
        }
        let go = fresh()
        emit("\(go) =w csgtw %depth, 0")
        emit("jnz \(go), @recurse\(n), @recursed\(n)")
        startBlock("recurse\(n)")
        let less = fresh()
        emit("\(less) =w sub %depth, 1")
        call(me, dest: dest, resultKind: kind, depth: less)
        emit("jmp @recursed\(n)")
        startBlock("recursed\(n)")
    }

    /// `l $name(l %seed, ...)`: reads a fixed list of variadic arguments and hashes them.
    mutating func variadicHelper(name: String) -> [String] {
        let kinds = (0..<(1 + rng.below(10))).map { _ in rng.pick([Kind.w, .l, .d]) }
        emit("%ap =l alloc8 32")
        emit("vastart %ap")
        emit("%h =l copy %seed")
        for k in kinds {
            let v = fresh()
            emit("\(v) =\(k.name) vaarg %ap")
            mix(into: "%h", Variable(name: v, kind: k, bound: 60, mutable: false))
        }
        lines.append("\tret %h")
        helpers.append(Helper(name: name, params: [.base(.l)], result: .base(.l), varargs: kinds))
        return ["function l $\(name)(l %seed, ...) {", "@start"] + lines + ["}"]
    }

    // MARK: Statements

    mutating func statement() {
        let canNest = depth < 3
        switch rng.below(100) {
        case 0..<31: assignment()
        case 31..<35: localStore()
        case 35..<38: localUpdate()
        case 38..<48: store()
        case 48..<50: blit()
        case 50..<60: callStatement()
        case 60..<68 where canNest: ifStatement()
        case 68..<77 where canNest: loop()
        case 77..<82: floatAccumulate()
        case 82..<84 where !loopExits.isEmpty: breakOut()
        case 84..<86 where depth > 0: dynamicAlloc()
        case 86..<88 where inMain && depth == 0: printFloat()
        case 88 where !inMain && depth == 0: checkpoint()
        case 89..<93: rotate()
        case 93..<96 where depth < 2: loopNest()
        default: assignment()
        }
    }

    mutating func assignment() {
        let kind = rng.pick(Kind.allCases)
        let targets = pool.indices.filter { pool[$0].mutable && pool[$0].kind == kind }
        if !targets.isEmpty && rng.chance(50) {
            let t = pool[rng.pick(targets)]
            if kind.isFloat {
                _ = floatExpression(kind, maxBound: t.bound, dest: t.name)
            } else {
                intExpression(kind, dest: t.name)
            }
        } else {
            declareFresh(kind)
        }
    }

    /// Defines a new variable of `kind` (random if nil) in the current scope.
    mutating func declareFresh(_ kind: Kind? = nil) {
        let kind = kind ?? rng.pick(Kind.allCases)
        let name = "%v\(nextTemp)"
        nextTemp += 1
        var bound = 0
        if kind.isFloat {
            bound = floatExpression(kind, maxBound: rng.chance(70) ? 60 : kind.limit, dest: name)
        } else {
            intExpression(kind, dest: name)
        }
        pool.append(Variable(name: name, kind: kind, bound: bound, mutable: true))
    }

    mutating func store() {
        let region = rng.pick(regions)
        if let fk = region.floatKind {
            let (v, _) = floatOperand(fk, maxBound: 60)
            emit("store\(fk.name) \(v), \(address(region, width: fk == .d ? 8 : 4))")
            return
        }
        let width = rng.pick([1, 2, 4, 8])
        let op = ["", "storeb", "storeh", "", "storew", "", "", "", "storel"][width]
        let v = intOperand(width == 8 ? .l : .w)
        emit("\(op) \(v), \(address(region, width: width))")
    }

    mutating func blit() {
        // %gp points into $glob: a copy between them could overlap.
        let ints = regions.filter { $0.floatKind == nil && $0.base != "%gp" }
        let from = rng.pick(ints)
        var to = rng.pick(ints)
        if to.base == from.base { to = regions[0].base == from.base ? regions[1] : regions[0] }
        let n = rng.pick([1, 3, 8, 13, 16, 24, 40])
        let a = rng.below(64 - n + 1), b = rng.below(64 - n + 1)
        let src = fresh(), dst = fresh()
        emit("\(src) =l add \(from.base), \(a)")
        emit("\(dst) =l add \(to.base), \(b)")
        emit("blit \(src), \(dst), \(n)")
    }

    mutating func callStatement() {
        guard !helpers.isEmpty else { return assignment() }
        let h = rng.pick(helpers)
        switch h.result {
        case nil: call(h, dest: nil, resultKind: nil)
        case .aggregate(let a):
            let p = fresh()
            call(h, dest: p, resultKind: nil)
            loadAggregate(pointer: p, Self.aggregates[a])
        case .sub:
            let v = "%v\(nextTemp)"
            nextTemp += 1
            call(h, dest: v, resultKind: .w)
            pool.append(Variable(name: v, kind: .w, bound: 0, mutable: true))
        case .base(let k):
            let v = "%v\(nextTemp)"
            nextTemp += 1
            call(h, dest: v, resultKind: k)
            pool.append(Variable(name: v, kind: k, bound: k.isFloat ? 60 : 0, mutable: true))
        }
    }

    /// Emits a call of `h`; `dest` receives the result (an aggregate's address when `resultKind` is nil).
    /// `depth`: the depth argument of a recursive helper (default: 0 to 3).
    mutating func call(_ h: Helper, dest: String?, resultKind: Kind?, depth: String? = nil) {
        var args: [String] = []
        if h.env { args.append("env \(intOperand(.l))") }
        if h.recursive {
            if let depth {
                args.append("w \(depth)")
            } else {
                let d = fresh()
                emit("\(d) =w and \(intOperand(.w)), 3")
                args.append("w \(d)")
            }
        }
        for p in h.params {
            switch p {
            case .base(let k): args.append("\(k.name) \(operand(k, maxBound: 60))")
            case .sub(let t): args.append("\(t) \(intOperand(.w))")
            case .aggregate(let a): args.append(":\(Self.aggregates[a].name) \(storeAggregate(Self.aggregates[a]))")
            }
        }
        if let kinds = h.varargs {
            args.append("...")
            for k in kinds { args.append("\(k.name) \(operand(k, maxBound: 60))") }
        }
        var callee = "$" + h.name
        var ignoresAggregate = false
        if dest == nil, case .aggregate = h.result { ignoresAggregate = true }
        // Never indirect when an aggregate result is ignored: the caller must
        // know the callee to pass it a result buffer (docs/x64.md).
        if !ignoresAggregate, rng.chance(10) {
            callee = fresh()
            emit("\(callee) =l copy $\(h.name)")
        }
        let call = "call \(callee)(\(args.joined(separator: ", ")))"
        guard let dest else { return emit(call) }
        switch h.result {
        case .aggregate(let a): emit("\(dest) =:\(Self.aggregates[a].name) \(call)")
        default: emit("\(dest) =\((resultKind ?? .l).name) \(call)")
        }
    }

    mutating func ifStatement() {
        let n = label()
        let cond = condition()
        let hasElse = rng.chance(60)
        emit("jnz \(cond), @then\(n), @\(hasElse ? "else" : "join")\(n)")
        let before = currentLabel
        startBlock("then\(n)")
        scopedStatements(1 + rng.below(4))
        let thenEnd = currentLabel
        emit("jmp @join\(n)")
        var elseEnd = before
        if hasElse {
            startBlock("else\(n)")
            scopedStatements(1 + rng.below(3))
            elseEnd = currentLabel
            emit("jmp @join\(n)")
        }
        startBlock("join\(n)")
        // An explicit phi merging two values defined before the branch.
        if rng.chance(50), let a = pool.randomElement(using: &rng) {
            let others = pool.filter { $0.kind == a.kind }
            let b = rng.pick(others)
            let v = "%v\(nextTemp)"
            nextTemp += 1
            emit("\(v) =\(a.kind.name) phi @\(thenEnd) \(a.name), @\(elseEnd) \(b.name)")
            pool.append(Variable(name: v, kind: a.kind, bound: max(a.bound, b.bound), mutable: false))
        }
    }

    mutating func loop() {
        let n = label()
        let kind: Kind = rng.chance(70) ? .w : .l
        let counter = "%i\(n)", limit = fresh()
        if rng.chance(60) || pool.isEmpty {
            emit("\(limit) =\(kind.name) copy \(1 + rng.below(4))")
        } else {
            let m = fresh()
            emit("\(m) =\(kind.name) and \(intOperand(kind)), 3")
            emit("\(limit) =\(kind.name) add \(m), 1")
        }
        emit("\(counter) =\(kind.name) copy 0")
        let c = fresh()
        let test = "\(c) =w cslt\(kind.name) \(counter), \(limit)"
        let increment = "\(counter) =\(kind.name) add \(counter), 1"
        loopExits.append("exit\(n)")
        if rng.chance(50) {
            // Test at the bottom: the body runs at least once.
            emit("jmp @loop\(n)")
            startBlock("loop\(n)")
            scopedStatements(1 + rng.below(5), counter: Variable(name: counter, kind: kind, bound: 0, mutable: false))
            emit(increment)
            emit(test)
            emit("jnz \(c), @loop\(n), @exit\(n)")
        } else {
            startBlock("head\(n)")
            emit(test)
            emit("jnz \(c), @body\(n), @exit\(n)")
            startBlock("body\(n)")
            scopedStatements(1 + rng.below(5), counter: Variable(name: counter, kind: kind, bound: 0, mutable: false))
            emit(increment)
            emit("jmp @head\(n)")
        }
        loopExits.removeLast()
        startBlock("exit\(n)")
    }

    /// Rotates the values of two to four variables of one kind (and, for
    /// floats, one bound): inside a loop this makes a cycle of phis, the
    /// swap problem of out-of-SSA translation.
    mutating func rotate() {
        let kind = rng.pick(Kind.allCases)
        var group = pool.filter { $0.mutable && $0.kind == kind }
        if let first = group.randomElement(using: &rng) { group = group.filter { $0.bound == first.bound } }
        guard group.count >= 2 else { return assignment() }
        var chosen: [Variable] = []
        for _ in 0..<min(group.count, 2 + rng.below(3)) {
            let i = rng.below(group.count)
            chosen.append(group.remove(at: i))
        }
        let t = fresh()
        emit("\(t) =\(kind.name) copy \(chosen[0].name)")
        for i in 0..<(chosen.count - 1) {
            emit("\(chosen[i].name) =\(kind.name) copy \(chosen[i + 1].name)")
        }
        emit("\(chosen[chosen.count - 1].name) =\(kind.name) copy \(t)")
    }

    /// `x = (x + e) * 0.5`: a float that changes every iteration but stays bounded.
    mutating func floatAccumulate() {
        let kind: Kind = rng.chance(50) ? .s : .d
        let targets = pool.filter { $0.mutable && $0.kind == kind && $0.bound >= 8 }
        guard let t = targets.randomElement(using: &rng) else { return declareFresh(kind) }
        let (e, _) = floatOperand(kind, maxBound: t.bound)
        let sum = fresh()
        emit("\(sum) =\(kind.name) add \(t.name), \(e)")
        emit("\(t.name) =\(kind.name) mul \(sum), \(kind.name)_0.5")
    }

    mutating func breakOut() {
        let n = label()
        emit("jnz \(condition()), @\(loopExits[loopExits.count - 1]), @cont\(n)")
        startBlock("cont\(n)")
    }

    /// An `alloc` outside the start block: dynamic stack allocation, used at once.
    mutating func dynamicAlloc() {
        let p = fresh()
        var size = "32"
        if rng.chance(50) {
            // A size known only at run time: 16 to 79 bytes.
            let m = fresh(), n = fresh()
            emit("\(m) =l and \(intOperand(.l)), 63")
            emit("\(n) =l add \(m), 16")
            size = n
        }
        emit("\(p) =l \(rng.pick(["alloc4", "alloc8", "alloc16"])) \(size)")
        let v = intOperand(.l)
        emit("storel \(v), \(p)")
        let q = fresh()
        emit("\(q) =l add \(p), 8")
        emit("storel \(v), \(q)")
        let name = "%v\(nextTemp)"
        nextTemp += 1
        emit("\(name) =l \(rng.pick(["loadl", "loadsw", "loaduw"])) \(q)")
        pool.append(Variable(name: name, kind: .l, bound: 0, mutable: true))
    }

    mutating func printFloat() {
        let (v, _) = floatOperand(.d, maxBound: 600)
        emit("call $printf(l $fmt_float, ..., d \(v))")
        let w = intOperand(.w)
        emit("call $printf(l $fmt_word, ..., w \(w), w \(w))")
    }

    /// Prints the digest of every visible value (main only).
    mutating func checkpoint() {
        let h = digest()
        emit("%hash =l copy \(h)")
        emit("call $printf(l $fmt_hash, ..., l %hash)")
    }

    // MARK: Expressions

    /// Emits instructions computing an integer of `kind` into `dest`.
    mutating func intExpression(_ kind: Kind, dest: String) {
        let k = kind.name
        switch rng.below(100) {
        case 0..<30:
            let op = rng.pick(["add", "sub", "mul", "and", "or", "xor", "shl", "shr", "sar", "add", "sub", "mul"])
            if rng.chance(25) {
                // An immediate operand, first or second; shift counts may exceed the width.
                let imm = op.hasPrefix("sh") || op == "sar" ? String(rng.below(kind == .w ? 40 : 70)) : intConstant(kind)
                let x = intOperand(kind)
                emit("\(dest) =\(k) \(op) \(rng.chance(70) ? x : imm), \(rng.chance(70) ? imm : x)")
            } else {
                emit("\(dest) =\(k) \(op) \(intOperand(kind)), \(intOperand(kind))")
            }
        case 30..<33:
            emit("\(dest) =\(k) neg \(intOperand(kind))")
        case 33..<36:
            // Constant divisors (never 0, never -1): the selector may strength-reduce them.
            let signed = rng.chance(50)
            let divisors = kind == .w ? [1, 2, 3, 7, 10, 16, 1000, -2, -3, -8, 2147483647, -2147483648]
                : [1, 2, 3, 7, 10, 16, 1000, -2, -3, -8, 4294967296, Int(Int64.min), Int(Int64.max)]
            let op = signed ? rng.pick(["div", "rem"]) : rng.pick(["udiv", "urem"])
            emit("\(dest) =\(k) \(op) \(intOperand(kind)), \(rng.pick(divisors))")
        case 36..<38:
            let t = fresh()
            emit("\(t) =\(k) and \(intOperand(kind)), -2")
            let d = fresh()
            emit("\(d) =\(k) or \(t), 2")  // never 0, never -1
            emit("\(dest) =\(k) \(rng.pick(["div", "rem"])) \(intOperand(kind)), \(d)")
        case 38..<42:
            let d = fresh()
            emit("\(d) =\(k) or \(intOperand(kind)), 1")
            emit("\(dest) =\(k) \(rng.pick(["udiv", "urem"])) \(intOperand(kind)), \(d)")
        case 42..<52:
            let opKind: Kind = rng.pick([.w, .l])
            let cmp = rng.pick(["ceq", "cne", "csge", "csgt", "csle", "cslt", "cuge", "cugt", "cule", "cult"])
            emit("\(dest) =\(k) \(cmp)\(opKind.name) \(intOperand(opKind)), \(intOperand(opKind))")
        case 52..<58:
            let fk: Kind = rng.pick([.s, .d])
            let cmp = rng.pick(["ceq", "cne", "cge", "cgt", "cle", "clt", "co", "cuo"])
            let (a, _) = floatOperand(fk, maxBound: fk.limit)
            let (b, _) = floatOperand(fk, maxBound: fk.limit)
            emit("\(dest) =\(k) \(cmp)\(fk.name) \(a), \(b)")
        case 58..<66:
            if kind == .l && rng.chance(50) {
                emit("\(dest) =l \(rng.pick(["extsw", "extuw"])) \(intOperand(.w))")
            } else {
                emit("\(dest) =\(k) \(rng.pick(["extsb", "extub", "extsh", "extuh"])) \(intOperand(.w))")
            }
        case 71..<76 where !locals.isEmpty:
            _ = localIntegerLoad(kind, dest: dest)
        case 66..<76:
            let region = rng.pick(regions)
            let ops = kind == .l ? [("loadl", 8), ("loadsw", 4), ("loaduw", 4), ("loadsh", 2), ("loaduh", 2),
                                    ("loadsb", 1), ("loadub", 1)]
                : [("loadw", 4), ("loadsh", 2), ("loaduh", 2), ("loadsb", 1), ("loadub", 1)]
            let (op, width) = rng.pick(ops)
            emit("\(dest) =\(k) \(op) \(address(region, width: width))")
        case 76..<84:
            floatToInt(kind, dest: dest)
        case 84..<88:
            let fk: Kind = kind == .w ? .s : .d
            let (v, _) = floatOperand(fk, maxBound: fk.limit)
            emit("\(dest) =\(k) cast \(v)")
        case 88..<94 where !helpers.isEmpty:
            let fitting = helpers.filter {
                if case .base(let r) = $0.result { return r == kind }
                if case .sub = $0.result { return kind == .w }
                return false
            }
            if let h = fitting.randomElement(using: &rng) {
                call(h, dest: dest, resultKind: kind)
            } else {
                emit("\(dest) =\(k) copy \(intOperand(kind))")
            }
        default:
            emit("\(dest) =\(k) copy \(intOperand(kind))")
        }
    }

    /// A float-to-integer conversion whose operand is in the result's range.
    mutating func floatToInt(_ kind: Kind, dest: String) {
        let fk: Kind = rng.pick([.s, .d])
        if rng.chance(50) {
            let (v, _) = floatOperand(fk, maxBound: kind == .w ? 30 : 62)
            emit("\(dest) =\(kind.name) \(fk.name)tosi \(v)")
        } else {
            // Unsigned: a square (never negative) scaled by 3, below 2^32 or 2^64.
            let (v, _) = floatOperand(fk, maxBound: kind == .w ? 15 : 31)
            let sq = fresh(), scaled = fresh()
            emit("\(sq) =\(fk.name) mul \(v), \(v)")
            emit("\(scaled) =\(fk.name) mul \(sq), \(fk.name)_3")
            emit("\(dest) =\(kind.name) \(fk.name)toui \(scaled)")
        }
    }

    /// Emits a float of `kind` with magnitude below 2^maxBound into `dest`; returns its bound.
    mutating func floatExpression(_ kind: Kind, maxBound: Int, dest: String) -> Int {
        let k = kind.name
        switch rng.below(100) {
        case 0..<20 where maxBound >= 9:
            let (a, ba) = floatOperand(kind, maxBound: maxBound - 1)
            let (b, bb) = floatOperand(kind, maxBound: maxBound - 1)
            emit("\(dest) =\(k) \(rng.pick(["add", "sub"])) \(a), \(b)")
            return max(ba, bb) + 1
        case 20..<32 where maxBound >= 16:
            let (a, ba) = floatOperand(kind, maxBound: maxBound / 2)
            let (b, bb) = floatOperand(kind, maxBound: maxBound / 2)
            emit("\(dest) =\(k) mul \(a), \(b)")
            return ba + bb
        case 32..<40 where maxBound >= 17:
            // x / (1 + y*y): the divisor is at least 1.
            let (x, bx) = floatOperand(kind, maxBound: maxBound)
            let (y, _) = floatOperand(kind, maxBound: min(maxBound, kind.limit - 1) / 2)
            let sq = fresh(), den = fresh()
            emit("\(sq) =\(k) mul \(y), \(y)")
            emit("\(den) =\(k) add \(sq), \(k)_1")
            emit("\(dest) =\(k) div \(x), \(den)")
            return bx
        case 40..<42 where !portable && maxBound >= 3:
            // Keel's `sqrt` (QBE has none) of a square, sometimes plus a constant: never negative, never NaN.
            let (a, ba) = floatOperand(kind, maxBound: (maxBound - 1) / 2)
            let sq = fresh()
            emit("\(sq) =\(k) mul \(a), \(a)")
            var radicand = sq
            if rng.chance(50) {
                radicand = fresh()
                emit("\(radicand) =\(k) add \(sq), \(k)_\(rng.pick(["0.5", "2.25", "1", "0.1"]))")
            }
            emit("\(dest) =\(k) sqrt \(radicand)")
            return ba + 1
        case 40..<44:
            let (a, ba) = floatOperand(kind, maxBound: maxBound)
            emit("\(dest) =\(k) neg \(a)")
            return ba
        case 44..<60 where maxBound >= 17:
            let from: Kind = rng.pick([.w, .l])
            var v = intOperand(from)
            var bound = from == .w ? 32 : 64
            if bound > maxBound {
                let masked = fresh()
                emit("\(masked) =\(from.name) and \(v), 65535")
                v = masked
                bound = 17
            }
            let op = from == .w ? rng.pick(["swtof", "uwtof"]) : rng.pick(["sltof", "ultof"])
            emit("\(dest) =\(k) \(op) \(v)")
            return bound
        case 60..<68:
            if kind == .d {
                let (v, b) = floatOperand(.s, maxBound: min(maxBound, Kind.s.limit))
                emit("\(dest) =d exts \(v)")
                return b
            }
            let (v, b) = floatOperand(.d, maxBound: min(maxBound, Kind.s.limit))
            emit("\(dest) =s truncd \(v)")
            return b
        case 68..<74:
            // Clearing the top exponent bit keeps the bits a finite number below 2.
            let from: Kind = kind == .s ? .w : .l
            let masked = fresh()
            emit("\(masked) =\(from.name) and \(intOperand(from)), \(kind == .s ? "-1073741825" : "-4611686018427387905")")
            emit("\(dest) =\(k) cast \(masked)")
            return 1
        case 74..<79 where maxBound >= 60:
            if let bound = localFloatLoad(kind, dest: dest) { return bound }
            fallthrough
        case 79..<84 where maxBound >= 60:
            let region = regions.filter { $0.floatKind == kind }
            if let r = region.first {
                emit("\(dest) =\(k) load\(k) \(address(r, width: kind == .d ? 8 : 4))")
                return 60
            }
        case 84..<90 where maxBound >= 60 && !helpers.isEmpty:
            let fitting = helpers.filter {
                if case .base(let r) = $0.result { return r == kind }
                return false
            }
            if let h = fitting.randomElement(using: &rng) {
                call(h, dest: dest, resultKind: kind)
                return 60
            }
        default:
            break
        }
        let (v, b) = floatOperand(kind, maxBound: maxBound)
        emit("\(dest) =\(k) copy \(v)")
        return b
    }

    /// An existing variable or a constant of `kind`; floats with bound ≤ `maxBound`.
    mutating func operand(_ kind: Kind, maxBound: Int) -> String {
        kind.isFloat ? floatOperand(kind, maxBound: maxBound).0 : intOperand(kind)
    }

    mutating func intOperand(_ kind: Kind) -> String {
        if rng.chance(75) {
            // A `w` operand may read the low half of an `l`; never the reverse.
            let widen = kind == .w && rng.chance(10)
            let candidates = pool.filter { $0.kind == kind || (widen && $0.kind == .l) }
            if let v = candidates.randomElement(using: &rng) { return v.name }
        }
        return intConstant(kind)
    }

    mutating func intConstant(_ kind: Kind) -> String {
        if kind == .w {
            switch rng.below(4) {
            case 0: return String(rng.pick([0, 1, -1, 2, 7, 31, 32, 33, 255, -128, 65535, 2147483647, -2147483648]))
            case 1: return String(Int32(truncatingIfNeeded: rng.next()))
            default: return String(rng.below(2001) - 1000)
            }
        }
        switch rng.below(4) {
        case 0:
            return String(rng.pick([0, 1, -1, 63, 64, 4294967295, 4294967296, Int64.max, Int64.min,
                                    -4294967296, 2147483648]))
        case 1: return String(Int64(bitPattern: rng.next()))
        default: return String(rng.below(2001) - 1000)
        }
    }

    /// A variable of float `kind` with bound ≤ maxBound, or a constant (bound 8).
    mutating func floatOperand(_ kind: Kind, maxBound: Int) -> (String, Int) {
        if rng.chance(75) {
            let candidates = pool.filter { $0.kind == kind && $0.bound <= maxBound }
            if let v = candidates.randomElement(using: &rng) { return (v.name, v.bound) }
        }
        return floatConstant(kind, maxBound: maxBound)
    }

    /// A float constant of `kind` with bound ≤ `maxBound` (8, or 1 below 8).
    mutating func floatConstant(_ kind: Kind, maxBound: Int) -> (String, Int) {
        // Quarters between -100 and 100 (below 1 for a tight bound) are exact in both formats.
        let q = maxBound >= 8 ? rng.below(801) - 400 : rng.below(7) - 3
        let magnitude = abs(q)
        let text = "\(q < 0 ? "-" : "")\(magnitude / 4).\(["0", "25", "5", "75"][magnitude % 4])"
        return ("\(kind.name)_\(text)", maxBound >= 8 ? 8 : 1)
    }

    /// A `w` or `l` condition for `jnz`.
    mutating func condition() -> String {
        let c = fresh()
        switch rng.below(11) {
        case 10 where !portable:
            // An `l` as the condition: only its low 32 bits count.
            if let v = pool.filter({ $0.kind == .l }).randomElement(using: &rng) { return v.name }
            emit("\(c) =l copy \(rng.pick(["4294967296", "-4294967296", "1", "0", "4294967297"]))")
        case 0..<3:
            emit("\(c) =w and \(intOperand(.w)), \(rng.pick([1, 3, 4, 255]))")
        case 3..<7:
            let opKind: Kind = rng.pick([.w, .l])
            let cmp = rng.pick(["ceq", "cne", "csge", "csgt", "csle", "cslt", "cuge", "cugt", "cule", "cult"])
            emit("\(c) =w \(cmp)\(opKind.name) \(intOperand(opKind)), \(rng.chance(40) ? intConstant(opKind) : intOperand(opKind))")
        case 7:
            let fk: Kind = rng.pick([.s, .d])
            let cmp = rng.pick(["ceq", "cne", "cge", "cgt", "cle", "clt", "co", "cuo"])
            let (a, _) = floatOperand(fk, maxBound: fk.limit)
            let (b, _) = floatOperand(fk, maxBound: fk.limit)
            emit("\(c) =w \(cmp)\(fk.name) \(a), \(b)")
        default:
            intExpression(.w, dest: c)
        }
        return c
    }

    /// An in-bounds address of `width` bytes in `region` (float regions: aligned cells).
    mutating func address(_ region: Region, width: Int) -> String {
        let aligned = region.floatKind != nil
        let cells = region.size / 8
        switch rng.below(3) {
        case 0:
            return region.base
        case 1:
            let off = aligned ? rng.below(region.size / width) * width : rng.below(region.size - width + 1)
            let a = fresh()
            emit("\(a) =l add \(region.base), \(off)")
            return a
        default:
            // A computed index: (v & (cells-1)) * 8.
            let idx = fresh(), scaled = fresh(), a = fresh()
            let v = intOperand(rng.pick([.w, .l]))
            if v.hasPrefix("%") && !pool.contains(where: { $0.name == v && $0.kind == .l }) {
                let wide = fresh()
                emit("\(wide) =l extuw \(v)")
                emit("\(idx) =l and \(wide), \(cells - 1)")
            } else {
                emit("\(idx) =l and \(v.hasPrefix("%") ? v : String(rng.below(cells))), \(cells - 1)")
            }
            emit("\(scaled) =l shl \(idx), 3")
            emit("\(a) =l add \(region.base), \(scaled)")
            return a
        }
    }

    // MARK: Aggregates and digests

    /// Builds an aggregate of type `a` in a fresh slot; returns its address.
    mutating func storeAggregate(_ a: Aggregate) -> String {
        let p = fresh()
        emit("\(p) =l alloc8 \(a.size)")
        for f in a.fields {
            let at = fresh()
            emit("\(at) =l add \(p), \(f.offset)")
            switch f.type {
            case "s", "d":
                let (v, _) = floatOperand(f.type == "s" ? .s : .d, maxBound: 60)
                emit("store\(f.type) \(v), \(at)")
            case "l": emit("storel \(intOperand(.l)), \(at)")
            default: emit("store\(f.type) \(intOperand(.w)), \(at)")
            }
        }
        return p
    }

    /// Loads every field of the aggregate at `pointer` into new variables.
    mutating func loadAggregate(pointer: String, _ a: Aggregate) {
        for f in a.fields {
            let at = fresh()
            emit("\(at) =l add \(pointer), \(f.offset)")
            let v = "%v\(nextTemp)"
            nextTemp += 1
            switch f.type {
            case "s", "d":
                emit("\(v) =\(f.type) load\(f.type) \(at)")
                pool.append(Variable(name: v, kind: f.type == "s" ? .s : .d, bound: 60, mutable: true))
            case "l":
                emit("\(v) =l loadl \(at)")
                pool.append(Variable(name: v, kind: .l, bound: 0, mutable: true))
            case "w":
                emit("\(v) =w loadw \(at)")
                pool.append(Variable(name: v, kind: .w, bound: 0, mutable: true))
            default:
                emit("\(v) =w \(rng.pick(["loads", "loadu"]))\(f.type) \(at)")
                pool.append(Variable(name: v, kind: .w, bound: 0, mutable: true))
            }
        }
    }

    /// Emits a hash of every visible variable; returns the `l` temporary holding it.
    mutating func digest() -> String {
        let h = fresh()
        emit("\(h) =l copy \(intConstant(.l))")
        for v in pool { mix(into: h, v) }
        mixLocals(into: h)
        return h
    }

    mutating func mix(into h: String, _ v: Variable) {
        var bits = v.name
        switch v.kind {
        case .l: break
        case .w:
            bits = fresh()
            emit("\(bits) =l extuw \(v.name)")
        case .s:
            let w = fresh()
            emit("\(w) =w cast \(v.name)")
            bits = fresh()
            emit("\(bits) =l extuw \(w)")
        case .d:
            bits = fresh()
            emit("\(bits) =l cast \(v.name)")
        }
        emit("\(h) =l xor \(h), \(bits)")
        emit("\(h) =l mul \(h), 1099511628211")
    }

    // MARK: Text

    mutating func emit(_ line: String) { lines.append("\t" + line) }

    mutating func fresh() -> String {
        nextTemp += 1
        return "%t\(nextTemp)"
    }

    mutating func label() -> Int {
        nextLabel += 1
        return nextLabel
    }

    mutating func startBlock(_ name: String) {
        lines.append("@" + name)
        currentLabel = name
    }

    /// `count` statements one level deeper; the variables they define (and
    /// a loop's counter) go out of scope after them.
    mutating func scopedStatements(_ count: Int, counter: Variable? = nil) {
        let saved = pool.count
        depth += 1
        if let counter { pool.append(counter) }
        for _ in 0..<count { statement() }
        depth -= 1
        pool.removeSubrange(saved...)
    }
}
