import KeelCodegen
import KeelTestSupport

/// Generates random structured toy functions: straight-line code over many
/// simultaneously live "variables", calls, fixed-register and two-address
/// instructions, if/else diamonds joining with block parameters, and counted
/// loops (trip count 0...3) whose back edges pass the variables permuted
/// (swap and lost-copy problems). Every edge obeys the machine model: no
/// critical edges, parameters only on joins entered by unconditional jumps.
struct RandomProgramGenerator {
    var rng: SplitMix64
    var f = MachineFunction<ToyOp>(name: "random")
    var vars: [VReg] = []
    var visible: [VReg] = []
    var maxDepth = 3
    /// How many top-level statement sequences the function has (large values make big functions).
    var sequences = 1

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// The big function of the speed tests: about 10k instructions, thousands of blocks.
    static func bigFunction() -> MachineFunction<ToyOp> {
        var g = RandomProgramGenerator(seed: 42)
        g.sequences = 500
        g.window = 40
        return g.generate()
    }

    mutating func chance(_ n: Int) -> Bool { Int.random(in: 0..<n, using: &rng) == 0 }
    /// If set, operands are picked among the last `window` visible values only (bounded live sets).
    var window: Int? = nil

    mutating func pick(_ c: RegClass) -> VReg? {
        let xs = visible.suffix(window ?? visible.count).filter { f.vregClasses[$0.int] == c }
        return xs.isEmpty ? nil : xs[Int.random(in: 0..<xs.count, using: &rng)]
    }
    mutating func anyInt() -> VReg {
        if let v = pick(.int) { return v }
        let v = f.newVReg(.int)
        f.append(.const(5), [.def(v)])
        visible.append(v)
        return v
    }
    /// Records a new value, sometimes as the new value of a variable of its class.
    mutating func defined(_ v: VReg) {
        visible.append(v)
        let same = vars.indices.filter { f.vregClasses[vars[$0].int] == f.vregClasses[v.int] }
        if !same.isEmpty && !chance(4) { vars[same[Int.random(in: 0..<same.count, using: &rng)]] = v }
    }

    mutating func generate() -> MachineFunction<ToyOp> {
        _ = f.beginBlock()
        let x = f.newVReg(.int), y = f.newVReg(.int)
        f.append(.args, [.def(x, .fixed(Toy.p0)), .def(y, .fixed(Toy.p1))])
        vars = [x, y]
        visible = [x, y]
        let ints = Int.random(in: 1...6, using: &rng)
        for k in 0..<ints {
            let v = f.newVReg(.int)
            f.append(.const(Int64(k * 11 + 3)), [.def(v)])
            vars.append(v)
            visible.append(v)
        }
        for _ in 0..<Int.random(in: 0...3, using: &rng) {
            let v = f.newVReg(.float)
            f.append(.itof, [.def(v), .use(anyInt())])
            vars.append(v)
            visible.append(v)
        }
        for _ in 0..<sequences { sequence(depth: 0) }
        // Return a checksum of every variable so each one's final value counts.
        var sum = vars.first { f.vregClasses[$0.int] == .int } ?? anyInt()
        for v in vars {
            var term = v
            if f.vregClasses[v.int] == .float {
                term = f.newVReg(.int)
                f.append(.ftoi, [.def(term), .use(v)])
            }
            let s = f.newVReg(.int)
            f.append(.mul, [.def(s), .use(sum), .use(term)])
            let t = f.newVReg(.int)
            f.append(.add, [.def(t), .use(s), .use(term)])
            sum = t
        }
        f.append(.ret, [.use(sum, .fixed(Toy.p0))], terminator: true)
        f.computePredecessors()
        return f
    }

    mutating func sequence(depth: Int) {
        for _ in 0..<Int.random(in: 0...6, using: &rng) {
            let r = Int.random(in: 0..<20, using: &rng)
            if r < 2 && depth < maxDepth { diamond(depth: depth); continue }
            if r < 4 && depth < maxDepth { loop(depth: depth); continue }
            statement()
        }
    }

