import KeelTestSupport
import Testing
@testable import KeelIR

/// Checks the structure the builder produces: where phis are, what flows into them.
@Suite struct FunctionBuilderTests {
    private func makeBuilder(_ returnType: ABIType? = .base(.w)) -> FunctionBuilder {
        var m = Module()
        return FunctionBuilder(name: "f", returnType: returnType, in: &m)
    }

    private func incoming(_ phi: Phi) -> [BlockID: Ref] {
        Dictionary(uniqueKeysWithValues: phi.incoming.map { ($0.block, $0.value) })
    }

    private func returned(_ f: Function, _ b: BlockID) -> Ref? {
        if case .ret(let r) = f[b].terminator { return r }
        return nil
    }

    @Test func straightLine() throws {
        var fb = makeBuilder()
        let x = fb.declareVariable(.w, name: "x")
        fb.write(x, fb.integer(1))
        let sum = fb.emit(.add, .w, fb.read(x), fb.integer(2))
        fb.write(x, sum)
        let doubled = fb.emit(.mul, .w, fb.read(x), fb.read(x))
        fb.ret(fb.read(x))
        let f = try fb.finish()
        #expect(f.blocks.count == 1)
        #expect(f[Function.entry].phis.isEmpty)
        #expect(returned(f, Function.entry) == sum)
        #expect(f[Function.entry].instructions[1].a == sum)
        #expect(f[Function.entry].instructions[1].b == sum)
        #expect(f[Function.entry].instructions[1].result == doubled)
        #expect(f.constant(f[Function.entry].instructions[0].b) == .integer(2))
    }

    @Test func ifElseMergePlacesPhi() throws {
        var fb = makeBuilder()
        let c = fb.addParameter(.base(.w), name: "c")
        let y = fb.declareVariable(.w, name: "y")
        let other = fb.declareVariable(.w, name: "z")
        fb.write(other, c)
        let t = fb.createBlock("ift"), e = fb.createBlock("iff"), j = fb.createBlock("join")
        fb.branch(c, t, e)
        fb.sealBlock(t); fb.sealBlock(e)
        fb.switchTo(t); fb.write(y, fb.integer(1)); fb.jump(j)
        fb.switchTo(e); fb.write(y, fb.integer(2)); fb.jump(j)
        fb.sealBlock(j)
        fb.switchTo(j)
        let sum = fb.emit(.add, .w, fb.read(y), fb.read(other))
        fb.ret(sum)
        let f = try fb.finish()
        #expect(f[j].phis.count == 1, "only y differs between the branches")
        let phi = try #require(f[j].phis.first)
        #expect(phi.type == .w)
        #expect(incoming(phi) == [t: fb.integer(1), e: fb.integer(2)])
        #expect(f[j].instructions[0].a == .temp(phi.result))
        #expect(f[j].instructions[0].b == c, "z is the same on both paths: no phi")
        #expect(f.temps[phi.result.int].name == "y")
    }

    @Test func coldBlocksAreLaidOutLastWithEdgesAndPhisRenumbered() throws {
        var fb = makeBuilder()
        let c = fb.addParameter(.base(.w), name: "c")
        let y = fb.declareVariable(.w, name: "y")
        let slow = fb.createBlock("slow"), fast = fb.createBlock("fast"), j = fb.createBlock("join")
        fb.markCold(slow)
        fb.markCold(fb.entry)  // ignored: the entry stays first
        fb.branch(c, fast, slow)
        fb.sealBlock(slow); fb.sealBlock(fast)
        fb.switchTo(slow); fb.write(y, fb.integer(1)); fb.jump(j)
        fb.switchTo(fast); fb.write(y, fb.integer(2)); fb.jump(j)
        fb.sealBlock(j)
        fb.switchTo(j)
        fb.ret(fb.read(y))
        let f = try fb.finish()
        #expect(f.blocks.map(\.label) == ["start", "fast", "join", "slow"])
        #expect(f[Function.entry].terminator == .jnz(c, BlockID(1), BlockID(3)))
        #expect(f[BlockID(3)].terminator == .jmp(BlockID(2)))
        let phi = try #require(f[BlockID(2)].phis.first)
        #expect(incoming(phi) == [BlockID(1): fb.integer(2), BlockID(3): fb.integer(1)])
    }

