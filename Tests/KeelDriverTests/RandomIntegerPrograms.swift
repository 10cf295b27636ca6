// Random integer IL programs, for comparing the toy target with the
// reference interpreter.
//
// Guarantees: every program is valid IL that the toy target can select
// (w/l arithmetic, bit operations, shifts, comparisons, copies, `ext*`,
// direct calls with at most three arguments), terminates (loops run one to
// four times, nested at most twice), never divides by zero or overflows a
// division (divisors are forced into 1...256), prints nothing, and returns
// from `$main` a 32-bit fold of everything `$compute` computed. The same
// seed gives the same program (SplitMix64).
//
// Shape: `$compute(l, w, l)` keeps eight variables, each w or l, and
// assigns them again and again — the IL need not be in SSA form; FrontHalf
// builds the phis — in a random sequence of regions: straight-line code,
// diamonds (if/else, possibly nested), loops (possibly holding a diamond or
// another loop) and calls to a helper `$mix`, so values live across calls,
// around back edges and into joins. Eight variables and the temporaries
// around them are more than the six integer registers, so the allocator spills.
import KeelRandom

struct RandomIntegerProgram {
    var random: SplitMix64
    var lines: [String] = []
    /// The class (`w` or `l`) of each variable `%v0`...
    var variableClasses: [String] = []
    var nextName = 0

    static let variableCount = 8

    static func generate(seed: UInt64) -> String {
        var g = RandomIntegerProgram(random: SplitMix64(seed: seed))
        return g.program()
    }

    init(random: SplitMix64) { self.random = random }

    mutating func fresh(_ prefix: String) -> String {
        nextName += 1
        return "\(prefix)\(nextName)"
    }

    mutating func emit(_ line: String) { lines.append("\t" + line) }
    mutating func label(_ name: String) { lines.append("@" + name) }

    mutating func program() -> String {
        variableClasses = (0..<Self.variableCount).map { _ in random.chance(50) ? "w" : "l" }
        lines = ["function l $compute(l %p0, w %p1, l %p2) {", "@start"]
        for (k, c) in variableClasses.enumerated() {
            let source = random.pick(["%p0", "%p1", "%p2", constant()])
            if c == "l" && source == "%p1" { emit("%v\(k) =l extsw %p1") } else { emit("%v\(k) =\(c) copy \(source)") }
        }
        for _ in 0..<(3 + random.below(4)) { region(depth: 0) }
        // Fold every variable into the result.
        emit("%acc0 =l copy 0")
        for k in 0..<Self.variableCount {
            var value = "%v\(k)"
            if variableClasses[k] == "w" {
                value = "%wide\(k)"
                emit("\(value) =l \(random.chance(50) ? "extsw" : "extuw") %v\(k)")
            }
            emit("%scaled\(k) =l mul %acc\(k), 1000003")
            emit("%acc\(k + 1) =l xor %scaled\(k), \(value)")
        }
        emit("ret %acc\(Self.variableCount)")
        lines.append("}")
        let compute = lines.joined(separator: "\n")
        return compute + "\n\n" + Self.helper + "\n\n" + Self.main(arguments: (constant(), constant(), constant()))
    }

    /// What values live across: a helper with a branch of its own.
    static let helper = """
        function l $mix(l %a, w %b) {
        @start
        	%x =l mul %a, 31
        	%bl =l extsw %b
        	%neg =w csltw %b, 0
        	jnz %neg, @minus, @plus
        @minus
        	%y =l sub %x, %bl
        	ret %y
        @plus
        	%z =l xor %x, %bl
        	ret %z
        }
        """

    static func main(arguments: (String, String, String)) -> String {
        """
        export function w $main() {
        @start
        	%r =l call $compute(l \(arguments.0), w \(arguments.1), l \(arguments.2))
        	%hi =l shr %r, 32
        	%folded =l xor %r, %hi
        	%result =w copy %folded
        	ret %result
        }
        """
    }

    // MARK: values

    mutating func constant() -> String {
        let interesting: [Int64] = [0, 1, -1, 2, 3, 7, 31, 32, 33, 63, 64, 255, 256, 65535, 65536,
                                    2_147_483_647, -2_147_483_648, 4_294_967_295, Int64.max, Int64.min]
        if random.chance(70) { return String(random.pick(interesting)) }
        return String(Int64(bitPattern: random.next()) >> random.below(64))
    }