    mutating func statement() {
        let d = f.newVReg(.int)
        switch Int.random(in: 0..<17, using: &rng) {
        case 14:  // two-address with the reused input in a fixed register
            f.append(.addTwo, [.def(d, .reuse(1)), .use(anyInt(), .fixed(Toy.p0)), .use(anyInt())])
        case 15:  // a late use in a fixed register next to an early def
            let e = f.newVReg(.int)
            f.append(.earlyLate, [MachineOperand(d, .def, at: .early), .def(e), .use(anyInt()),
                                  MachineOperand(anyInt(), .use, .fixed(Toy.p1), at: .late)])
            defined(e)
        case 16:  // a non-call instruction that clobbers one register, sometimes with a late use
            if chance(2) {
                f.append(.const(Int64.random(in: 0...9, using: &rng)), [.def(d)], clobbers: RegSet([Toy.p1]))
            } else {
                f.append(.add, [.def(d), .use(anyInt()), MachineOperand(anyInt(), .use, at: .late)],
                         clobbers: RegSet([Toy.p1]))
            }
        case 13: f.append(.shlTwo, [.def(d, .reuse(1)), .use(anyInt()), .use(anyInt(), .fixed(Toy.p1))])
        case 0: f.append(.const(Int64.random(in: -9...99, using: &rng)), [.def(d)])
        case 1: f.append(.add, [.def(d), .use(anyInt()), .use(anyInt())])
        case 2: f.append(.sub, [.def(d), .use(anyInt()), .use(anyInt())])
        case 3: f.append(.mul, [.def(d), .use(anyInt()), .use(anyInt())])
        case 4: f.append(.addTwo, [.def(d, .reuse(1)), .use(anyInt()), .use(anyInt())])
        case 5: f.append(.shl, [.def(d), .use(anyInt()), .use(anyInt(), .fixed(Toy.p1))])
        case 6:
            let r = f.newVReg(.int)
            f.append(.divmod, [.def(d, .fixed(Toy.p0)), .def(r, .fixed(Toy.p1)),
                               .use(anyInt(), .fixed(Toy.p0)), .use(anyInt())])
            defined(r)
        case 7:
            let e = f.newVReg(.int)
            f.append(.earlyLate, [MachineOperand(d, .def, at: .early), .def(e), .use(anyInt()),
                                  MachineOperand(anyInt(), .use, at: .late)])
            defined(e)
        case 8: f.append(.pinned, [.def(d), .use(anyInt(), .fixed(Toy.p2)), .use(anyInt(), .fixed(Toy.p3))])
        case 9, 10:
            let n = Int.random(in: 0...2, using: &rng)
            var ops: [MachineOperand] = []
            for k in 0..<n { ops.append(.use(anyInt(), .fixed(k == 0 ? Toy.p0 : Toy.p1))) }
            ops.append(.def(d, .fixed(Toy.p0)))
            f.append(.call(Int.random(in: 0...5, using: &rng)), ops, clobbers: Toy.callerSaved)
        case 11:
            if let a = pick(.float), let b = pick(.float) {
                let g = f.newVReg(.float)
                f.append(.fadd, [.def(g), .use(a), .use(b)])
                defined(g)
            }
            f.append(.cmplt, [.def(d), .use(anyInt()), .use(anyInt())])
        default:
            let g = f.newVReg(.float)
            f.append(.itof, [.def(g), .use(anyInt())])
            defined(g)
            f.append(.ftoi, [.def(d), .use(pick(.float) ?? g)])
        }
        defined(d)
    }

    mutating func newParams() -> [VReg] { vars.map { f.newVReg(f.vregClasses[$0.int]) } }

    /// `vars` passed to a join, sometimes permuted within a class.
    mutating func arguments() -> [VReg] {
        var args = vars
        if chance(2) {
            for _ in 0..<3 {
                let i = Int.random(in: 0..<args.count, using: &rng), j = Int.random(in: 0..<args.count, using: &rng)
                if f.vregClasses[args[i].int] == f.vregClasses[args[j].int] { args.swapAt(i, j) }
            }
        }
        return args
    }

    /// if/else (or a three-way switch) whose arms join with block parameters.
    mutating func diamond(depth: Int) {
        let arms = chance(3) ? 3 : 2
        let cond = f.newVReg(.int)
        f.append(.cmplt, [.def(cond), .use(anyInt()), .use(anyInt())])
        if arms == 2 {
            f.append(.br, [.use(cond)], terminator: true)
        } else {
            let sel = f.newVReg(.int)
            f.append(.add, [.def(sel), .use(cond), .use(anyInt())])
            f.append(.switchOn, [.use(sel)], terminator: true)
        }
        let head = f.blocks.count - 1
        let savedVars = vars, savedVisible = visible.count
        var starts: [MBlock] = [], ends: [Int] = [], armArgs: [[VReg]] = []
        for _ in 0..<arms {
            starts.append(f.beginBlock())
            sequence(depth: depth + 1)
            f.append(.jmp, [], terminator: true)
            ends.append(f.blocks.count - 1)
            armArgs.append(arguments())
            vars = savedVars
            visible.removeSubrange(savedVisible...)
        }
        let params = newParams()
        let join = f.beginBlock(params: params)
        f.blocks[head].successors = starts
        f.blocks[head].branchArguments = starts.map { _ in [] }
        for (e, a) in zip(ends, armArgs) {
            f.blocks[e].successors = [join]
            f.blocks[e].branchArguments = [a]
        }
        vars = params
        visible.append(contentsOf: params)
    }

    mutating func loop(depth: Int) {
        let zero = f.newVReg(.int)
        f.append(.const(0), [.def(zero)])
        f.append(.jmp, [], terminator: true)
        let pre = f.blocks.count - 1
        let entryArgs = vars + [zero]

        let params = newParams()
        let counter = f.newVReg(.int)
        let header = f.beginBlock(params: params + [counter])
        vars = params
        visible.append(contentsOf: params + [counter])
        let outer = visible.count
        let limit = f.newVReg(.int), cond = f.newVReg(.int)
        f.append(.const(Int64.random(in: 0...3, using: &rng)), [.def(limit)])
        f.append(.cmplt, [.def(cond), .use(counter), .use(limit)])
        f.append(.br, [.use(cond)], terminator: true)

        let body = f.beginBlock()
        sequence(depth: depth + 1)
        let one = f.newVReg(.int), next = f.newVReg(.int)
        f.append(.const(1), [.def(one)])
        f.append(.add, [.def(next), .use(counter), .use(one)])
        f.append(.jmp, [], terminator: true)
        let latch = f.blocks.count - 1
        let backArgs = arguments() + [next]

        vars = params
        visible.removeSubrange(outer...)
        let exit = f.beginBlock()
        f.blocks[pre].successors = [header]
        f.blocks[pre].branchArguments = [entryArgs]
        f.blocks[header.int].successors = [body, exit]
        f.blocks[header.int].branchArguments = [[], []]
        f.blocks[latch].successors = [header]
        f.blocks[latch].branchArguments = [backArgs]
    }
}