    @Test func blocksAreLaidOutInTheOrderTheirCodeIsEmitted() throws {
        // An if inside the then-branch: its blocks are created after the
        // outer else and join, but laid out right after the then-branch.
        var fb = makeBuilder()
        fb.layoutFollowsEmission = true
        let c = fb.addParameter(.base(.w), name: "c")
        let t = fb.createBlock("then"), e = fb.createBlock("else"), j = fb.createBlock("join")
        fb.branch(c, t, e)
        fb.sealBlock(t); fb.sealBlock(e)
        fb.switchTo(t)
        let inner = fb.createBlock("inner")
        fb.jump(inner)
        fb.sealBlock(inner)
        fb.switchTo(inner)
        fb.jump(j)
        fb.switchTo(e)
        fb.jump(j)
        fb.sealBlock(j)
        fb.switchTo(j)
        fb.ret(c)
        let f = try fb.finish()
        #expect(f.blocks.map(\.label) == ["start", "then", "inner", "else", "join"])
        #expect(f[Function.entry].terminator == .jnz(c, BlockID(1), BlockID(3)))
        #expect(f[BlockID(1)].terminator == .jmp(BlockID(2)))
        #expect(f[BlockID(2)].terminator == .jmp(BlockID(4)) && f[BlockID(3)].terminator == .jmp(BlockID(4)))
    }

    @Test func ifWithoutElseMergesOldAndNewValue() throws {
        var fb = makeBuilder()
        let c = fb.addParameter(.base(.w), name: "c")
        let x = fb.declareVariable(.w, name: "x")
        fb.write(x, c)
        let t = fb.createBlock(), j = fb.createBlock()
        fb.branch(c, t, j)
        fb.sealBlock(t)
        fb.switchTo(t)
        let neg = fb.emit(.neg, .w, fb.read(x))
        fb.write(x, neg)
        fb.jump(j)
        fb.sealBlock(j)
        fb.switchTo(j)
        fb.ret(fb.read(x))
        let f = try fb.finish()
        let phi = try #require(f[j].phis.first)
        #expect(f[j].phis.count == 1)
        #expect(incoming(phi) == [Function.entry: c, t: neg])
        #expect(returned(f, j) == .temp(phi.result))
    }

    /// i = 0; while (i < n) i = i + 1; return i  — n never changes.
    @Test func loopPhiAtHeaderSealedAfterBackEdge() throws {
        var fb = makeBuilder()
        let n = fb.addParameter(.base(.w), name: "n")
        let i = fb.declareVariable(.w, name: "i")
        let nv = fb.declareVariable(.w, name: "n")
        fb.write(nv, n)
        fb.write(i, fb.integer(0))
        let header = fb.createBlock("header"), body = fb.createBlock("body"), exit = fb.createBlock("exit")
        fb.jump(header)
        fb.switchTo(header)
        let cond = fb.emit(.csltw, .w, fb.read(i), fb.read(nv))
        fb.branch(cond, body, exit)
        fb.sealBlock(body); fb.sealBlock(exit)
        fb.switchTo(body)
        let next = fb.emit(.add, .w, fb.read(i), fb.integer(1))
        fb.write(i, next)
        fb.jump(header)
        fb.sealBlock(header)
        fb.switchTo(exit)
        fb.ret(fb.read(i))
        let f = try fb.finish()
        #expect(f[header].phis.count == 1, "n is loop-invariant: its incomplete phi is trivial and removed")
        let phi = try #require(f[header].phis.first)
        #expect(incoming(phi) == [Function.entry: fb.integer(0), body: next])
        #expect(f[header].instructions[0].a == .temp(phi.result))
        #expect(f[header].instructions[0].b == n, "the removed phi's use was replaced by the parameter")
        #expect(f[body].instructions[0].a == .temp(phi.result))
        #expect(returned(f, exit) == .temp(phi.result))
        #expect(f[body].phis.isEmpty && f[exit].phis.isEmpty)
    }

