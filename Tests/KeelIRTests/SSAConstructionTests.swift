import Testing
@testable import KeelIR

@Suite struct SSAConstructionTests {
    private func name(_ f: Function, _ r: Ref) -> String? { r.temp.map { f.temps[$0.int].name } }

    private func incoming(_ f: Function, _ phi: Phi) -> [String: String] {
        var m: [String: String] = [:]
        for a in phi.incoming {
            m[f.blocks[a.block.int].label] = name(f, a.value) ?? f.constant(a.value).map { "\($0)" } ?? "none"
        }
        return m
    }

    /// The non-SSA loop of il.txt's Phi section.
    @Test func ilReferenceLoopExample() throws {
        var r = RawFunction()
        r.ins("start", "x", .w, .copy, r.int(100))
        r.ins("start", "s", .w, .copy, r.int(0))
        r.jmp("start", "loop")
        r.ins("loop", "s", .w, .add, r.temp("s"), r.temp("x"))
        r.ins("loop", "x", .w, .sub, r.temp("x"), r.int(1))
        r.jnz("loop", r.temp("x"), "loop", "end")
        r.ret("end", r.temp("s"))
        var f = r.f
        let before = f
        #expect(constructSSA(&f).isEmpty)
        #expect(strictSSAProblems(f).isEmpty, "\(strictSSAProblems(f))\n\(dump(f))")
        let loop = f.blocks[1]
        #expect(loop.phis.count == 2)
        let phiS = try #require(loop.phis.first { name(f, .temp($0.result))!.hasPrefix("s.") })
        let phiX = try #require(loop.phis.first { name(f, .temp($0.result))!.hasPrefix("x.") })
        let add = loop.instructions[0], sub = loop.instructions[1]
        #expect(add.a == .temp(phiS.result) && add.b == .temp(phiX.result))
        #expect(sub.a == .temp(phiX.result))
        #expect(incoming(f, phiS) == ["start": "s", "loop": name(f, add.result)!])
        #expect(incoming(f, phiX) == ["start": "x", "loop": name(f, sub.result)!])
        #expect(loop.terminator == .jnz(sub.result, BlockID(1), BlockID(2)))
        #expect(f.blocks[2].terminator == .ret(add.result))
        // The first definitions keep their temporaries; new names derive from the old.
        #expect(f.blocks[0].instructions[0].result == before.blocks[0].instructions[0].result)
        #expect(name(f, add.result)!.hasPrefix("s.") && name(f, sub.result)!.hasPrefix("x."))
        #expect(evaluate(f, arguments: []) == 5050)
        #expect(evaluate(before, arguments: []) == 5050)
    }

    @Test func ifElseAssignmentsMergeInPhi() throws {
        var r = RawFunction(parameters: ["c"])
        r.jnz("start", r.temp("c"), "ift", "iff")
        r.ins("ift", "y", .w, .copy, r.int(1))
        r.jmp("ift", "ret")
        r.ins("iff", "y", .w, .copy, r.int(2))
        r.jmp("iff", "ret")
        r.ret("ret", r.temp("y"))
        var f = r.f
        #expect(constructSSA(&f).isEmpty)
        #expect(strictSSAProblems(f).isEmpty)
        let phi = try #require(f.blocks[3].phis.first)
        #expect(f.blocks[3].phis.count == 1)
        #expect(incoming(f, phi) == ["ift": "y", "iff": "y.1"])
        #expect(f.blocks[3].terminator == .ret(.temp(phi.result)))
        #expect(evaluate(f, arguments: [1]) == 1 && evaluate(f, arguments: [0]) == 2)
    }

    @Test func reassignedParameterKeepsItsTemporary() {
        var r = RawFunction(parameters: ["a"])
        r.ins("start", "a", .w, .add, r.temp("a"), r.int(1))
        r.ins("start", "a", .w, .mul, r.temp("a"), r.temp("a"))
        r.ret("start", r.temp("a"))
        var f = r.f
        let param = f.parameters[0].temp
        #expect(constructSSA(&f).isEmpty)
        #expect(strictSSAProblems(f).isEmpty)
        let ins = f.blocks[0].instructions
        #expect(ins[0].a == .temp(param))
        #expect(ins[1].a == ins[0].result && ins[1].b == ins[0].result)
        #expect(f.blocks[0].terminator == .ret(ins[1].result))
        #expect(ins[0].result != .temp(param) && ins[1].result != ins[0].result)
        #expect(f.blocks[0].phis.isEmpty)
        #expect(evaluate(f, arguments: [4]) == 25)
    }

