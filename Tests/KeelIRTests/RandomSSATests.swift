import KeelTestSupport
import Testing
@testable import KeelIR

/// A random non-SSA program of word arithmetic over a few variables.
struct RandomProgram {
    enum Operand { case variable(Int), constant(Int64) }
    struct Assignment { var target: Int; var op: Opcode; var a: Operand; var b: Operand }
    enum Exit { case jmp(Int), jnz(Operand, Int, Int), ret(Operand) }
    struct WrittenPhi { var target: Int; var incoming: [(Int, Operand)] }

    var parameterCount: Int
    var variableCount: Int       // variables 0..<parameterCount are the parameters
    var blocks: [(phis: [WrittenPhi], body: [Assignment], exit: Exit)]

    static let ops: [Opcode] = [.add, .sub, .mul, .copy, .csltw, .ceqw]

    /// `initialize`: the entry assigns every variable (no undefined reads);
    /// `writtenPhis`: blocks with several predecessors may start with phis.
    static func make(_ g: inout SplitMix64, maxBlocks: Int, initialize: Bool, writtenPhis: Bool) -> RandomProgram {
        let params = Int.random(in: 0...2, using: &g)
        let vars = params + Int.random(in: 1...4, using: &g)
        let n = Int.random(in: 2...maxBlocks, using: &g)
        func operand() -> Operand {
            Int.random(in: 0..<3, using: &g) == 0 ? .constant(Int64.random(in: -3...9, using: &g))
                                                  : .variable(Int.random(in: 0..<vars, using: &g))
        }
        var p = RandomProgram(parameterCount: params, variableCount: vars, blocks: [])
        for b in 0..<n {
            var body: [Assignment] = []
            if b == 0 && initialize {
                for v in params..<vars { body.append(Assignment(target: v, op: .copy, a: .constant(Int64(v)), b: .constant(0))) }
            }
            for _ in 0..<Int.random(in: 0...4, using: &g) {
                let op = ops.randomElement(using: &g)!
                body.append(Assignment(target: Int.random(in: 0..<vars, using: &g), op: op, a: operand(), b: operand()))
            }
            let exit: Exit
            switch Int.random(in: 0..<10, using: &g) {
            case _ where b == n - 1 && Bool.random(using: &g): exit = .ret(operand())
            case 0, 1: exit = .ret(operand())
            case 2, 3, 4: exit = .jmp(Int.random(in: 1..<n, using: &g))
            default: exit = .jnz(operand(), Int.random(in: 1..<n, using: &g), Int.random(in: 1..<n, using: &g))
            }
            p.blocks.append(([], body, exit))
        }
        // Every variable is assigned at least twice (parameters count once), so
        // that constructSSA renames all of them; one assignment could leave a
        // use its definition does not dominate, which is not SSA's business.
        var defs = Array(repeating: 0, count: vars)
        for v in 0..<params { defs[v] += 1 }
        for b in p.blocks { for a in b.body { defs[a.target] += 1 } }
        for v in 0..<vars {
            while defs[v] < 2 {
                let b = Int.random(in: 0..<n, using: &g)
                let at = Int.random(in: 0...p.blocks[b].body.count, using: &g)
                p.blocks[b].body.insert(Assignment(target: v, op: .copy, a: .constant(Int64(10 + v)), b: .constant(0)), at: at)
                defs[v] += 1
            }
        }
        if writtenPhis {
            let preds = p.predecessors
            for b in 1..<n where preds[b].count >= 2 && Int.random(in: 0..<3, using: &g) == 0 {
                let phi = WrittenPhi(target: Int.random(in: 0..<vars, using: &g), incoming: preds[b].map { ($0, operand()) })
                p.blocks[b].phis.append(phi)
            }
        }
        return p
    }

    var successors: [[Int]] {
        blocks.map {
            switch $0.exit {
            case .jmp(let t): return [t]
            case .jnz(_, let t, let e): return t == e ? [t] : [t, e]
            case .ret: return []
            }
        }
    }

    var predecessors: [[Int]] {
        var preds = Array(repeating: [Int](), count: blocks.count)
        for (b, ss) in successors.enumerated() { for s in ss { preds[s].append(b) } }
        return preds
    }

