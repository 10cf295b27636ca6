import KeelAnalysis
import KeelInterp
import KeelIR
import KeelOpt
import Testing

/// Random programs whose locals live in slots written and read at every
/// width (sub-words with both extensions, words, longs, floats, bit casts,
/// narrow stores into wider values, aliases `add %s, 0`), in branches and
/// loops, often read before any write: interpreted before and after
/// promotion, they must compute the same. The generator is written for the
/// pass, so its programs hit every case of it; `keel fuzz` programs keep
/// their memory in slots that escape to `memset`.
@Suite struct SlotPromotionRandomTests {
    @Test(arguments: 0..<400)
    func randomSlotProgramsRunTheSame(_ seed: Int) throws {
        var g = SlotProgramGenerator(seed: UInt64(seed))
        let text = g.program()
        var before = try Module(parsing: text)
        #expect(constructSSA(&before).isEmpty)
        let options = VerifierOptions(strictCallSignatures: false)
        try #require(Verifier.verify(before, options: options).filter(\.isError).isEmpty, "\(text)")
        var after = before
        let counts = promoteSlots(&after)
        #expect(counts.promoted > 0)
        let errors = Verifier.verify(after, options: options).filter(\.isError)
        #expect(errors.isEmpty, "\(errors)\n\(text)")
        let expected = run(before)
        #expect(expected.hasPrefix("acc "), "\(expected)\n\(text)")
        #expect(run(after) == expected, "seed \(seed)\n\(text)\n--- after:\n\(ILPrinter.print(after))")
    }

    func run(_ m: Module) -> String {
        do {
            var interpreter = try Interpreter(module: m)
            interpreter.stepLimit = 10_000_000
            var out: [UInt8] = []
            let status = try interpreter.run(arguments: ["t"], output: &out)
            return String(decoding: out, as: UTF8.self) + "status \(status)"
        } catch {
            return "error \(error)"
        }
    }
}