    /// An operand a `cls` operation may read: a variable (an `l` one, for a
    /// `w` operation, is read as its low 32 bits) or a constant.
    mutating func operand(_ cls: String) -> String {
        if random.chance(20) { return constant() }
        let candidates = (0..<Self.variableCount).filter { cls == "w" || variableClasses[$0] == "l" }
        guard !candidates.isEmpty else { return constant() }
        return "%v\(random.pick(candidates))"
    }

    // MARK: code

    mutating func region(depth: Int) {
        switch random.below(10) {
        case 0..<4: for _ in 0..<(1 + random.below(5)) { statement() }
        case 4: call()
        case 5, 6: diamond(depth: depth)
        default: if depth < 2 { loop(depth: depth) } else { diamond(depth: depth) }
        }
    }

    mutating func statement() {
        let d = random.below(Self.variableCount)
        let cls = variableClasses[d]
        let target = "%v\(d)"
        switch random.below(12) {
        case 0..<4:
            let op = random.pick(["add", "sub", "mul", "and", "or", "xor", "shl", "shr", "sar"])
            emit("\(target) =\(cls) \(op) \(operand(cls)), \(operand(cls))")
        case 4:
            // A divisor in 1...256, so nothing traps.
            let masked = fresh("%mask"), divisor = fresh("%divisor")
            emit("\(masked) =\(cls) and \(operand(cls)), 255")
            emit("\(divisor) =\(cls) add \(masked), 1")
            emit("\(target) =\(cls) \(random.pick(["div", "rem", "udiv", "urem"])) \(operand(cls)), \(divisor)")
        case 5, 6:
            let width = random.chance(50) ? "w" : "l"
            let condition = random.pick(["eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge"])
            emit("\(target) =\(cls) c\(condition)\(width) \(operand(width)), \(operand(width))")
        case 7, 8:
            // extsw and extuw make an l from a w.
            let extensions = ["extsb", "extub", "extsh", "extuh"] + (cls == "l" ? ["extsw", "extuw"] : [])
            emit("\(target) =\(cls) \(random.pick(extensions)) \(operand("w"))")
        case 9:
            emit("\(target) =\(cls) neg \(operand(cls))")
        case 10:
            emit("\(target) =\(cls) copy \(operand(cls))")
        default:
            call()
        }
    }

    mutating func call() {
        let d = random.below(Self.variableCount)
        if variableClasses[d] == "l" {
            emit("%v\(d) =l call $mix(l \(operand("l")), w \(operand("w")))")
        } else {
            let result = fresh("%call")
            emit("\(result) =l call $mix(l \(operand("l")), w \(operand("w")))")
            emit("%v\(d) =w copy \(result)")
        }
    }

    mutating func condition() -> String {
        let c = fresh("%cond")
        let width = random.chance(50) ? "w" : "l"
        let op = random.pick(["eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge"])
        emit("\(c) =w c\(op)\(width) \(operand(width)), \(operand(width))")
        return c
    }

    mutating func diamond(depth: Int) {
        let c = condition()
        let then = fresh("then"), otherwise = fresh("else"), join = fresh("join")
        emit("jnz \(c), @\(then), @\(otherwise)")
        for arm in [then, otherwise] {
            label(arm)
            if depth < 2 && random.chance(25) { region(depth: depth + 1) }
            for _ in 0..<random.below(4) { statement() }
            emit("jmp @\(join)")
        }
        label(join)
    }

    mutating func loop(depth: Int) {
        let counter = fresh("%i"), bound = fresh("%n"), masked = fresh("%trips")
        let header = fresh("loop"), exit = fresh("done")
        emit("\(counter) =w copy 0")
        emit("\(masked) =w and \(operand("w")), 3")
        emit("\(bound) =w add \(masked), 1")
        emit("jmp @\(header)")
        label(header)
        for _ in 0..<(1 + random.below(4)) { statement() }
        if depth < 2 && random.chance(50) { region(depth: depth + 1) }
        let more = fresh("%more")
        emit("\(counter) =w add \(counter), 1")
        emit("\(more) =w csltw \(counter), \(bound)")
        emit("jnz \(more), @\(header), @\(exit)")
        label(exit)
    }
}
