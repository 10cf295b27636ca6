import Testing
import KeelCodegen
import KeelTestSupport

/// Safepoints on hand-built functions: the allocator keeps references in
/// slots across them and builds exact maps, and the stack-map check
/// (StackMapCheck.swift) reports each corruption of the maps or of the
/// allocation at the exact instruction.

private let p0 = Toy.p0, p1 = Toy.p1, p2 = Toy.p2

private func r(_ p: PReg) -> Location { .reg(p) }
private func ss(_ n: Int) -> Location { .stack(SpillSlot(n)) }
private func before(_ i: Int) -> ProgramPoint { ProgramPoint(before: MInst(i)) }

/// x (a reference), y (a reference, the call's only argument) = args;
/// rv = call(y), a safepoint across which x lives; s = x + rv; return s.
///
///     i0  args          x -> p0, y -> p1
///         {x: p0 -> ss0, y: p1 -> p0}
///     i1  call 1 (y)    safepoint, map [ss0]; y in p0 (dies), rv -> p0
///         {x: ss0 -> p1}                       the reload after the safepoint
///     i2  add s = x + rv   s -> p0, x in p1, rv in p0
///     i3  ret s
struct SafepointFixture {
    var f = MachineFunction<ToyOp>(name: "safepoint")
    var a: AllocationResult
    let x: VReg, y: VReg, rv: VReg, s: VReg

    init() {
        _ = f.beginBlock()
        x = f.int(); y = f.int(); rv = f.int(); s = f.int()
        f.referenceVRegs = [x, y]
        f.op(.args, [.def(x, .fixed(p0)), .def(y, .fixed(p1))])
        f.call(1, [y], result: rv)
        f.instructions[1].isSafepoint = true
        f.op(.add, [.def(s), .use(x), .use(rv)])
        f.ret(s)
        f.computePredecessors()
        a = AllocationResult(
            operandLocations: [r(p0), r(p1), r(p0), r(p0), r(p0), r(p1), r(p0), r(p0)],
            blockParamLocations: [[]],
            edits: [Edit(at: before(1), from: r(p0), to: ss(0), vreg: x),
                    Edit(at: before(1), from: r(p1), to: r(p0), vreg: y),
                    Edit(at: before(2), from: ss(0), to: r(p1), vreg: x)],
            spillSlotClasses: [.int], usedCalleeSaved: .empty,
            safepointMaps: [SafepointMap(instruction: MInst(1), slots: [SpillSlot(0)])])
    }

    func error(at i: Int, _ kind: AllocationCheckError.Kind) -> AllocationCheckError {
        AllocationCheckError(function: "safepoint", block: MBlock(0), instruction: MInst(i), point: before(i), kind: kind)
    }
}

@Suite struct StackMapCheckTests {
    @Test func acceptsTheCorrectMapInBothCopyModes() throws {
        let fx = SafepointFixture()
        #expect(checkToy(fx.f, fx.a).isEmpty)
        #expect(checkToy(fx.f, fx.a, sequenced: true).isEmpty)
        #expect(try execute(fx.f, fx.a) == interpret(fx.f))
    }