    /// for i in 0..<n { for j in 0..<n { s += j } }; return s
    @Test func nestedLoops() throws {
        var fb = makeBuilder()
        let n = fb.addParameter(.base(.w), name: "n")
        let i = fb.declareVariable(.w, name: "i")
        let j = fb.declareVariable(.w, name: "j")
        let s = fb.declareVariable(.w, name: "s")
        let zero = fb.integer(0), one = fb.integer(1)
        fb.write(i, zero); fb.write(s, zero)
        let oh = fb.createBlock("outer"), ob = fb.createBlock("obody"), ih = fb.createBlock("inner")
        let ib = fb.createBlock("ibody"), ol = fb.createBlock("olatch"), exit = fb.createBlock("exit")
        fb.jump(oh)
        fb.switchTo(oh)
        fb.branch(fb.emit(.csltw, .w, fb.read(i), n), ob, exit)
        fb.sealBlock(ob); fb.sealBlock(exit)
        fb.switchTo(ob)
        fb.write(j, zero)
        fb.jump(ih)
        fb.switchTo(ih)
        fb.branch(fb.emit(.csltw, .w, fb.read(j), n), ib, ol)
        fb.sealBlock(ib); fb.sealBlock(ol)
        fb.switchTo(ib)
        let s2 = fb.emit(.add, .w, fb.read(s), fb.read(j))
        fb.write(s, s2)
        let j2 = fb.emit(.add, .w, fb.read(j), one)
        fb.write(j, j2)
        fb.jump(ih)
        fb.sealBlock(ih)
        fb.switchTo(ol)
        let i2 = fb.emit(.add, .w, fb.read(i), one)
        fb.write(i, i2)
        fb.jump(oh)
        fb.sealBlock(oh)
        fb.switchTo(exit)
        fb.ret(fb.read(s))
        let f = try fb.finish()

        func phi(_ b: BlockID, named name: String) throws -> Phi {
            try #require(f[b].phis.first { f.temps[$0.result.int].name.hasPrefix(name) })
        }
        // Outer header: i and s (j is dead there: never read before written).
        #expect(f[oh].phis.count == 2)
        // Inner header: j and s; i is not modified by the inner loop.
        #expect(f[ih].phis.count == 2)
        let iOuter = try phi(oh, named: "i"), sOuter = try phi(oh, named: "s")
        let jInner = try phi(ih, named: "j"), sInner = try phi(ih, named: "s")
        #expect(incoming(iOuter) == [Function.entry: zero, ol: i2])
        #expect(incoming(sOuter) == [Function.entry: zero, ol: .temp(sInner.result)])
        #expect(incoming(jInner) == [ob: zero, ib: j2])
        #expect(incoming(sInner) == [ob: .temp(sOuter.result), ib: s2])
        #expect(f[ol].instructions[0].a == .temp(iOuter.result))
        #expect(returned(f, exit) == .temp(sOuter.result))
        for b in f.blocks.indices where ![oh.int, ih.int].contains(b) { #expect(f.blocks[b].phis.isEmpty) }
    }

    /// A variable only read inside a loop body with several back edges gets no phi,
    /// even when the trivial phis form a chain (header phi feeding an inner merge phi).
    @Test func trivialPhiChainsAreRemoved() throws {
        var fb = makeBuilder()
        let p = fb.addParameter(.base(.w), name: "p")
        let x = fb.declareVariable(.w, name: "x")
        fb.write(x, p)
        let h = fb.createBlock("h"), a = fb.createBlock("a"), b = fb.createBlock("b")
        let m = fb.createBlock("m"), exit = fb.createBlock("exit")
        fb.jump(h)
        fb.switchTo(h)
        let hv = fb.read(x)                     // incomplete phi: header not sealed
        fb.branch(hv, a, exit)
        fb.sealBlock(a)
        fb.switchTo(a)
        fb.branch(p, b, m)
        fb.sealBlock(b)
        fb.switchTo(b); fb.jump(m)
        fb.sealBlock(m)
        fb.switchTo(m)
        let mv = fb.read(x)
        fb.branch(mv, h, exit)
        fb.sealBlock(h); fb.sealBlock(exit)
        fb.switchTo(exit)
        fb.ret(fb.read(x))
        let f = try fb.finish()
        #expect(f.blocks.allSatisfy { $0.phis.isEmpty })
        #expect(f[h].terminator == .jnz(p, a, exit))
        #expect(f[m].terminator == .jnz(p, h, exit))
        #expect(returned(f, exit) == p)
    }

    /// entry -> A or B; A <-> B (two entries into the cycle); x modified in A.
    @Test func irreducibleCFG() throws {
        var fb = makeBuilder()
        let c = fb.addParameter(.base(.w), name: "c")
        let x = fb.declareVariable(.w, name: "x")
        fb.write(x, fb.integer(10))
        let a = fb.createBlock("A"), b = fb.createBlock("B"), exit = fb.createBlock("exit")
        fb.branch(c, a, b)
        fb.switchTo(a)
        let dec = fb.emit(.sub, .w, fb.read(x), fb.integer(1))
        fb.write(x, dec)
        fb.branch(dec, b, exit)
        fb.switchTo(b)
        let bx = fb.read(x)
        fb.branch(bx, a, exit)
        fb.sealBlock(a); fb.sealBlock(b); fb.sealBlock(exit)
        fb.switchTo(exit)
        fb.ret(fb.read(x))
        let f = try fb.finish()
        let pa = try #require(f[a].phis.first), pb = try #require(f[b].phis.first)
        #expect(f[a].phis.count == 1 && f[b].phis.count == 1)
        #expect(incoming(pa) == [Function.entry: fb.integer(10), b: .temp(pb.result)])
        #expect(incoming(pb) == [Function.entry: fb.integer(10), a: dec])
        #expect(f[a].instructions[0].a == .temp(pa.result))
        let pe = try #require(f[exit].phis.first)
        #expect(incoming(pe) == [a: dec, b: .temp(pb.result)])
    }

    /// A loop around an irreducible cycle A <-> B; x changes only in the latch.
    /// The phis of A, B and the latch form a cycle with one value from outside
    /// (the header's phi): removed by the SCC pass (Braun et al. 3.2).
    @Test func redundantPhiCycleOfIrreducibleCFGIsRemoved() throws {
        var fb = makeBuilder()
        let c = fb.addParameter(.base(.w), name: "c")
        let x = fb.declareVariable(.w, name: "x")
        fb.write(x, fb.integer(0))
        let h = fb.createBlock("H"), a = fb.createBlock("A"), b = fb.createBlock("B")
        let l = fb.createBlock("L"), exit = fb.createBlock("exit")
        fb.jump(h)
        fb.switchTo(h); fb.branch(fb.read(x), a, b)
        fb.switchTo(a); fb.branch(fb.read(x), b, l)
        fb.switchTo(b); fb.branch(c, a, l)
        fb.switchTo(l)
        let inc = fb.emit(.add, .w, fb.read(x), fb.integer(1))
        fb.write(x, inc)
        fb.branch(inc, h, exit)
        for blk in [h, a, b, l, exit] { fb.sealBlock(blk) }
        fb.switchTo(exit)
        fb.ret(fb.read(x))
        let f = try fb.finish()
        let ph = try #require(f[h].phis.first)
        #expect(f.blocks.map(\.phis.count) == [0, 1, 0, 0, 0, 0], "\(dump(f))")
        #expect(incoming(ph) == [Function.entry: fb.integer(0), l: inc])
        #expect(f[h].terminator == .jnz(.temp(ph.result), a, b))
        #expect(f[a].terminator == .jnz(.temp(ph.result), b, l))
        #expect(f[l].instructions[0].a == .temp(ph.result))
        #expect(returned(f, exit) == inc)
    }

    /// A component with two values from outside (0 and 1 into P) whose inner
    /// cycle A <-> B sees only P: the inner cycle goes, P stays.
    @Test func innerRedundantCycleInsideNecessaryComponent() throws {
        var fb = makeBuilder()
        let c = fb.addParameter(.base(.w), name: "c")
        let x = fb.declareVariable(.w, name: "x")
        fb.write(x, fb.integer(0))
        let p = fb.createBlock("P"), q = fb.createBlock("Q"), a = fb.createBlock("A")
        let b = fb.createBlock("B"), exit = fb.createBlock("exit")
        fb.branch(c, p, q)
        fb.switchTo(q); fb.write(x, fb.integer(1)); fb.jump(p)
        fb.switchTo(p); fb.branch(c, a, b)
        fb.switchTo(a); fb.branch(fb.read(x), b, exit)
        fb.switchTo(b); fb.branch(fb.read(x), a, p)
        for blk in [p, q, a, b, exit] { fb.sealBlock(blk) }
        fb.switchTo(exit)
        fb.ret(fb.read(x))
        let f = try fb.finish()
        let pp = try #require(f[p].phis.first)
        #expect(f.blocks.map(\.phis.count) == [0, 1, 0, 0, 0, 0], "\(dump(f))")
        #expect(incoming(pp) == [Function.entry: fb.integer(0), q: fb.integer(1), b: .temp(pp.result)])
        #expect(f[a].terminator == .jnz(.temp(pp.result), b, exit))
        #expect(returned(f, exit) == .temp(pp.result))
    }

    /// The example of FunctionBuilder's doc comment, verbatim.
    @Test func docCommentExample() throws {
        var module = Module()
        var b = FunctionBuilder(name: "count", returnType: .base(.w), in: &module)
        let n = b.addParameter(.base(.w), name: "n")
        let i = b.declareVariable(.w, name: "i")
        b.write(i, b.integer(0))
        let head = b.createBlock("head"), body = b.createBlock("body"), done = b.createBlock("done")
        b.jump(head)
        b.switchTo(head)                       // not sealed: the back edge is still to come
        b.branch(b.emit(.csltw, .w, b.read(i), n), body, done)
        b.sealBlock(body); b.sealBlock(done)
        b.switchTo(body)
        b.write(i, b.emit(.add, .w, b.read(i), b.integer(1)))
        b.jump(head)
        b.sealBlock(head)                      // fills head's phi for i
        b.switchTo(done)
        b.ret(b.read(i))
        module.addFunction(try b.finish())
        let f = module.functions[0]
        #expect(f[head].phis.count == 1)
        #expect(evaluate(f, arguments: [5]) == 5 && evaluate(f, arguments: [-2]) == 0)
        #expect(ILPrinter.print(module).contains("%i =w phi @start 0, @body"))
    }

    /// Builder output (unnamed temporaries are `%.N`) prints as IL that reads back.
    @Test func printedOutputReadsBack() throws {
        var module = Module()
        var g = SplitMix64(seed: 99)
        for k in 0..<20 {
            let p = RandomProgram.make(&g, maxBlocks: 8, initialize: true, writtenPhis: false)
            var f = try p.built(eagerSealing: k % 2 == 0)
            f.name = module.symbols.intern("r\(k)")
            module.addFunction(f)
        }
        let printed = ILPrinter.print(module)
        let again = try Module(parsing: printed, fileName: "built.ssa")
        #expect(ILPrinter.print(again) == printed)
        #expect(printed.contains("%.") && printed.contains(" phi "))
    }

    @Test func undefinedReadIsReported() {
        var fb = makeBuilder()
        let c = fb.addParameter(.base(.w), name: "c")
        let y = fb.declareVariable(.w, name: "y")
        let t = fb.createBlock("then"), j = fb.createBlock("join")
        fb.branch(c, t, j)
        fb.sealBlock(t)
        fb.switchTo(t); fb.write(y, fb.integer(1)); fb.jump(j)
        fb.sealBlock(j)
        fb.switchTo(j)
        fb.ret(fb.read(y))
        #expect(throws: DiagnosticList.self) { try fb.finish() }
        do {
            _ = try fb.finish()
        } catch {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics[0].message.contains("'y'"))
            #expect(error.diagnostics[0].message.contains("@join"))
        }
    }

