import Testing
import KeelCodegen

/// The allocation checker on hand-built functions with hand-written
/// allocations: each correct one is accepted, and each typical corruption is
/// reported at the exact block, instruction and operand.

private let p0 = Toy.p0, p1 = Toy.p1, p2 = Toy.p2, p3 = Toy.p3, p5 = Toy.p5
private let scratchInt = PReg(4)

func checkToy(_ f: MachineFunction<ToyOp>, _ a: AllocationResult, registers: RegisterFile = Toy.registers,
              cells: [Int]? = nil, sequenced: Bool = false) -> [AllocationCheckError] {
    checkAllocation(f, a, registers: registers, slotCells: cells,
                    sequentialize: sequenced ? emitterCopySequencer(registers: registers,
                                                                    spillSlotClasses: a.spillSlotClasses) : nil)
}

private func r(_ p: PReg) -> Location { .reg(p) }
private func ss(_ n: Int) -> Location { .stack(SpillSlot(n)) }
private func before(_ i: Int) -> ProgramPoint { ProgramPoint(before: MInst(i)) }

/// x, y = args; r = call(y) with x spilled around it; t = x + y; s = t + r; return s.
///
///     i0  args          x -> p0, y -> p1
///         {x: p0 -> ss0, y: p1 -> ss1, y: p1 -> p0}   (a parallel copy: x must be saved before p0 is overwritten)
///     i1  call 1 (y)    y in p0, r -> p0, clobbers p0 p1 p5
///         {x: ss0 -> p1, y: ss1 -> p2}
///     i2  add t = x + y t -> p1, x in p1, y in p2
///     i3  add s = t + r s -> p0, t in p1, r in p0
///     i4  ret s         s in p0
struct SpillFixture {
    var f = MachineFunction<ToyOp>(name: "spills")
    var a: AllocationResult
    let x: VReg, y: VReg, rv: VReg, t: VReg, s: VReg

    init() {
        _ = f.beginBlock()
        x = f.int(); y = f.int(); rv = f.int(); t = f.int(); s = f.int()
        f.op(.args, [.def(x, .fixed(p0)), .def(y, .fixed(p1))])
        f.call(1, [y], result: rv)
        f.op(.add, [.def(t), .use(x), .use(y)])
        f.op(.add, [.def(s), .use(t), .use(rv)])
        f.ret(s)
        f.computePredecessors()
        a = AllocationResult(
            operandLocations: [r(p0), r(p1), r(p0), r(p0), r(p1), r(p1), r(p2), r(p0), r(p1), r(p0), r(p0)],
            blockParamLocations: [[]],
            edits: [Edit(at: before(1), from: r(p0), to: ss(0), vreg: x),
                    Edit(at: before(1), from: r(p1), to: ss(1), vreg: y),
                    Edit(at: before(1), from: r(p1), to: r(p0), vreg: y),
                    Edit(at: before(2), from: ss(0), to: r(p1), vreg: x),
                    Edit(at: before(2), from: ss(1), to: r(p2), vreg: y)],
            spillSlotClasses: [.int, .int], usedCalleeSaved: RegSet([p2]))
    }
}

@Suite struct AllocationCheckerHandBuiltTests {
    @Test func acceptsCorrectAllocationInBothCopyModes() throws {
        let fx = SpillFixture()
        #expect(checkToy(fx.f, fx.a).isEmpty)
        #expect(checkToy(fx.f, fx.a, sequenced: true).isEmpty)
        // The fixture really is correct: the toy machine runs it like the reference.
        #expect(try execute(fx.f, fx.a) == interpret(fx.f))
    }