    @Test func slotDroppedFromTheMapIsReportedAtTheSafepoint() {
        var fx = SafepointFixture()
        fx.a.safepointMaps[0].slots = []
        let errors = checkToy(fx.f, fx.a)
        #expect(errors == [fx.error(at: 1, .referenceNotInMap(vreg: fx.x, elsewhere: ss(0)))])
        #expect(errors.first?.description
                == "safepoint: mb0, i1 (before i1): reference v0 is live across the safepoint but in no slot of its stack map (it is in ss0)")
    }

    @Test func staleRegisterCopyUsedAfterTheSafepointIsReportedAtTheUse() {
        var fx = SafepointFixture()
        // x stored to its slot (so the map is right) but also kept in callee-saved p2, read from there after the call.
        fx.a.edits = [Edit(at: before(1), from: r(p0), to: ss(0), vreg: fx.x),
                      Edit(at: before(1), from: r(p0), to: r(p2), vreg: fx.x),
                      Edit(at: before(1), from: r(p1), to: r(p0), vreg: fx.y)]
        fx.a.operandLocations[5] = r(p2)
        fx.a.usedCalleeSaved = RegSet([p2])
        let errors = checkToy(fx.f, fx.a)
        #expect(errors == [fx.error(at: 2, .useReadsWrongValue(operand: 1, vreg: fx.x, location: r(p2),
                                                                 found: .stale(after: MInst(1)), elsewhere: ss(0)))])
        #expect(errors.first?.message(registers: Toy.registers).contains("stale copy of a reference") == true)
        // The same allocation is correct when the call is not a safepoint.
        fx.f.instructions[1].isSafepoint = false
        fx.a.safepointMaps = []
        #expect(checkToy(fx.f, fx.a).isEmpty)
    }

    @Test func staleCopyMovedAfterTheSafepointIsReportedAtTheMove() {
        var fx = SafepointFixture()
        fx.a.edits = [Edit(at: before(1), from: r(p0), to: ss(0), vreg: fx.x),
                      Edit(at: before(1), from: r(p0), to: r(p2), vreg: fx.x),
                      Edit(at: before(1), from: r(p1), to: r(p0), vreg: fx.y),
                      Edit(at: before(2), from: r(p2), to: r(p1), vreg: fx.x)]
        fx.a.usedCalleeSaved = RegSet([p2])
        // Reported at the move, and again at the use of what it moved.
        #expect(checkToy(fx.f, fx.a) == [
            fx.error(at: 2, .editReadsWrongValue(fx.a.edits[3], found: .stale(after: MInst(1)))),
            fx.error(at: 2, .useReadsWrongValue(operand: 1, vreg: fx.x, location: r(p1), found: .stale(after: MInst(1)),
                                                elsewhere: ss(0)))])
    }

    @Test func mapEntryForADeadSlotIsReportedAtTheSafepoint() {
        var fx = SafepointFixture()
        // y (a reference that dies at the call) stored to ss1, and ss1 listed.
        fx.a.edits.insert(Edit(at: before(1), from: r(p1), to: ss(1), vreg: fx.y), at: 1)
        fx.a.spillSlotClasses = [.int, .int]
        #expect(checkToy(fx.f, fx.a).isEmpty)
        fx.a.safepointMaps[0].slots = [SpillSlot(0), SpillSlot(1)]
        #expect(checkToy(fx.f, fx.a) == [fx.error(at: 1, .mapListsDeadValue(slot: SpillSlot(1), vreg: fx.y))])
        // A listed slot holding an integer.
        fx.f.referenceVRegs = [fx.x]
        #expect(checkToy(fx.f, fx.a) == [fx.error(at: 1, .mapListsNonReference(slot: SpillSlot(1), found: .value(fx.y)))])
        // A listed slot never written.
        fx.a.edits.remove(at: 1)
        #expect(checkToy(fx.f, fx.a) == [fx.error(at: 1, .mapListsNonReference(slot: SpillSlot(1), found: .uninitialized))])
    }

    @Test func safepointWithoutAMapIsReported() {
        var fx = SafepointFixture()
        fx.a.safepointMaps = []
        #expect(checkToy(fx.f, fx.a) == [fx.error(at: 1, .safepointWithoutMap)])
    }

    @Test func sharedCellOfADeadReferenceIsNotTakenForTheLiveOne() {
        // ss0 and ss1 share one cell; y's store to ss1 (after x's to ss0) overwrites x's copy.
        var fx = SafepointFixture()
        fx.a.edits = [Edit(at: before(1), from: r(p0), to: ss(0), vreg: fx.x),
                      Edit(at: before(1), from: r(p1), to: r(p0), vreg: fx.y),
                      Edit(at: ProgramPoint(after: MInst(0)), from: r(p1), to: ss(1), vreg: fx.y),
                      Edit(at: before(2), from: ss(0), to: r(p1), vreg: fx.x)]
        fx.a.edits.sort { $0.point < $1.point }
        fx.a.spillSlotClasses = [.int, .int]
        #expect(checkToy(fx.f, fx.a).isEmpty)
        // Sharing is harmless here (y is written first); listing ss1 instead of ss0 names the same cell.
        fx.a.safepointMaps[0].slots = [SpillSlot(1)]
        #expect(checkToy(fx.f, fx.a, cells: [0, 0]).isEmpty)
        #expect(checkToy(fx.f, fx.a) == [
            fx.error(at: 1, .mapListsDeadValue(slot: SpillSlot(1), vreg: fx.y)),
            fx.error(at: 1, .referenceNotInMap(vreg: fx.x, elsewhere: ss(0)))])
    }

    @Test func allocatorKeepsReferencesInSlotsAcrossSafepoints() throws {
        var fx = SafepointFixture()
        let a = try allocateRegisters(fx.f, registers: Toy.registers)
        #expect(checkToy(fx.f, a).isEmpty)
        #expect(checkToy(fx.f, a, sequenced: true).isEmpty)
        #expect(a.safepointMaps.count == 1 && a.safepointMaps[0].instruction == MInst(1))
        #expect(a.safepointMaps[0].slots.count == 1)
        #expect(a.usedCalleeSaved.isEmpty, "x must not wait in a callee-saved register")
        #expect(try execute(fx.f, a) == interpret(fx.f))
        // Not a safepoint: x may stay in a callee-saved register, and the maps are empty.
        fx.f.instructions[1].isSafepoint = false
        let plain = try allocateRegisters(fx.f, registers: Toy.registers)
        #expect(plain.safepointMaps.isEmpty)
        // Checked as a safepoint, that allocation leaves x unlisted or stale.
        fx.f.instructions[1].isSafepoint = true
        var unmapped = plain
        unmapped.safepointMaps = [SafepointMap(instruction: MInst(1), slots: [])]
        let errors = checkToy(fx.f, unmapped)
        #expect(errors.contains { if case .referenceNotInMap(fx.x, _) = $0.kind { return $0.instruction == MInst(1) } else { return false } })
    }
}

