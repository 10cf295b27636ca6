import Testing
import KeelCodegen

/// Allocates `f` and checks the allocated execution against the reference one.
@discardableResult
func allocateAndCompare(_ f: MachineFunction<ToyOp>, registers: RegisterFile = Toy.registers,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> AllocationResult {
    let a = try allocateRegisters(f, registers: registers)
    let expected = try interpret(f)
    for seed in [1, 2] as [UInt64] {
        let got = try execute(f, a, registers: registers, garbageSeed: seed)
        #expect(got == expected, "\(f.name)", sourceLocation: sourceLocation)
    }
    return a
}

func spillCount(_ a: AllocationResult) -> Int {
    a.edits.filter { if case .stack = $0.to { return true } else { return false } }.count
}

@Suite struct HandBuiltAllocationTests {
    @Test func straightLineWithoutPressureHasNoMoves() throws {
        var f = MachineFunction<ToyOp>(name: "small")
        _ = f.beginBlock()
        let a = f.int(), b = f.int(), c = f.int()
        f.op(.const(3), [.def(a)])
        f.op(.const(4), [.def(b)])
        f.op(.mul, [.def(c), .use(a), .use(b)])
        f.ret(c)
        f.computePredecessors()
        let r = try allocateAndCompare(f)
        #expect(r.edits.isEmpty)  // c is hinted into p0 by the return's fixed use
        #expect(r.spillSlotClasses.isEmpty)
        #expect(r.usedCalleeSaved.isEmpty)
    }

    @Test func pressureForcesSpillsAndReloads() throws {
        var f = MachineFunction<ToyOp>(name: "pressure")
        _ = f.beginBlock()
        var vs: [VReg] = []
        for k in 0..<8 {
            let v = f.int()
            f.op(.const(Int64(k + 1)), [.def(v)])
            vs.append(v)
        }
        var sum = vs[0]
        for v in vs.dropFirst() {
            let s = f.int()
            f.op(.add, [.def(s), .use(sum), .use(v)])
            sum = s
        }
        // Use all eight again, so every one is live across the whole sum.
        for v in vs {
            let s = f.int()
            f.op(.mul, [.def(s), .use(sum), .use(v)])
            sum = s
        }
        f.ret(sum)
        f.computePredecessors()
        let r = try allocateAndCompare(f)
        #expect(spillCount(r) > 0)
        #expect(!r.spillSlotClasses.isEmpty)
        #expect(r.spillSlotClasses.allSatisfy { $0 == .int })
    }

    @Test func callWithFixedArgumentsAndValuesLiveAcross() throws {
        var f = MachineFunction<ToyOp>(name: "call")
        _ = f.beginBlock()
        let x = f.int(), y = f.int()
        f.op(.args, [.def(x, .fixed(Toy.p0)), .def(y, .fixed(Toy.p1))])
        let r1 = f.int()
        f.call(1, [y, x], result: r1)   // swapped argument registers
        let r2 = f.int()
        f.call(2, [r1], result: r2)
        let s = f.int(), t = f.int()
        f.op(.add, [.def(s), .use(x), .use(y)])
        f.op(.add, [.def(t), .use(s), .use(r2)])
        f.ret(t)
        f.computePredecessors()
        let r = try allocateAndCompare(f)
        // x and y live across both calls: they must end up in callee-saved registers.
        #expect(!r.usedCalleeSaved.isEmpty)
        #expect(spillCount(r) == 0)
    }

    @Test func valueNotLiveAcrossCallStaysCallerSaved() throws {
        var f = MachineFunction<ToyOp>(name: "shortlived")
        _ = f.beginBlock()
        let a = f.int(), b = f.int(), c = f.int(), d = f.int()
        f.op(.const(1), [.def(a)])
        f.op(.const(2), [.def(b)])
        f.op(.add, [.def(c), .use(a), .use(b)])
        f.call(0, [c], result: d)
        f.ret(d)
        f.computePredecessors()
        let r = try allocateAndCompare(f)
        #expect(r.usedCalleeSaved.isEmpty)
        #expect(r.edits.isEmpty)
    }

    @Test func reuseDefWhoseInputLivesOn() throws {
        var f = MachineFunction<ToyOp>(name: "reuse")
        _ = f.beginBlock()
        let a = f.int(), b = f.int(), c = f.int(), d = f.int(), e = f.int()
        f.op(.const(10), [.def(a)])
        f.op(.const(20), [.def(b)])
        f.op(.addTwo, [.def(c, .reuse(1)), .use(a), .use(b)])
        f.op(.addTwo, [.def(d, .reuse(1)), .use(c), .use(a)])   // c dies: no copy needed
        f.op(.mul, [.def(e), .use(d), .use(a)])
        f.ret(e)
        f.computePredecessors()
        let r = try allocateAndCompare(f)
        let ops = f.operands
        // Operand 0 of each addTwo shares the register of its operand 1.
        for i in [2, 3] {
            let base = f.instructions[i].operandRange.lowerBound
            #expect(r.operandLocations[base] == r.operandLocations[base + 1])
            _ = ops
        }
    }

    @Test func earlyDefAndLateUseAvoidOtherOperands() throws {
        var f = MachineFunction<ToyOp>(name: "early")
        _ = f.beginBlock()
        let a = f.int(), b = f.int(), d = f.int(), e = f.int(), s = f.int()
        f.op(.const(6), [.def(a)])
        f.op(.const(7), [.def(b)])
        f.op(.earlyLate, [MachineOperand(d, .def, at: .early), .def(e), .use(a), MachineOperand(b, .use, at: .late)])
        f.op(.add, [.def(s), .use(d), .use(e)])
        f.ret(s)
        f.computePredecessors()
        let r = try allocateAndCompare(f)
        let base = f.instructions[2].operandRange.lowerBound
        let locs = r.operandLocations[base..<base + 4]
        #expect(locs[base] != locs[base + 2] && locs[base] != locs[base + 3])  // early def apart from uses
        #expect(locs[base + 1] != locs[base + 3])  // late def apart from late use
    }

    @Test func divisionAndShiftFixedRegisters() throws {
        var f = MachineFunction<ToyOp>(name: "div")
        _ = f.beginBlock()
        let x = f.int(), y = f.int()
        f.op(.args, [.def(x, .fixed(Toy.p0)), .def(y, .fixed(Toy.p1))])
        let q = f.int(), rem = f.int(), sh = f.int(), p = f.int(), t = f.int(), u = f.int()
        f.op(.divmod, [.def(q, .fixed(Toy.p0)), .def(rem, .fixed(Toy.p1)), .use(y, .fixed(Toy.p0)), .use(x)])
        f.op(.shl, [.def(sh), .use(q), .use(x, .fixed(Toy.p1))])
        f.op(.pinned, [.def(p), .use(rem), .use(rem)].enumerated().map { k, o in
            k == 0 ? o : .use(o.vreg, .fixed(k == 1 ? Toy.p2 : Toy.p3)) })
        f.op(.add, [.def(t), .use(sh), .use(p)])
        f.op(.add, [.def(u), .use(t), .use(y)])
        f.ret(u)
        f.computePredecessors()
        try allocateAndCompare(f)
    }

    /// loop: a, b = b, a for n iterations — the swap problem on the back edge.
    @Test func loopSwappingParameters() throws {
        for n in 0...3 {
            var f = MachineFunction<ToyOp>(name: "swap\(n)")
            _ = f.beginBlock()
            let a0 = f.int(), b0 = f.int(), i0 = f.int()
            f.op(.const(1), [.def(a0)])
            f.op(.const(2), [.def(b0)])
            f.op(.const(0), [.def(i0)])
            let header = MBlock(1), body = MBlock(2), exit = MBlock(3)
            f.jmp(header, [a0, b0, i0])
            let a = f.int(), b = f.int(), i = f.int()
            _ = f.beginBlock(params: [a, b, i])
            let lim = f.int(), c = f.int()
            f.op(.const(Int64(n)), [.def(lim)])
            f.op(.cmplt, [.def(c), .use(i), .use(lim)])
            f.br(c, body, exit)
            _ = f.beginBlock()
            let one = f.int(), i1 = f.int()
            f.op(.const(1), [.def(one)])
            f.op(.add, [.def(i1), .use(i), .use(one)])
            f.jmp(header, [b, a, i1])
            _ = f.beginBlock()
            let ten = f.int(), s = f.int(), t = f.int()
            f.op(.const(10), [.def(ten)])
            f.op(.mul, [.def(s), .use(a), .use(ten)])
            f.op(.add, [.def(t), .use(s), .use(b)])
            f.ret(t)
            f.computePredecessors()
            let r = try allocateAndCompare(f)
            #expect(try interpret(f).result == (n % 2 == 0 ? 12 : 21))
            #expect(spillCount(r) == 0)
        }
    }

    /// The lost-copy problem: the header parameter is read after the loop
    /// while the back edge overwrites it with its successor value.
    @Test func lostCopy() throws {
        var f = MachineFunction<ToyOp>(name: "lostcopy")
        _ = f.beginBlock()
        let x0 = f.int()
        f.op(.const(5), [.def(x0)])
        f.jmp(MBlock(1), [x0])
        let x = f.int()
        _ = f.beginBlock(params: [x])
        let y = f.int(), lim = f.int(), c = f.int()
        f.op(.const(3), [.def(lim)])
        f.op(.addTwo, [.def(y, .reuse(1)), .use(x), .use(lim)])  // y = x + 3, x still live
        let ten = f.int()
        f.op(.const(20), [.def(ten)])
        f.op(.cmplt, [.def(c), .use(y), .use(ten)])
        f.br(c, MBlock(2), MBlock(3))
        _ = f.beginBlock()
        f.jmp(MBlock(1), [y])
        _ = f.beginBlock()
        f.ret(x)  // x, not y: the value of the last iteration's parameter
        f.computePredecessors()
        try allocateAndCompare(f)
        #expect(try interpret(f).result == 17)
    }

    @Test func diamondWithParametersAndValuesLiveAcrossTheMerge() throws {
        var f = MachineFunction<ToyOp>(name: "diamond")
        _ = f.beginBlock()
        let x = f.int(), y = f.int()
        f.op(.args, [.def(x, .fixed(Toy.p0)), .def(y, .fixed(Toy.p1))])
        let c = f.int()
        f.op(.cmplt, [.def(c), .use(y), .use(x)])
        f.br(c, MBlock(1), MBlock(2))
        _ = f.beginBlock()
        let t = f.int()
        f.call(3, [x], result: t)
        f.jmp(MBlock(3), [t, y])
        _ = f.beginBlock()
        let e = f.int()
        f.op(.sub, [.def(e), .use(x), .use(y)])
        f.jmp(MBlock(3), [y, e])   // crosses the arguments relative to the other edge
        let p = f.int(), q = f.int()
        _ = f.beginBlock(params: [p, q])
        let s = f.int(), u = f.int()
        f.op(.mul, [.def(s), .use(p), .use(q)])
        f.op(.add, [.def(u), .use(s), .use(x)])   // x lives across the merge
        f.ret(u)
        f.computePredecessors()
        try allocateAndCompare(f)
    }

    @Test func floatsSurviveCalls() throws {
        var f = MachineFunction<ToyOp>(name: "floats")
        _ = f.beginBlock()
        let a = f.int(), g = f.float(), h = f.float(), k = f.float(), r = f.int(), out = f.int(), s = f.int()
        f.op(.const(9), [.def(a)])
        f.op(.itof, [.def(g), .use(a)])
        f.op(.itof, [.def(h), .use(g == g ? a : a)])
        f.op(.fadd, [.def(k), .use(g), .use(h)])
        f.call(4, [], result: r)
        let m = f.float()
        f.op(.fadd, [.def(m), .use(k), .use(g)])   // three floats live across the call, two float registers
        f.op(.ftoi, [.def(out), .use(m)])
        let hi = f.int()
        f.op(.ftoi, [.def(hi), .use(h)])
        f.op(.add, [.def(s), .use(out), .use(r)])
        let z = f.int()
        f.op(.add, [.def(z), .use(s), .use(hi)])
        f.ret(z)
        f.computePredecessors()
        let res = try allocateAndCompare(f)
        #expect(res.spillSlotClasses.contains(.float))
    }

    @Test func impossibleConstraintsAreReported() throws {
        do {
            var f = MachineFunction<ToyOp>(name: "twofixed")
            _ = f.beginBlock()
            let a = f.int(), b = f.int(), d = f.int()
            f.op(.const(1), [.def(a)])
            f.op(.const(2), [.def(b)])
            let i = f.op(.add, [.def(d), .use(a, .fixed(Toy.p0)), .use(b, .fixed(Toy.p0))])
            f.ret(d)
            f.computePredecessors()
            #expect(throws: AllocationError.conflictingFixedUses(i, Toy.p0)) { try allocateRegisters(f, registers: Toy.registers) }
        }
        do {
            var f = MachineFunction<ToyOp>(name: "badreuse")
            _ = f.beginBlock()
            let a = f.int(), d = f.int()
            f.op(.const(1), [.def(a)])
            let i = f.op(.addTwo, [.def(d, .reuse(0)), .use(a), .use(a)])
            f.ret(d)
            f.computePredecessors()
            #expect(throws: AllocationError.invalidReuse(i, operand: 0)) { try allocateRegisters(f, registers: Toy.registers) }
        }
        do {
            var f = MachineFunction<ToyOp>(name: "twodefs")
            _ = f.beginBlock()
            let a = f.int(), b = f.int()
            let i = f.op(.divmod, [.def(a, .fixed(Toy.p1)), .def(b, .fixed(Toy.p1))])
            f.ret(a)
            f.computePredecessors()
            #expect(throws: AllocationError.conflictingFixedDefs(i, Toy.p1)) { try allocateRegisters(f, registers: Toy.registers) }
        }
        do {
            var f = MachineFunction<ToyOp>(name: "toomany")
            _ = f.beginBlock()
            let vs = (0..<3).map { _ in f.float() }
            for v in vs { f.op(.const(1), [.def(v)]) }
            let d = f.float()
            let i = f.op(.fadd, [.def(d)] + vs.map { .use($0) })
            let r = f.int()
            f.op(.ftoi, [.def(r), .use(d)])
            f.ret(r)
            f.computePredecessors()
            #expect(throws: AllocationError.tooManyOperands(i, .float)) { try allocateRegisters(f, registers: Toy.registers) }
        }
        do {
            var f = MachineFunction<ToyOp>(name: "undefined")
            _ = f.beginBlock()
            let a = f.int(), b = f.int()
            f.op(.add, [.def(b), .use(a), .use(a)])
            f.ret(b)
            f.computePredecessors()
            #expect(throws: AllocationError.useWithoutDefinition(a, MBlock(0))) { try allocateRegisters(f, registers: Toy.registers) }
        }
        do {
            var f = MachineFunction<ToyOp>(name: "critical")
            _ = f.beginBlock()
            let c = f.int(), p = f.int()
            f.op(.const(1), [.def(c)])
            f.br(c, MBlock(1), MBlock(1))
            _ = f.beginBlock(params: [p])
            f.ret(p)
            f.computePredecessors()
            #expect(throws: AllocationError.self) { try allocateRegisters(f, registers: Toy.registers) }
        }
    }
}

@Suite struct MalformedInputTests {
    @Test func entryBlockAsJumpTarget() throws {
        var f = MachineFunction<ToyOp>(name: "entryloop")
        _ = f.beginBlock()
        let x = f.int()
        f.op(.const(1), [.def(x)])
        f.br(x, MBlock(1), MBlock(2))
        _ = f.beginBlock()
        f.ret(x)
        _ = f.beginBlock()
        f.jmp(MBlock(0))
        f.computePredecessors()
        try allocateAndCompare(f)
    }

    @Test func unreachableBlocksStillRespectConstraints() throws {
        var f = MachineFunction<ToyOp>(name: "dead")
        _ = f.beginBlock()
        let x = f.int()
        f.op(.const(4), [.def(x)])
        f.ret(x)
        _ = f.beginBlock()   // no predecessor
        let a = f.int(), b = f.int(), c = f.int()
        f.op(.const(1), [.def(a)])
        f.op(.const(2), [.def(b)])
        let i = f.op(.addTwo, [.def(c, .reuse(1)), .use(a, .fixed(Toy.p2)), .use(b)])
        f.ret(c)
        f.computePredecessors()
        let r = try allocateAndCompare(f)
        let base = f.instructions[i.int].operandRange.lowerBound
        #expect(r.operandLocations[base] == .reg(Toy.p2))
        #expect(r.operandLocations[base + 1] == .reg(Toy.p2))
    }

    @Test func brokenShapesAreErrorsNotCrashes() throws {
        do {  // no terminator
            var f = MachineFunction<ToyOp>(name: "noterm")
            _ = f.beginBlock()
            let x = f.int()
            f.op(.const(1), [.def(x)])
            #expect(throws: AllocationError.malformedBlock(MBlock(0))) { try allocateRegisters(f, registers: Toy.registers) }
        }
        do {  // successor out of range, stale predecessors
            var f = MachineFunction<ToyOp>(name: "badsucc")
            _ = f.beginBlock()
            f.jmp(MBlock(7))
            #expect(throws: AllocationError.invalidEdge(from: MBlock(0), to: MBlock(7))) {
                try allocateRegisters(f, registers: Toy.registers)
            }
        }
        do {  // argument count differs from the parameter count
            var f = MachineFunction<ToyOp>(name: "argcount")
            _ = f.beginBlock()
            let x = f.int(), p = f.int(), q = f.int()
            f.op(.const(1), [.def(x)])
            f.jmp(MBlock(1), [x])
            _ = f.beginBlock(params: [p, q])
            f.ret(p)
            f.computePredecessors()
            #expect(throws: AllocationError.invalidEdge(from: MBlock(0), to: MBlock(1))) {
                try allocateRegisters(f, registers: Toy.registers)
            }
        }
        do {  // fixed register of the wrong class
            var f = MachineFunction<ToyOp>(name: "class")
            _ = f.beginBlock()
            let x = f.int()
            let i = f.op(.const(1), [.def(x, .fixed(Toy.p5))])
            f.ret(x)
            f.computePredecessors()
            #expect(throws: AllocationError.invalidOperand(i, operand: 0)) { try allocateRegisters(f, registers: Toy.registers) }
        }
        do {  // a class without registers
            var f = MachineFunction<ToyOp>(name: "nofloat")
            _ = f.beginBlock()
            let x = f.int(), g = f.float()
            f.op(.const(1), [.def(x)])
            f.op(.itof, [.def(g), .use(x)])
            f.ret(x)
            f.computePredecessors()
            let intOnly = RegisterFile(allocatable: [.int: [Toy.p0, Toy.p1]], callerSaved: Toy.callerSaved,
                                       classes: Toy.registers.classes, names: Toy.registers.names,
                                       scratch: Toy.registers.scratch)
            #expect(throws: AllocationError.noRegisters(.float)) { try allocateRegisters(f, registers: intOnly) }
        }
    }
}