    @Test func droppedReloadIsReportedAtTheUse() {
        var fx = SpillFixture()
        fx.a.edits.remove(at: 3)  // x: ss0 -> p1
        let errors = checkToy(fx.f, fx.a)
        #expect(errors == [AllocationCheckError(
            function: "spills", block: MBlock(0), instruction: MInst(2), point: before(2),
            kind: .useReadsWrongValue(operand: 1, vreg: fx.x, location: r(p1), found: .clobbered(by: MInst(1)),
                                      elsewhere: ss(0)))])
        #expect(errors.first?.description
                == "spills: mb0, i2 (before i2): operand 1 uses v0 in p1, which holds garbage (clobbered by i1); v0 is in ss0")
        #expect(errors.first?.message(registers: Toy.registers).contains("uses v0 in r1") == true)
    }

    @Test func reorderedSequentialCopyIsReportedAtTheCopy() {
        let fx = SpillFixture()
        // The emitter's order saves x before overwriting p0; a wrong order writes p0 first.
        let good = emitterCopySequencer(registers: Toy.registers, spillSlotClasses: fx.a.spillSlotClasses)
        let bad: ParallelCopySequencer = { point, moves in
            var seq = good(point, moves)
            if point == before(1), let w = seq.firstIndex(where: { $0.to == r(p0) }),
               let rd = seq.firstIndex(where: { $0.from == r(p0) }), rd < w {
                seq.swapAt(rd, w)
            }
            return seq
        }
        #expect(checkAllocation(fx.f, fx.a, registers: Toy.registers, sequentialize: good).isEmpty)
        let errors = checkAllocation(fx.f, fx.a, registers: Toy.registers, sequentialize: bad)
        #expect(errors.first == AllocationCheckError(
            function: "spills", block: MBlock(0), instruction: MInst(1), point: before(1),
            kind: .copyLeftWrongValue(fx.a.edits[0], found: .value(fx.y))))
        // ... and the reload of x later reads y from the slot.
        #expect(errors.contains { $0.kind == .editReadsWrongValue(fx.a.edits[3], found: .value(fx.y)) })
        // The parallel reading of the same edits is still correct: only the order was wrong.
        #expect(checkToy(fx.f, fx.a).isEmpty)
    }

    @Test func overlappingLiveSlotsAreReportedAtTheReload() {
        let fx = SpillFixture()
        #expect(checkToy(fx.f, fx.a, cells: [0, 1]).isEmpty)
        #expect(checkToy(fx.f, fx.a, cells: [1, 0]).isEmpty)
        // ss0 (x) and ss1 (y) are both live from i1 to i2: one cell cannot hold both. Both are
        // written by one parallel copy, so that copy writes the cell twice; the reload of x finds y.
        for sequenced in [false, true] {
            let errors = checkToy(fx.f, fx.a, cells: [0, 0], sequenced: sequenced)
            #expect(errors.first == AllocationCheckError(
                function: "spills", block: MBlock(0), instruction: MInst(1), point: before(1),
                kind: .duplicateCopyDestination(fx.a.edits[1])))
            #expect(errors.contains(AllocationCheckError(
                function: "spills", block: MBlock(0), instruction: MInst(2), point: before(2),
                kind: .editReadsWrongValue(fx.a.edits[3], found: .value(fx.y)))))
        }
        // Written at different points (y's spill right after the call), the overlap shows
        // exactly where x is read back.
        var late = fx
        late.a.edits = [Edit(at: before(1), from: r(p0), to: ss(0), vreg: fx.x),
                        Edit(at: before(1), from: r(p1), to: r(p0), vreg: fx.y),
                        Edit(at: before(1), from: r(p1), to: r(p2), vreg: fx.y),
                        Edit(at: ProgramPoint(after: MInst(1)), from: r(p2), to: ss(1), vreg: fx.y),
                        Edit(at: before(2), from: ss(0), to: r(p1), vreg: fx.x)]
        #expect(checkToy(late.f, late.a).isEmpty)
        #expect(checkToy(late.f, late.a, cells: [0, 0], sequenced: true).first == AllocationCheckError(
            function: "spills", block: MBlock(0), instruction: MInst(2), point: before(2),
            kind: .editReadsWrongValue(late.a.edits[4], found: .value(fx.y))))
    }

    @Test func callClobberingALiveRegisterIsReported() {
        var fx = SpillFixture()
        // Keep x across the call in callee-saved p3 instead of ss0; then let the call clobber p3.
        fx.a.edits[0].to = r(p3)
        fx.a.edits[3].from = r(p3)
        #expect(checkToy(fx.f, fx.a) == [AllocationCheckError(
            function: "spills", block: nil, instruction: nil, point: nil, kind: .calleeSavedNotRecorded(p3))])
        fx.a.usedCalleeSaved.insert(p3)
        #expect(checkToy(fx.f, fx.a).isEmpty)
        fx.f.instructions[1].clobbers.insert(p3)
        let errors = checkToy(fx.f, fx.a)
        #expect(errors.first == AllocationCheckError(
            function: "spills", block: MBlock(0), instruction: MInst(2), point: before(2),
            kind: .editReadsWrongValue(fx.a.edits[3], found: .clobbered(by: MInst(1)))))
    }

    @Test func valueMovedIntoACallerSavedRegisterAcrossACallIsReported() {
        var fx = SpillFixture()
        // Instead of spilling x, keep it in caller-saved p1 across the call (y leaves p1 for p0).
        fx.a.edits = [Edit(at: before(1), from: r(p0), to: r(p1), vreg: fx.x),
                      Edit(at: before(1), from: r(p1), to: r(p0), vreg: fx.y),
                      Edit(at: before(1), from: r(p1), to: ss(1), vreg: fx.y),
                      Edit(at: before(2), from: ss(1), to: r(p2), vreg: fx.y)]
        let errors = checkToy(fx.f, fx.a)
        #expect(errors == [AllocationCheckError(
            function: "spills", block: MBlock(0), instruction: MInst(2), point: before(2),
            kind: .useReadsWrongValue(operand: 1, vreg: fx.x, location: r(p1), found: .clobbered(by: MInst(1)),
                                      elsewhere: nil))])
    }

    @Test func twoLiveValuesInOneRegisterAreReportedAtTheLaterUse() {
        var fx = SpillFixture()
        // t = x + y written into p2, where y still lives? y dies at i2, so that is fine ...
        fx.a.operandLocations[4] = r(p2)
        fx.a.operandLocations[8] = r(p2)
        #expect(checkToy(fx.f, fx.a).isEmpty)
        // ... but t written into p0 overwrites r, which i3 still reads.
        fx.a.operandLocations[4] = r(p0)
        fx.a.operandLocations[8] = r(p0)
        let errors = checkToy(fx.f, fx.a)
        #expect(errors.first == AllocationCheckError(
            function: "spills", block: MBlock(0), instruction: MInst(3), point: before(3),
            kind: .useReadsWrongValue(operand: 2, vreg: fx.rv, location: r(p0), found: .value(fx.t),
                                      elsewhere: nil)))
    }

    @Test func constraintViolationsAreEachReported() {
        let fx = SpillFixture()
        func mutated(_ k: Int, _ l: Location) -> [AllocationCheckError.Kind] {
            var a = fx.a
            a.operandLocations[k] = l
            return checkToy(fx.f, a).map(\.kind)
        }
        // i1's use of y is fixed to p0.
        #expect(mutated(2, r(p1)).contains(.fixedConstraintViolated(operand: 0, vreg: fx.y, required: p0,
                                                                    location: r(p1))))
        // A free operand in the scratch register, in a float register, in a slot.
        #expect(mutated(4, r(scratchInt)).contains(.reservedRegister(operand: 0, vreg: fx.t, register: scratchInt)))
        #expect(mutated(4, r(p5)).contains(.wrongRegisterClass(operand: 0, vreg: fx.t, location: r(p5))))
        #expect(mutated(4, ss(0)).contains(.operandNotInRegister(operand: 0, vreg: fx.t, location: ss(0))))
        // Two defs of the args instruction in one register.
        #expect(mutated(1, r(p0)).contains(.defsShareRegister(operand: 1, vreg: fx.y, register: p0)))
    }

    @Test func reuseEarlyAndLateConstraints() throws {
        var f = MachineFunction<ToyOp>(name: "operands")
        _ = f.beginBlock()
        let x = f.int(), y = f.int(), d = f.int(), e = f.int(), g = f.int()
        f.op(.args, [.def(x, .fixed(p0)), .def(y, .fixed(p1))])
        // i1: d (early def), e (late def); uses x (early), y (late).
        f.op(.earlyLate, [MachineOperand(d, .def, at: .early), .def(e), .use(x), MachineOperand(y, .use, at: .late)])
        // i2: g = d + e, two-address: g reuses operand 1 (d).
        f.op(.addTwo, [.def(g, .reuse(1)), .use(d), .use(e)])
        f.ret(g)
        f.computePredecessors()
        let good = AllocationResult(
            operandLocations: [r(p0), r(p1), r(p2), r(p3), r(p0), r(p1), r(p0), r(p0), r(p3), r(p0)],
            blockParamLocations: [[]],
            edits: [Edit(at: before(2), from: r(p2), to: r(p0), vreg: d)],
            spillSlotClasses: [], usedCalleeSaved: RegSet([p2, p3]))
        #expect(checkToy(f, good).isEmpty)
        #expect(try execute(f, good) == interpret(f))

        var a = good
        a.operandLocations[2] = r(p0)  // early def d on x's register
        #expect(checkToy(f, a).map(\.kind).contains(.earlyDefOverlapsUse(operand: 0, vreg: d, register: p0)))
        a = good
        a.operandLocations[3] = r(p1)  // late def e on late use y's register
        #expect(checkToy(f, a).map(\.kind).contains(.lateUseOverlapsDef(operand: 3, vreg: y, register: p1)))
        a = good
        a.operandLocations[6] = r(p1)  // g not in d's register
        #expect(checkToy(f, a).map(\.kind).contains(.reuseConstraintViolated(operand: 0, vreg: g, reused: 1,
                                                                             location: r(p1))))
        var clobbering = f
        clobbering.instructions[1].clobbers = RegSet([p1, p2])
        let kinds = checkToy(clobbering, good).map(\.kind)
        #expect(kinds.contains(.lateUseClobbered(operand: 3, vreg: y, register: p1)))
        #expect(kinds.contains(.earlyDefClobbered(operand: 0, vreg: d, register: p2)))
    }

    @Test func copiesAreChecked() {
        var fx = SpillFixture()
        fx.a.edits[4] = Edit(at: before(2), from: ss(1), to: r(p1), vreg: fx.y)  // two moves into p1
        #expect(checkToy(fx.f, fx.a).map(\.kind).contains(.duplicateCopyDestination(fx.a.edits[4])))
        fx = SpillFixture()
        fx.a.edits[4] = Edit(at: before(2), from: ss(1), to: r(scratchInt), vreg: fx.y)
        #expect(checkToy(fx.f, fx.a).map(\.kind).contains(.editTouchesReservedRegister(fx.a.edits[4])))
        fx = SpillFixture()
        fx.a.edits[4] = Edit(at: before(2), from: ss(7), to: r(p2), vreg: fx.y)  // no such slot
        #expect(checkToy(fx.f, fx.a).map(\.kind).contains(.invalidEdit(fx.a.edits[4])))
        fx = SpillFixture()
        fx.a.edits[4] = Edit(at: before(2), from: ss(0), to: r(p2), vreg: fx.y)  // ss0 holds x
        #expect(checkToy(fx.f, fx.a).first?.kind == .editReadsWrongValue(fx.a.edits[4], found: .value(fx.x)))
    }

    @Test func malformedResultsAreReportedNotCrashed() {
        let fx = SpillFixture()
        var a = fx.a
        a.operandLocations.removeLast()
        #expect(checkToy(fx.f, a).count == 1)
        a = fx.a
        a.edits.swapAt(0, 4)
        #expect(checkToy(fx.f, a).first.map { if case .malformedResult = $0.kind { true } else { false } } == true)
        a = fx.a
        a.edits[0].point = before(99)
        #expect(checkToy(fx.f, a).count == 1)
        #expect(checkToy(fx.f, fx.a, cells: [0]).count == 1)
        #expect(checkToy(fx.f, fx.a, cells: [0, -1]).count == 1)
        a = fx.a
        a.blockParamLocations = []
        #expect(checkToy(fx.f, a).count == 1)
        a = fx.a
        a.edits.append(Edit(at: before(4), from: .reg(PReg(200)), to: r(p1), vreg: VReg(1)))
        #expect(checkToy(fx.f, a).contains { $0.kind == .invalidEdit(a.edits[5]) })
        #expect(checkAllocation(MachineFunction<ToyOp>(name: "empty"),
                                AllocationResult(operandLocations: [], blockParamLocations: [], edits: [],
                                                 spillSlotClasses: [], usedCalleeSaved: .empty),
                                registers: Toy.registers).isEmpty)
    }
}