    @Test func readInUnreachableBlockIsNotAnError() throws {
        var fb = makeBuilder()
        let x = fb.declareVariable(.w, name: "x")
        fb.write(x, fb.integer(5))
        fb.ret(fb.read(x))
        let dead = fb.createBlock("dead")
        fb.sealBlock(dead)
        fb.switchTo(dead)
        fb.ret(fb.read(x))
        let f = try fb.finish()
        #expect(f.constant(returned(f, dead) ?? .none) == .integer(0))
        #expect(returned(f, Function.entry) == fb.integer(5))
    }

    @Test func structuralErrorsAreAllReported() {
        var fb = makeBuilder()
        let a = fb.createBlock("a"), b = fb.createBlock("b")
        fb.jump(a)
        fb.emit(.add, .w, fb.integer(1), fb.integer(2))   // after the terminator
        fb.switchTo(a)
        fb.sealBlock(a)
        fb.jump(fb.entry)                                   // to the entry
        fb.jump(b)
        _ = b
        do {
            _ = try fb.finish()
            Issue.record("finish should fail")
        } catch {
            let messages = error.diagnostics.map(\.message)
            #expect(messages.contains { $0.contains("after the terminator of @start") })
            #expect(messages.contains { $0.contains("to the entry block") })
            #expect(messages.contains { $0.contains("@b has no terminator") })
            #expect(messages.contains { $0.contains("@b is never sealed") })
            #expect(messages.count == 4)
        }
    }