    /// The program as (non-SSA) IL: each variable is one temporary.
    func function() -> Function {
        var r = RawFunction(parameters: (0..<parameterCount).map { "v\($0)" })
        func ref(_ o: Operand) -> Ref {
            switch o {
            case .variable(let v): return r.temp("v\(v)")
            case .constant(let c): return r.int(c)
            }
        }
        for b in blocks.indices { _ = r.block("b\(b)") }
        for (b, block) in blocks.enumerated() {
            for phi in block.phis {
                r.phi("b\(b)", "v\(phi.target)", .w, phi.incoming.map { ("b\($0.0)", ref($0.1)) })
            }
            for a in block.body {
                r.ins("b\(b)", "v\(a.target)", .w, a.op, ref(a.a), a.op == .copy ? .none : ref(a.b))
            }
            switch block.exit {
            case .jmp(let t): r.jmp("b\(b)", "b\(t)")
            case .jnz(let c, let t, let e): r.jnz("b\(b)", ref(c), "b\(t)", "b\(e)")
            case .ret(let v): r.ret("b\(b)", ref(v))
            }
        }
        return r.f
    }

    /// The program built through `FunctionBuilder`, filling blocks in index
    /// order; `eagerSealing` seals a block once all its predecessors are
    /// filled, otherwise all blocks are sealed at the end.
    func built(eagerSealing: Bool) throws(DiagnosticList) -> Function {
        var m = Module()
        var fb = FunctionBuilder(name: "r", returnType: .base(.w), in: &m)
        var vars: [Variable] = []
        for v in 0..<variableCount {
            vars.append(fb.declareVariable(.w, name: "v\(v)"))
            if v < parameterCount { fb.write(vars[v], fb.addParameter(.base(.w), name: "v\(v)")) }
        }
        var ids = [fb.entry]
        for b in 1..<blocks.count { ids.append(fb.createBlock("b\(b)")) }
        let preds = predecessors, succs = successors
        var filledPreds = Array(repeating: 0, count: blocks.count)
        for b in 1..<blocks.count where preds[b].isEmpty { fb.sealBlock(ids[b]) }
        for (b, block) in blocks.enumerated() {
            fb.switchTo(ids[b])
            func ref(_ o: Operand) -> Ref {
                switch o {
                case .variable(let v): return fb.read(vars[v])
                case .constant(let c): return fb.integer(c)
                }
            }
            for a in block.body {
                let x = ref(a.a), y = a.op == .copy ? .none : ref(a.b)
                fb.write(vars[a.target], fb.emit(a.op, .w, x, y))
            }
            switch block.exit {
            case .jmp(let t): fb.jump(ids[t])
            case .jnz(let c, let t, let e): fb.branch(ref(c), ids[t], ids[e])
            case .ret(let v): fb.ret(ref(v))
            }
            for s in succs[b] {
                filledPreds[s] += 1
                if eagerSealing && filledPreds[s] == preds[s].count { fb.sealBlock(ids[s]) }
            }
        }
        if !eagerSealing { for b in 1..<blocks.count { fb.sealBlock(ids[b]) } }
        return try fb.finish()
    }
}

@Suite struct RandomSSATests {
    static let arguments: [[Int64]] = [[0, 0], [1, 2], [5, -1], [3, 3], [-7, 10]]

    @Test func randomProgramsBecomeStrictSSAWithSameBehaviour() {
        var g = SplitMix64(seed: 0x5EED_55A)
        var phisPlaced = 0, renamedPrograms = 0
        for round in 0..<600 {
            let p = RandomProgram.make(&g, maxBlocks: round % 10 == 0 ? 30 : 8, initialize: false,
                                       writtenPhis: round % 2 == 0)
            let before = p.function()
            var after = before
            let diagnostics = constructSSA(&after)
            #expect(diagnostics.isEmpty)
            let problems = strictSSAProblems(after)
            #expect(problems.isEmpty, "round \(round): \(problems)\n\(dump(before))\n\(dump(after))")
            #expect(trivialPhis(after, input: before).isEmpty, "round \(round)\n\(dump(after))")
            for args in Self.arguments {
                let a = evaluate(before, arguments: args), b = evaluate(after, arguments: args)
                #expect(a == b, "round \(round) args \(args): \(String(describing: a)) vs \(String(describing: b))\n\(dump(before))\n\(dump(after))")
            }
            if problems.isEmpty == false { return }
            phisPlaced += after.blocks.reduce(0) { $0 + $1.phis.count } - before.blocks.reduce(0) { $0 + $1.phis.count }
            if after != before { renamedPrograms += 1 }
        }
        // The generator must actually exercise the construction.
        #expect(phisPlaced > 300)
        #expect(renamedPrograms > 400)
    }