/// A diamond joining with a parameter, and a value live across the join.
///
///     mb0: i0 args x p0, y p1; i1 cmplt c = x < y -> p2; i2 br c      (c in p2)
///     mb1: i3 add u = x + y -> p2; i4 jmp mb3(u)    {u: p2 -> p1 before i4}? see edits
///     mb2: i5 sub w = x - y -> p1; i6 jmp mb3(w)
///     mb3(q in p1): i7 add z = q + x -> p0; i8 ret z
struct DiamondFixture {
    var f = MachineFunction<ToyOp>(name: "diamond")
    var a: AllocationResult
    let x: VReg, y: VReg, c: VReg, u: VReg, w: VReg, q: VReg, z: VReg

    init() {
        _ = f.beginBlock()
        x = f.int(); y = f.int(); c = f.int(); u = f.int(); w = f.int(); q = f.int(); z = f.int()
        f.op(.args, [.def(x, .fixed(p0)), .def(y, .fixed(p1))])
        f.op(.cmplt, [.def(c), .use(x), .use(y)])
        f.br(c, MBlock(1), MBlock(2))
        _ = f.beginBlock()
        f.op(.add, [.def(u), .use(x), .use(y)])
        f.jmp(MBlock(3), [u])
        _ = f.beginBlock()
        f.op(.sub, [.def(w), .use(x), .use(y)])
        f.jmp(MBlock(3), [w])
        _ = f.beginBlock(params: [q])
        f.op(.add, [.def(z), .use(q), .use(x)])
        f.ret(z)
        f.computePredecessors()
        a = AllocationResult(
            operandLocations: [r(p0), r(p1), r(p2), r(p0), r(p1), r(p2),
                               r(p2), r(p0), r(p1),
                               r(p1), r(p0), r(p1),
                               r(p0), r(p1), r(p0), r(p0)],
            blockParamLocations: [[], [], [], [r(p1)]],
            edits: [Edit(at: before(4), from: r(p2), to: r(p1), vreg: u)],
            spillSlotClasses: [], usedCalleeSaved: RegSet([p2]))
    }
}