    @Test func jumpToSealedBlockIsReported() {
        var fb = makeBuilder()
        let a = fb.createBlock("a")
        fb.sealBlock(a)
        fb.jump(a)
        fb.switchTo(a)
        fb.ret(fb.integer(0))
        do {
            _ = try fb.finish()
            Issue.record("finish should fail")
        } catch {
            #expect(error.diagnostics.map(\.message).contains { $0.contains("already sealed") })
        }
    }

    @Test func namesStayUnique() throws {
        var m = Module()
        var fb = FunctionBuilder(name: "g", returnType: nil, in: &m)
        let p1 = fb.addParameter(.base(.l), name: "x")
        let p2 = fb.addParameter(.base(.l), name: "x")
        let p3 = fb.addParameter(.base(.l), name: ".7")
        let s = fb.emit(.add, .l, p1, p2)
        let b1 = fb.createBlock("start"), b2 = fb.createBlock()
        fb.jump(b1); fb.sealBlock(b1); fb.switchTo(b1); fb.jump(b2); fb.sealBlock(b2)
        fb.switchTo(b2)
        _ = fb.call(fb.constant(.symbol(m.symbols.intern("h"), offset: 0, access: .direct)),
                    returnType: nil, arguments: [CallArgument(type: .base(.l), value: s)])
        fb.storeAndReturn(p3)
        let f = try fb.finish()
        let names = f.temps.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names[p1.temp!.int] == "x" && names[p2.temp!.int] == "x.1")
        #expect(names[p3.temp!.int] != ".7")
        let labels = f.blocks.map(\.label)
        #expect(Set(labels).count == labels.count)
        #expect(f.calls.count == 1 && f.calls[0].arguments[0].value == s)
    }
}

private extension FunctionBuilder {
    mutating func storeAndReturn(_ addr: Ref) {
        emit(.storel, .l, integer(1), addr)
        ret()
    }
}