/// Random toy functions with references and safepoints, run on a simulated
/// moving collector (ToyTarget.swift: at each safepoint every object moves;
/// the allocated execution updates only the slots the map lists).
@Suite struct RandomSafepointTests {
    /// A random function with about half its int vregs references and every call a safepoint.
    static func program(_ seed: UInt64) -> MachineFunction<ToyOp> {
        var g = RandomProgramGenerator(seed: seed)
        var f = g.generate()
        var rng = SplitMix64(seed: seed &* 31 &+ 7)
        for v in f.vregClasses.indices where f.vregClasses[v] == .int && rng.next() % 2 == 0 {
            f.referenceVRegs.insert(VReg(v))
        }
        for i in f.instructions.indices {
            if case .call = f.instructions[i].payload { f.instructions[i].isSafepoint = true }
        }
        return f
    }

    @Test func allocatedExecutionSurvivesAMovingCollector() throws {
        var listed = 0, moved = 0
        for seed in 0..<1500 as Range<UInt64> {
            let f = Self.program(seed)
            let expected = try interpret(f, moving: true)
            let a = try allocateRegisters(f, registers: Toy.registers)
            let errors = checkToy(f, a, sequenced: true)
            #expect(errors.isEmpty, "seed \(seed): \(errors.prefix(3))")
            let got = try execute(f, a, garbageSeed: seed &+ 5, moving: true)
            #expect(got == expected, "seed \(seed)")
            if got != expected || !errors.isEmpty { break }
            listed += a.safepointMaps.reduce(0) { $0 + $1.slots.count }
            if expected != (try interpret(f)) { moved += 1 }
        }
        print("random safepoints: \(listed) listed slots, \(moved) of 1500 programs whose result depends on the moves")
        #expect(moved > 300)
    }

    /// The same programs allocated as if calls were not safepoints: whenever
    /// that breaks under the moving collector, the checker says so.
    @Test func everyAllocationThatBreaksUnderMovingIsReported() throws {
        var broken = 0, reported = 0
        for seed in 0..<1500 as Range<UInt64> {
            var f = Self.program(seed)
            let expected = try interpret(f, moving: true)
            var plain = f
            for i in plain.instructions.indices { plain.instructions[i].isSafepoint = false }
            var a = try allocateRegisters(plain, registers: Toy.registers)
            a.safepointMaps = f.instructions.indices.filter { f.instructions[$0].isSafepoint }
                .map { SafepointMap(instruction: MInst($0), slots: []) }
            f.computePredecessors()
            let errors = checkToy(f, a)
            if !errors.isEmpty { reported += 1 }
            let got = try? execute(f, a, garbageSeed: seed &+ 5, moving: true)
            if got != expected {
                broken += 1
                #expect(!errors.isEmpty, "seed \(seed): breaks under a moving collector, yet passes the check")
            }
        }
        print("random safepoints without the discipline: \(broken) broken, \(reported) reported")
        #expect(broken > 100)
    }
}