    /// A path on which the temporary is never assigned reads 0.
    @Test func undefinedPathReadsZero() throws {
        var r = RawFunction(parameters: ["c"])
        r.jnz("start", r.temp("c"), "then", "join")
        r.ins("then", "y", .w, .copy, r.int(1))
        r.ins("then", "y", .w, .add, r.temp("y"), r.int(6))
        r.jmp("then", "join")
        r.ret("join", r.temp("y"))
        var f = r.f
        #expect(constructSSA(&f).isEmpty)
        #expect(strictSSAProblems(f).isEmpty)
        let phi = try #require(f.blocks[2].phis.first)
        #expect(f.constant(try #require(phi.value(from: Function.entry))) == .integer(0))
        #expect(phi.value(from: BlockID(1)) == f.blocks[1].instructions[1].result)
        #expect(evaluate(f, arguments: [1]) == 7 && evaluate(f, arguments: [0]) == 0)
    }

    /// A phi written in the input whose operand is a reassigned temporary reads
    /// that temporary's value at the end of the predecessor.
    @Test func writtenPhiOperandsAreRenamed() throws {
        var r = RawFunction(parameters: ["n"])
        r.ins("start", "i", .w, .copy, r.int(0))
        r.jmp("start", "loop")
        r.phi("loop", "k", .w, [("start", r.int(5)), ("loop", r.temp("i"))])
        r.ins("loop", "i", .w, .add, r.temp("i"), r.int(1))
        r.ins("loop", "c", .w, .csltw, r.temp("i"), r.temp("n"))
        r.jnz("loop", r.temp("c"), "loop", "end")
        r.ret("end", r.temp("k"))
        var f = r.f
        let before = f
        #expect(constructSSA(&f).isEmpty)
        #expect(strictSSAProblems(f).isEmpty, "\(dump(f))")
        let loop = f.blocks[1]
        let k = try #require(loop.phis.first { name(f, .temp($0.result)) == "k" })
        #expect(k.value(from: BlockID(1)) == loop.instructions[0].result)
        #expect(loop.phis.count == 2, "k, and the phi for i")
        for n: Int64 in [0, 1, 3, 10] { #expect(evaluate(f, arguments: [n]) == evaluate(before, arguments: [n])) }
        #expect(evaluate(f, arguments: [3]) == 2)
    }

    @Test func callOperandsAreRenamed() {
        var r = RawFunction()
        r.ins("start", "x", .l, .copy, r.int(1))
        let callee = r.f.addConstant(.symbol(SymbolID(0), offset: 0, access: .direct))
        r.ins("start", "x", .l, .add, r.temp("x"), r.int(2))
        let site = r.f.addCall(CallSite(returnType: nil, env: r.temp("x"),
                                        arguments: [CallArgument(type: .base(.l), value: r.temp("x"))]))
        r.f.blocks[0].instructions.append(Instruction(op: .call, type: .w, a: callee, extra: site.index))
        r.ret("start")
        var f = r.f
        #expect(constructSSA(&f).isEmpty)
        let add = f.blocks[0].instructions[1].result
        #expect(f.calls[0].env == add && f.calls[0].arguments[0].value == add)
        #expect(strictSSAProblems(f).isEmpty)
    }

    @Test func functionsInSSAFormAreUnchanged() {
        var r = RawFunction(parameters: ["a"])
        r.ins("start", "b", .w, .add, r.temp("a"), r.int(1))
        r.jnz("start", r.temp("b"), "x", "y")
        r.ret("x", r.temp("b"))
        r.ins("y", "u", .w, .copy, r.temp("zzz"))     // used undefined: the verifier's business
        r.ret("y", r.temp("u"))
        var f = r.f
        #expect(constructSSA(&f).isEmpty)
        #expect(f == r.f)
    }

    @Test func freshNamesAvoidExistingOnes() {
        var r = RawFunction()
        r.ins("start", "x.1", .w, .copy, r.int(7))
        r.ins("start", "x", .w, .copy, r.int(1))
        r.ins("start", "x", .w, .add, r.temp("x"), r.temp("x.1"))
        r.ret("start", r.temp("x"))
        var f = r.f
        #expect(constructSSA(&f).isEmpty)
        let names = f.temps.map(\.name)
        #expect(Set(names).count == names.count, "\(names)")
        #expect(names.contains("x.2"))
        #expect(strictSSAProblems(f).isEmpty)
        #expect(evaluate(f, arguments: []) == 8)
    }

    /// Renaming given temporaries of an SSA function (slot promotion's use):
    /// one defined once, in a loop after a use, gets a phi reading 0 on entry;
    /// new names avoid existing `base.N` names, `.N` names included.
    @Test func renamingGivenTemporariesOfAnSSAFunction() {
        var r = RawFunction(parameters: ["n"])
        r.ins("start", ".5.1", .w, .copy, r.int(3))
        r.jmp("start", "loop")
        r.ins("loop", "i", .w, .copy, r.temp(".5"))       // reads the previous iteration's value
        r.ins("loop", ".5", .w, .add, r.temp("i"), r.temp(".5.1"))
        r.ins("loop", "c", .w, .csltw, r.temp(".5"), r.temp("n"))
        r.jnz("loop", r.temp("c"), "loop", "end")
        r.ret("end", r.temp("i"))
        var f = r.f
        let variable = Temp(f.temps.firstIndex { $0.name == ".5" }!)
        #expect(constructSSA(&f).isEmpty)
        #expect(f == r.f)  // defined once: plain construction leaves it alone
        #expect(constructSSA(&f, renaming: [variable]).isEmpty)
        #expect(strictSSAProblems(f).isEmpty, "\(strictSSAProblems(f))\n\(dump(f))")
        let names = f.temps.map(\.name)
        #expect(Set(names).count == names.count, "\(names)")
        let loop = f.blocks[1]
        #expect(loop.phis.count == 1)
        #expect(loop.phis.first.map { incoming(f, $0) } == ["start": "integer(0)", "loop": ".5"])
        #expect(evaluate(f, arguments: [10]) == 9)
    }

    @Test func unreachableBlocksAreHandled() {
        var r = RawFunction()
        r.ins("start", "x", .w, .copy, r.int(1))
        r.ret("start", r.temp("x"))
        // @dead loops on itself and jumps into nothing reachable; @dead2 has no predecessor.
        r.ins("dead", "x", .w, .add, r.temp("x"), r.int(1))
        r.jnz("dead", r.temp("x"), "dead", "dead2")
        r.ins("dead2", "y", .w, .add, r.temp("x"), r.temp("x"))
        r.ret("dead2", r.temp("y"))
        r.ins("orphan", "x", .w, .copy, r.temp("x"))
        r.jmp("orphan", "orphan2")
        r.jmp("orphan2", "orphan3")
        r.jmp("orphan3", "orphan2")
        var f = r.f
        #expect(constructSSA(&f).isEmpty)
        var seen = Set<Temp>()
        for b in f.blocks { for i in b.instructions { if let t = i.result.temp { #expect(seen.insert(t).inserted) } } }
        for b in f.blocks { for p in b.phis { #expect(seen.insert(p.result).inserted) } }
        #expect(f.blocks[0].terminator == .ret(f.blocks[0].instructions[0].result))
        #expect(strictSSAProblems(f).isEmpty)
    }

    @Test func conflictingClassesAreReportedNotFatal() {
        var r = RawFunction()
        r.ins("start", "x", .w, .copy, r.int(1))
        r.ins("start", "x", .d, .copy, r.int(2))
        r.ret("start", r.temp("x"))
        var f = r.f
        let diagnostics = constructSSA(&f, fileName: "t.ssa")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("%x") == true)
        #expect(diagnostics.first?.description.hasPrefix("t.ssa:") == true)
        #expect(f.temps[f.blocks[0].instructions[1].result.temp!.int].type == .d)
    }

    @Test func wordAndLongMergeButNotWithFloats() {
        var r = RawFunction()
        r.ins("start", "x", .w, .copy, r.int(1))
        r.ins("start", "x", .l, .copy, r.int(2))
        r.ins("start", "x", .s, .copy, r.int(3))
        r.ret("start", r.temp("x"))
        var f = r.f
        let diagnostics = constructSSA(&f, fileName: "t.ssa")
        #expect(diagnostics.map(\.message) == ["temporary %x is defined with class w and with class s"])
    }

    @Test func jumpToEntryIsReportedNotFatal() {
        var r = RawFunction()
        r.ins("start", "x", .w, .copy, r.int(1))
        r.ins("start", "x", .w, .copy, r.int(2))
        r.jmp("start", "start")
        var f = r.f
        let diagnostics = constructSSA(&f)
        #expect(diagnostics.map(\.message).contains { $0.contains("entry") })
    }

    @Test func moduleVersionUsesFileNames() {
        var m = Module()
        m.files = ["a.ssa"]
        var r = RawFunction()
        r.ins("start", "x", .w, .copy, r.int(1))
        r.ins("start", "x", .d, .copy, r.int(2))
        r.ret("start")
        m.addFunction(r.f)
        let d = constructSSA(&m)
        #expect(d.count == 1 && d[0].file == "a.ssa")
        #expect(strictSSAProblems(m.functions[0]).isEmpty)
    }
}