@Suite struct RandomAllocationTests {
    /// Thousands of random functions: the allocated execution must match the reference one.
    @Test func allocatedExecutionMatchesReference() throws {
        var spilled = 0, total = 0
        for seed in 0..<3000 as Range<UInt64> {
            var g = RandomProgramGenerator(seed: seed)
            let f = g.generate()
            let expected = try interpret(f)
            let a: AllocationResult
            do {
                a = try allocateRegisters(f, registers: Toy.registers)
            } catch {
                Issue.record("seed \(seed): allocation failed: \(error)")
                continue
            }
            do {
                let got = try execute(f, a, garbageSeed: seed &+ 99)
                #expect(got == expected, "seed \(seed)")
                if got != expected { break }
            } catch {
                Issue.record("seed \(seed): \(error)")
                break
            }
            total += 1
            if !a.spillSlotClasses.isEmpty { spilled += 1 }
        }
        #expect(total == 3000)
        #expect(spilled > 300)  // the generator really creates pressure
    }

    /// The same programs with a roomier register file spill less.
    @Test func largerRegisterFileSpillsLess() throws {
        let big = RegisterFile(
            allocatable: [.int: (0..<4).map(PReg.init) + (8..<16).map(PReg.init), .float: [PReg(5), PReg(6)]],
            callerSaved: RegSet([PReg(0), PReg(1), PReg(5), PReg(8), PReg(9)]),
            classes: [.int, .int, .int, .int, .int, .float, .float, .float] + Array(repeating: .int, count: 8),
            names: (0..<16).map { "r\($0)" },
            scratch: [.int: PReg(4), .float: PReg(7)])
        var smallSpills = 0, bigSpills = 0
        for seed in 5000..<5300 as Range<UInt64> {
            var g = RandomProgramGenerator(seed: seed)
            let f = g.generate()
            let expected = try interpret(f)
            let a = try allocateRegisters(f, registers: Toy.registers)
            let b = try allocateRegisters(f, registers: big)
            #expect(try execute(f, b, registers: big) == expected, "seed \(seed)")
            smallSpills += spillCount(a)
            bigSpills += spillCount(b)
        }
        #expect(bigSpills < smallSpills / 2)
    }
}