@Suite struct AllocationCheckerControlFlowTests {
    @Test func acceptsCorrectDiamond() throws {
        let fx = DiamondFixture()
        #expect(checkToy(fx.f, fx.a).isEmpty)
        #expect(try execute(fx.f, fx.a) == interpret(fx.f))
    }

    @Test func missingEdgeCopyIsReportedOnTheEdge() {
        var fx = DiamondFixture()
        fx.a.edits = []
        #expect(checkToy(fx.f, fx.a) == [AllocationCheckError(
            function: "diamond", block: MBlock(1), instruction: MInst(4), point: before(4),
            kind: .branchArgumentMisplaced(successor: MBlock(3), param: 0, vreg: fx.u, location: r(p1),
                                           found: .value(fx.y)))])
    }

    @Test func valueDifferentOnTwoPathsIsAConflict() {
        var fx = DiamondFixture()
        // One arm moves x out of p0 (into p3): after the join p0 holds x on one path only.
        fx.a.edits.append(Edit(at: before(6), from: r(p0), to: r(p3), vreg: fx.x))
        fx.a.edits.append(Edit(at: before(6), from: r(p1), to: r(p0), vreg: fx.w))
        fx.a.usedCalleeSaved.insert(p3)
        let errors = checkToy(fx.f, fx.a)
        #expect(errors.contains { $0.block == MBlock(3) && $0.instruction == MInst(7)
                                  && $0.kind == .useReadsWrongValue(operand: 2, vreg: fx.x, location: r(p0),
                                                                    found: .conflict, elsewhere: nil) })
    }

    @Test func parametersSharingALocationAreReported() {
        var f = MachineFunction<ToyOp>(name: "twoParams")
        _ = f.beginBlock()
        let x = f.int(), y = f.int(), a = f.int(), b = f.int(), s = f.int()
        f.op(.args, [.def(x, .fixed(p0)), .def(y, .fixed(p1))])
        f.jmp(MBlock(1), [x, y])
        _ = f.beginBlock(params: [a, b])
        f.op(.add, [.def(s), .use(a), .use(b)])
        f.ret(s)
        f.computePredecessors()
        var alloc = AllocationResult(operandLocations: [r(p0), r(p1), r(p0), r(p0), r(p1), r(p0)],
                                     blockParamLocations: [[], [r(p0), r(p1)]], edits: [],
                                     spillSlotClasses: [], usedCalleeSaved: .empty)
        #expect(checkToy(f, alloc).isEmpty)
        alloc.blockParamLocations[1] = [r(p0), r(p0)]
        #expect(checkToy(f, alloc).map(\.kind).contains(.parametersShareLocation(param: 1, location: r(p0))))
    }
}