/// IL of `$f(l %p0, l %p1)` over a few slots, and a `$main` calling it.
struct SlotProgramGenerator {
    var state: UInt64
    var lines: [String] = []
    var next = 0
    var label = 0
    /// Slot names and sizes (4 or 8 bytes).
    var slots: [(name: String, size: Int)] = []

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }

    mutating func below(_ n: Int) -> Int {
        // xorshift64*: deterministic and enough for test shapes.
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Int((state &* 0x2545_F491_4F6C_DD1D) >> 33) % n
    }

    mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }

    mutating func temp() -> String {
        next += 1
        return "%t\(next)"
    }

    mutating func emit(_ s: String) { lines.append("\t" + s) }

    mutating func program() -> String {
        lines = ["data $acc = { l 0 }", "data $fmt = { b \"acc %ld\\n\", b 0 }", "function $f(l %p0, l %p1) {", "@start"]
        for k in 0..<(2 + below(4)) {
            let size = pick([4, 8])
            slots.append(("%s\(k)", size))
            emit("%s\(k) =l alloc\(size == 4 ? 4 : pick([8, 16])) \(size)")
        }
        if below(3) == 0 {
            // One slot that escapes: stays in memory beside the promoted ones.
            emit("%esc =l alloc8 8")
            emit("storel %p1, %esc")
            emit("call $touch(l %esc)")
            slots.append(("%esc", 8))
        }
        statements(depth: 0, count: 4 + below(8))
        emit("ret")
        lines += ["}", """
            function $touch(l %p) {
            @start
            \t%v =l loadl %p
            \t%w =l add %v, 1
            \tstorel %w, %p
            \tret
            }
            export function w $main() {
            @start
            \tcall $f(l 81985529216486895, l -2)
            \tcall $f(l 4611686018427387904, l 3)
            \tcall $f(l -1, l 0)
            \t%a =l loadl $acc
            \tcall $printf(l $fmt, ..., l %a)
            \tret 0
            }
            """]
        return lines.joined(separator: "\n")
    }

    mutating func statements(depth: Int, count: Int) {
        for _ in 0..<count {
            switch below(10) {
            case 0...3: store()
            case 4...7: load()
            case 8 where depth < 2: branch(depth: depth)
            case 9 where depth < 2: loop(depth: depth)
            default: store()
            }
        }
    }

    /// The address of a slot: itself, or an alias at offset 0.
    mutating func address(_ slot: (name: String, size: Int)) -> String {
        guard below(6) == 0 else { return slot.name }
        let a = temp()
        emit(below(2) == 0 ? "\(a) =l add \(slot.name), 0" : "\(a) =l copy \(slot.name)")
        return a
    }

    mutating func store() {
        let slot = pick(slots)
        let widths = slot.size == 8 ? ["storeb", "storeh", "storew", "storel", "stores", "stored"]
                                    : ["storeb", "storeh", "storew", "stores"]
        let op = pick(widths)
        let value: String
        switch op {
        case "storel": value = pick(["%p0", "%p1", "-81985529216486896", "255"])
        case "stores":
            value = temp()
            emit(below(2) == 0 ? "\(value) =s cast \(pick(["%p0", "%p1"]))" : "\(value) =s copy s_\(pick(["1.5", "-0.25", "3e9"]))")
        case "stored":
            value = temp()
            emit(below(2) == 0 ? "\(value) =d cast \(pick(["%p0", "%p1"]))" : "\(value) =d copy d_\(pick(["1.5", "-7.75", "1e300"]))")
        default:
            value = temp()
            emit("\(value) =w add \(pick(["%p0", "%p1"])), \(below(70000) - 35000)")
        }
        let a = address(slot)
        emit("\(op) \(value), \(a)")
    }

    mutating func load() {
        let slot = pick(slots)
        var kinds = [("loadsb", "w"), ("loadub", "w"), ("loadsh", "w"), ("loaduh", "w"), ("loadsw", "w"),
                     ("loaduw", "w"), ("loadsb", "l"), ("loadub", "l"), ("loadsh", "l"), ("loaduh", "l"),
                     ("loadsw", "l"), ("loaduw", "l"), ("loads", "s")]
        if slot.size == 8 { kinds += [("loadl", "l"), ("loadd", "d")] }
        let (op, cls) = pick(kinds)
        let a = address(slot)
        let v = temp()
        emit("\(v) =\(cls) \(op) \(a)")
        // Fold the bits into $acc (a global: never promoted).
        var bits = v
        switch cls {
        case "w":
            bits = temp()
            emit("\(bits) =l extuw \(v)")
        case "s":
            let w = temp()
            emit("\(w) =w cast \(v)")
            bits = temp()
            emit("\(bits) =l extuw \(w)")
        case "d":
            bits = temp()
            emit("\(bits) =l cast \(v)")
        default: break
        }
        let old = temp(), mul = temp(), new = temp()
        emit("\(old) =l loadl $acc")
        emit("\(mul) =l mul \(old), 1000003")
        emit("\(new) =l xor \(mul), \(bits)")
        emit("storel \(new), $acc")
    }

    mutating func newLabel() -> String {
        label += 1
        return "@b\(label)"
    }

    mutating func branch(depth: Int) {
        let c = temp()
        emit("\(c) =w and \(pick(["%p0", "%p1"])), \(1 << below(8))")
        let yes = newLabel(), no = newLabel(), join = newLabel()
        emit("jnz \(c), \(yes), \(no)")
        lines.append(yes)
        statements(depth: depth + 1, count: 1 + below(4))
        emit("jmp \(join)")
        lines.append(no)
        if below(2) == 0 { statements(depth: depth + 1, count: 1 + below(3)) }
        lines.append(join)
    }

    mutating func loop(depth: Int) {
        // The counter lives in a slot of its own, promoted too.
        let counter = "%n\(next)"
        next += 1
        lines.insert("\t\(counter) =l alloc4 4", at: 4)
        emit("storew 0, \(counter)")
        let head = newLabel(), body = newLabel(), exit = newLabel()
        lines.append(head)
        let i = temp(), c = temp()
        emit("\(i) =w loadw \(counter)")
        emit("\(c) =w csltw \(i), \(1 + below(3))")
        emit("jnz \(c), \(body), \(exit)")
        lines.append(body)
        statements(depth: depth + 1, count: 1 + below(4))
        let i2 = temp(), i3 = temp()
        emit("\(i2) =w loadw \(counter)")
        emit("\(i3) =w add \(i2), 1")
        emit("storew \(i3), \(counter)")
        emit("jmp \(head)")
        lines.append(exit)
    }
}