    @Test func builderMatchesNonSSAMeaning() throws {
        var g = SplitMix64(seed: 42)
        for round in 0..<250 {
            let p = RandomProgram.make(&g, maxBlocks: round % 10 == 0 ? 25 : 8, initialize: true, writtenPhis: false)
            let reference = p.function()
            for eager in [true, false] {
                let f = try p.built(eagerSealing: eager)
                #expect(strictSSAProblems(f).isEmpty, "round \(round) eager \(eager)\n\(dump(f))")
                #expect(trivialPhis(f).isEmpty, "round \(round) eager \(eager)\n\(dump(f))")
                for args in Self.arguments {
                    #expect(evaluate(f, arguments: args) == evaluate(reference, arguments: args),
                            "round \(round) eager \(eager) args \(args)\n\(dump(reference))\n\(dump(f))")
                }
            }
        }
    }

    /// The builder and constructSSA share one algorithm: on the same program,
    /// filled in the same order with the same sealing, they place as many phis.
    @Test func builderAndConstructionPlaceTheSamePhis() throws {
        var g = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let p = RandomProgram.make(&g, maxBlocks: 8, initialize: true, writtenPhis: false)
            var ssa = p.function()
            constructSSA(&ssa)
            // constructSSA fills in reverse postorder: compare only where that is index order.
            let order = reversePostorder(p.successors)
            guard order == Array(0..<order.count), order.count == p.blocks.count else { continue }
            let built = try p.built(eagerSealing: true)
            #expect(built.blocks.map(\.phis.count) == ssa.blocks.map(\.phis.count),
                    "\(dump(ssa))\n\(dump(built))")
        }
    }

    private func reversePostorder(_ succ: [[Int]]) -> [Int] {
        var seen = Set<Int>(), post: [Int] = []
        func visit(_ b: Int) {
            seen.insert(b)
            for s in succ[b] where !seen.contains(s) { visit(s) }
            post.append(b)
        }
        visit(0)
        return post.reversed()
    }

    /// Deep CFGs must not exhaust the stack: lookups are iterative.
    @Test func longChainsAndManyMerges() throws {
        var m = Module()
        var fb = FunctionBuilder(name: "deep", returnType: .base(.w), in: &m)
        let c = fb.addParameter(.base(.w), name: "c")
        let x = fb.declareVariable(.w, name: "x")
        let y = fb.declareVariable(.w, name: "y")
        fb.write(x, fb.integer(0))
        fb.write(y, c)
        // 20000 diamonds; x changes on one side of each, y never.
        for _ in 0..<20000 {
            let t = fb.createBlock(), j = fb.createBlock()
            fb.branch(c, t, j)
            fb.sealBlock(t)
            fb.switchTo(t)
            fb.write(x, fb.emit(.add, .w, fb.read(x), fb.integer(1)))
            fb.jump(j)
            fb.sealBlock(j)
            fb.switchTo(j)
        }
        // Read y only at the end: the lookup walks through all 20000 merges.
        fb.ret(fb.emit(.add, .w, fb.read(x), fb.read(y)))
        let f = try fb.finish()
        #expect(f.blocks.reduce(0) { $0 + $1.phis.count } == 20000, "one phi per merge, for x only")
        #expect(evaluate(f, arguments: [1], fuel: 100_000) == 20001)
        #expect(evaluate(f, arguments: [0], fuel: 100_000) == 0)
    }
}