/// A big function (about 10k instructions, 2.4k blocks) allocates correctly; prints the time.
@Test func bigFunction() throws {
    let f = RandomProgramGenerator.bigFunction()
    let clock = ContinuousClock()
    var a: AllocationResult? = nil
    let t = clock.measure { a = try? allocateRegisters(f, registers: Toy.registers) }
    print("big: \(f.instructions.count) insts \(f.blocks.count) blocks \(f.vregClasses.count) vregs in \(t), edits \(a?.edits.count ?? -1)")
    if let a { #expect(try execute(f, a, fuel: 10_000_000) == interpret(f, fuel: 10_000_000)) }
}

/// Register files with other shapes: nothing preserved across calls (every
/// value live across a call must be spilled), everything preserved, and a
/// different preference order, a fixed register outside the allocatable set.
let otherRegisterFiles: [(String, RegisterFile)] = [
    ("all caller-saved", RegisterFile(
        allocatable: [.int: [PReg(0), PReg(1), PReg(2), PReg(3)], .float: [PReg(5), PReg(6)]],
        callerSaved: RegSet([0, 1, 2, 3, 5, 6].map(PReg.init)),
        classes: Toy.registers.classes, names: Toy.registers.names, scratch: Toy.registers.scratch)),
    ("callee-saved first", RegisterFile(
        allocatable: [.int: [PReg(3), PReg(2), PReg(1), PReg(0)], .float: [PReg(6), PReg(5)]],
        callerSaved: Toy.callerSaved,
        classes: Toy.registers.classes, names: Toy.registers.names, scratch: Toy.registers.scratch)),
    // p3 is still the fixed operand of `pinned`, but never allocated.
    ("three int registers", RegisterFile(
        allocatable: [.int: [PReg(0), PReg(1), PReg(2)], .float: [PReg(5), PReg(6)]],
        callerSaved: Toy.callerSaved,
        classes: Toy.registers.classes, names: Toy.registers.names, scratch: Toy.registers.scratch)),
]

@Test(arguments: 0..<otherRegisterFiles.count)
func otherRegisterFilesMatchReference(_ which: Int) throws {
    let (name, file) = otherRegisterFiles[which]
    for seed in 10_000..<11_000 as Range<UInt64> {
        var g = RandomProgramGenerator(seed: seed)
        let f = g.generate()
        let expected = try interpret(f)
        do {
            let a = try allocateRegisters(f, registers: file)
            let got = try execute(f, a, registers: file, garbageSeed: seed)
            #expect(got == expected, "\(name) seed \(seed)")
            if got != expected { break }
        } catch {
            Issue.record("\(name) seed \(seed): \(error)")
            break
        }
    }
}

/// Deeper nesting (more joins inside loops inside joins) and longer functions.
@Test func deeplyNestedProgramsMatchReference() throws {
    for seed in 20_000..<20_400 as Range<UInt64> {
        var g = RandomProgramGenerator(seed: seed)
        g.maxDepth = 5
        g.sequences = 3
        let f = g.generate()
        let expected = try interpret(f, fuel: 5_000_000)
        do {
            let a = try allocateRegisters(f, registers: Toy.registers)
            let got = try execute(f, a, garbageSeed: seed, fuel: 5_000_000)
            #expect(got == expected, "seed \(seed)")
            if got != expected { break }
        } catch {
            Issue.record("seed \(seed): \(error)")
            break
        }
    }
}
