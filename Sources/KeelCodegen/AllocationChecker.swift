// The allocation checker: proves, independently of the allocator, that an
// `AllocationResult` makes a `MachineFunction` read every value it uses.
//
// Expects: a machine function (as given to the allocator) and the result of
// any allocator, interpreted by the contracts of Allocation.swift and
// MachineFunction.swift only — it never calls into the allocator. Optional:
// `slotCells`, which frame cell each spill slot occupies (several slots may
// share a cell; default: each its own), and `sequentialize`, the order in
// which the emitter will perform each parallel copy.
//
// Guarantees: returns no error only if, on every path through the blocks
// reachable from the entry, (1) every use operand's location holds its
// vreg, (2) every inserted move reads a location holding the move's vreg,
// (3) on every edge each successor parameter's entry location holds the
// branch argument, (4) every operand obeys its constraint (a register of
// its class; the fixed register; the reused use's register; not a reserved
// register), early defs and late uses do not share a register with the
// other operands or the clobbers of their instruction, defs of one
// instruction are in distinct registers, (5) with `sequentialize`, the
// sequential moves leave every parallel-copy destination with its value,
// (6) every callee-saved register written is in `usedCalleeSaved`,
// (7) at every safepoint, the stack map is exact (StackMapCheck.swift) and
// no register copy of a reference taken before it is read after it.
// Clobbering a live value is caught where the value is next read.
//
// Algorithm: abstract interpretation as in regalloc2's checker (Chris
// Fallin, 2020-22). Abstract state: for every location — 64 registers,
// then one entry per stack *cell* — the vreg it certainly holds, or
// uninitialized, or garbage clobbered by instruction i, or conflict. It is
// a flat lattice per location (unreached ⊤ above the single contents,
// conflict ⊥ below); the meet of two different contents is conflict.
// Transfer per instruction: the parallel copy before it (all sources read,
// then all destinations written — or the given sequential moves, replayed
// one by one), clobbered registers become that instruction's garbage, each
// def's location becomes the def's vreg, then the copy after it. On an
// edge, each successor parameter's location becomes the parameter. A
// forward dataflow in reverse postorder (KeelAnalysis's `BlockOrder`, through
// the machine blocks' `ControlFlowGraph` view) reaches the fixed point (each
// location can only fall, at most twice); a final pass over each block from
// its fixed-point entry state reports the errors, so each is reported once,
// in block order.
//
// Cost: a block's entry state holds only the locations live at its entry
// (backward liveness over locations, on a `BitMatrix`, from exactly what the
// transfer functions read), so the dataflow costs O(sweeps × (operands +
// edits + live-in entries)) plus the bit-vector liveness; the working state
// is one `[Int32]` indexed by location, validated by a generation stamp
// instead of being cleared per block; no dictionaries.
import KeelAnalysis

/// Orders the moves of one parallel copy as the emitter will perform them.
public typealias ParallelCopySequencer =
    (ProgramPoint, [(from: Location, to: Location)]) -> [(from: Location, to: Location)]

/// Checks `result` against `f`; an empty answer means the allocation is correct.
/// At most `maxErrors` errors are returned.
public func checkAllocation<P>(_ f: MachineFunction<P>, _ result: AllocationResult, registers: RegisterFile,
                               slotCells: [Int]? = nil, sequentialize: ParallelCopySequencer? = nil,
                               maxErrors: Int = 50) -> [AllocationCheckError] {
    var c = AllocationChecker(f, result, registers: registers, sequentialize: sequentialize,
                              maxErrors: max(1, maxErrors))
    guard c.prepare(slotCells: slotCells) else { return c.errors }
    c.solve()
    c.report()
    return c.errors
}

/// The sequencer matching the emitters: one move as is, several through
/// `sequentializeParallelCopy` with the register file's scratch registers.
public func emitterCopySequencer(registers: RegisterFile, spillSlotClasses: [RegClass]) -> ParallelCopySequencer {
    let classOf: (Location) -> RegClass = { l in
        switch l {
        case .reg(let r): return Int(r.number) < registers.classes.count ? registers.regClass(r) : .int
        case .stack(let s): return s.int < spillSlotClasses.count ? spillSlotClasses[s.int] : .int
        }
    }
    // Looked up once, not per copy (and through the arrays, not a dictionary: this runs per function).
    let scratch = registers.scratchByClass
    let fallback = scratch.lazy.compactMap { $0 }.first ?? PReg(63)
    let scratchOfClass: [Location] = RegClass.allCases.map { c in
        .reg(Int(c.rawValue) < scratch.count ? scratch[Int(c.rawValue)] ?? fallback : fallback)
    }
    return { _, moves in
        if moves.count <= 1 { return moves }
        return sequentializeParallelCopy(moves, classOf: classOf) { c in scratchOfClass[Int(c.rawValue)] }
    }
}

// Abstract contents besides vreg numbers (which are >= 0); garbage left by
// the clobbers of instruction i is `clobberedBase - i` (each its own value).
private let uninitialized: Int32 = -1
private let conflict: Int32 = -2
private let clobberedBase: Int32 = -3
/// A register copy of a reference left stale by safepoint i is `staleBase - i`
/// (the collector may have moved the object; only the slot was updated).
let staleBase: Int32 = -(1 << 30)
/// Instruction numbers in the two encodings stay below this.
private let instructionLimit = 1 << 29
/// Number of register locations; stack cells follow.
private let registerCount = 64

@inline(__always) private func bit(_ r: Int) -> UInt64 { 1 << UInt64(r) }

struct AllocationChecker {
    let name: String
    let blocks: [MachineBlock]
    let operandRanges: [Range<Int>]
    let clobbers: [UInt64]
    let isTerminator: [Bool]
    /// Safepoint instructions and reference vregs (StackMapCheck.swift).
    let isSafepoint: [Bool]
    let isReference: [Bool]
    let operands: [MachineOperand]
    let vregClasses: [RegClass]
    let result: AllocationResult
    let registers: RegisterFile
    let sequentialize: ParallelCopySequencer?
    let maxErrors: Int

    var errors: [AllocationCheckError] = []

    // Locations: registers 0..<64, then stack cells.
    var width = registerCount
    var cellOfSlot: [Int32] = []
    /// One slot of each cell, to name the cell in reports.
    var slotOfCell: [Int32] = []
    /// Location index of each operand, move source/destination and block parameter (-1: none).
    var operandLocation: [Int32] = []
    var editFrom: [Int32] = []
    var editTo: [Int32] = []
    var paramLocation: [[Int32]] = []
    /// First edit at each raw program point (2 per instruction, plus one sentinel).
    var editBegin: [Int32] = []
    /// With `sequentialize`: the replayed moves of the copy starting at each edit.
    var sequenceRange: [Range<Int>] = []
    var sequenceFrom: [Int32] = []
    var sequenceTo: [Int32] = []
    /// Registers `.reg` operands may use, per class (allocatable minus scratch); scratch registers.
    var allocatableMask: [UInt64] = [0, 0]
    var reservedMask: UInt64 = 0

    // Dataflow.
    var rpo: [Int] = []
    var reached: [Bool] = []
    var dirty: [Bool] = []
    /// Each block's live-in locations (`liveInLocations[liveInStart[b]..<liveInStart[b+1]]`) and
    /// their contents on entry, parallel to them.
    var liveInStart: [Int32] = []
    var liveInLocations: [Int32] = []
    var entryValues: [Int32] = []

    /// The current state: `state[l]` is meaningful only where `validStamp[l] == generation`
    /// (elsewhere the location is not live on entry and not yet written: uninitialized).
    var state: [Int32] = []
    var validStamp: [UInt32] = []
    var generation: UInt32 = 0

    // Scratch for the transfer functions.
    var copyBuffer: [Int32] = []
    var saved: [(Int32, Int32, UInt32)] = []
    var seenStamp: [Int32] = []
    var stamp: Int32 = 0

    /// Per instruction: its entry in `result.safepointMaps` (-1: none).
    var mapOf: [Int32] = []
    /// Per safepoint of a reachable block: the references live across it (StackMapCheck.swift).
    var referencesAcross: [Int: Set<Int32>] = [:]

    // Reporting pass.
    var reporting = false
    var currentBlock = 0
    var written: UInt64 = 0

    init<P>(_ f: MachineFunction<P>, _ result: AllocationResult, registers: RegisterFile,
            sequentialize: ParallelCopySequencer?, maxErrors: Int) {
        name = f.name
        blocks = f.blocks
        // Plain loops: key-path maps cost more than the whole check.
        var ranges: [Range<Int>] = [], masks: [UInt64] = [], terminators: [Bool] = [], safepoints: [Bool] = []
        ranges.reserveCapacity(f.instructions.count)
        masks.reserveCapacity(f.instructions.count)
        terminators.reserveCapacity(f.instructions.count)
        for i in f.instructions.indices {
            ranges.append(f.instructions[i].operandRange)
            masks.append(f.instructions[i].clobbers.bits)
            terminators.append(f.instructions[i].isTerminator)
            safepoints.append(f.instructions[i].isSafepoint)
        }
        isSafepoint = safepoints
        var references = [Bool](repeating: false, count: f.vregClasses.count)
        for v in f.referenceVRegs where v.int < references.count { references[v.int] = true }
        isReference = references
        operandRanges = ranges
        clobbers = masks
        isTerminator = terminators
        operands = f.operands
        vregClasses = f.vregClasses
        self.result = result
        self.registers = registers
        self.sequentialize = sequentialize
        self.maxErrors = maxErrors
    }

    // MARK: reporting

    mutating func fail(_ kind: AllocationCheckError.Kind, block: Int? = nil, inst: Int? = nil,
                       point: ProgramPoint? = nil) {
        guard errors.count < maxErrors else { return }
        errors.append(AllocationCheckError(function: name, block: block.map { MBlock($0) },
                                           instruction: inst.map { MInst($0) }, point: point, kind: kind))
    }

    func content(_ x: Int32) -> AllocationCheckError.Content {
        switch x {
        case 0...: return .value(VReg(Int(x)))
        case uninitialized: return .uninitialized
        case conflict: return .conflict
        case ...staleBase: return .stale(after: MInst(Int(staleBase - x)))
        default: return .clobbered(by: MInst(Int(clobberedBase - x)))
        }
    }

    func location(ofIndex i: Int) -> Location {
        i < registerCount ? .reg(PReg(i)) : .stack(SpillSlot(Int(slotOfCell[i - registerCount])))
    }

    func index(of l: Location) -> Int32 {
        switch l {
        case .reg(let r): return Int(r.number) < registerCount ? Int32(r.number) : -1
        case .stack(let s): return s.int < cellOfSlot.count ? Int32(registerCount) + cellOfSlot[s.int] : -1
        }
    }

    func classOf(_ l: Location) -> RegClass? {
        switch l {
        case .reg(let r): return Int(r.number) < registers.classes.count ? registers.regClass(r) : nil
        case .stack(let s):
            return s.int < result.spillSlotClasses.count ? result.spillSlotClasses[s.int] : nil
        }
    }

    // MARK: preparation

    /// Validates the result's shape and precomputes location indices; false if it cannot be checked.
    mutating func prepare(slotCells: [Int]?) -> Bool {
        let slots = result.spillSlotClasses.count
        if let slotCells {
            guard slotCells.count == slots else {
                fail(.malformedResult("\(slotCells.count) slot cells for \(slots) spill slots"))
                return false
            }
            var cells = 0
            for c in slotCells {
                guard c >= 0 && c < 1 << 24 else {
                    fail(.malformedResult("slot cell \(c) out of range"))
                    return false
                }
                cells = max(cells, c + 1)
            }
            cellOfSlot = slotCells.map { Int32($0) }
            slotOfCell = Array(repeating: -1, count: cells)
            for (s, c) in slotCells.enumerated() where slotOfCell[c] < 0 { slotOfCell[c] = Int32(s) }
        } else {
            cellOfSlot = (0..<slots).map { Int32($0) }
            slotOfCell = cellOfSlot
        }
        width = registerCount + slotOfCell.count

        guard result.operandLocations.count == operands.count else {
            fail(.malformedResult("\(result.operandLocations.count) operand locations for \(operands.count) operands"))
            return false
        }
        guard result.blockParamLocations.count == blocks.count else {
            fail(.malformedResult("parameter locations for \(result.blockParamLocations.count) of \(blocks.count) blocks"))
            return false
        }
        let instructionCount = operandRanges.count
        for (b, blk) in blocks.enumerated() {
            guard result.blockParamLocations[b].count == blk.params.count else {
                fail(.malformedResult("\(MBlock(b)) has \(blk.params.count) parameters but "
                                      + "\(result.blockParamLocations[b].count) parameter locations"))
                return false
            }
            guard blk.instructions.lowerBound >= 0, blk.instructions.upperBound <= instructionCount,
                  blk.branchArguments.count >= blk.successors.count,
                  blk.params.allSatisfy({ $0.int < vregClasses.count }) else {
                fail(.malformedResult("\(MBlock(b)) is malformed"))
                return false
            }
            for (e, s) in blk.successors.enumerated() {
                guard s.int < blocks.count,
                      blk.branchArguments[e].count >= blocks[s.int].params.count,
                      blk.branchArguments[e].allSatisfy({ $0.int < vregClasses.count }) else {
                    fail(.malformedResult("edge \(MBlock(b)) -> \(s) is malformed"))
                    return false
                }
            }
        }
        for r in operandRanges where r.lowerBound < 0 || r.upperBound > operands.count {
            fail(.malformedResult("an instruction's operands are out of range"))
            return false
        }
        for op in operands where op.vreg.int >= vregClasses.count {
            fail(.malformedResult("operand names nonexistent \(op.vreg)"))
            return false
        }
        for e in result.edits where e.vreg.int >= vregClasses.count || e.point.inst.int >= instructionCount {
            fail(.malformedResult("move of \(e.vreg) at \(e.point) is out of range"))
            return false
        }

        // Edits by program point.
        let points = 2 * instructionCount
        editBegin = Array(repeating: 0, count: points + 1)
        var previous: UInt32 = 0
        for e in result.edits {
            guard e.point.raw >= previous else {
                fail(.malformedResult("edits are not sorted by program point (at \(e.point))"))
                return false
            }
            previous = e.point.raw
            editBegin[Int(e.point.raw) + 1] += 1
        }
        for p in 0..<points { editBegin[p + 1] += editBegin[p] }

        operandLocation = result.operandLocations.map { index(of: $0) }
        editFrom = result.edits.map { index(of: $0.from) }
        editTo = result.edits.map { index(of: $0.to) }
        paramLocation = result.blockParamLocations.map { $0.map { index(of: $0) } }

        for c in RegClass.allCases where Int(c.rawValue) < registers.allocatableByClass.count {
            var m: UInt64 = 0
            for r in registers.allocatableByClass[Int(c.rawValue)] where Int(r.number) < registerCount { m |= bit(Int(r.number)) }
            allocatableMask[Int(c.rawValue)] = m
        }
        for case let s? in registers.scratchByClass where Int(s.number) < registerCount { reservedMask |= bit(Int(s.number)) }
        for c in 0..<2 { allocatableMask[c] &= ~reservedMask }

        if let sequentialize { prepareSequences(sequentialize) }
        guard prepareStackMaps() else { return false }

        seenStamp = Array(repeating: 0, count: width)
        return true
    }

    /// Asks the sequencer once per parallel copy; replays later use the stored moves.
    mutating func prepareSequences(_ sequentialize: ParallelCopySequencer) {
        sequenceRange = Array(repeating: 0..<0, count: result.edits.count)
        var p = 0
        while p + 1 < editBegin.count {
            let lo = Int(editBegin[p]), hi = Int(editBegin[p + 1])
            if lo < hi {
                let moves = result.edits[lo..<hi].map { (from: $0.from, to: $0.to) }
                let start = sequenceFrom.count
                let point = p % 2 == 0 ? ProgramPoint(before: MInst(p / 2)) : ProgramPoint(after: MInst(p / 2))
                for m in sequentialize(point, moves) {
                    sequenceFrom.append(index(of: m.from))
                    sequenceTo.append(index(of: m.to))
                }
                sequenceRange[lo] = start..<sequenceFrom.count
            }
            p += 1
        }
    }

    // MARK: dataflow

    /// Which locations each reachable block may read before writing them (on
    /// some path): the only ones whose entry contents matter. Classic backward
    /// liveness over locations, reading exactly what the transfer functions
    /// read: move sources (and the replayed moves), use operands, and on each
    /// edge the successor's parameter locations.
    mutating func computeLocationLiveness() {
        let n = blocks.count
        var gen = BitMatrix(rows: n, columns: width)
        var kill = gen
        var liveIn = gen
        for b in rpo {
            @inline(__always) func read(_ l: Int32) {
                guard l >= 0 else { return }
                if !kill.contains(Int(l), inRow: b) { gen.insert(Int(l), inRow: b) }
            }
            @inline(__always) func write(_ l: Int32) {
                guard l >= 0 else { return }
                kill.insert(Int(l), inRow: b)
            }
            func copy(_ p: Int) {
                let lo = Int(editBegin[p]), hi = Int(editBegin[p + 1])
                guard lo < hi else { return }
                for e in lo..<hi { read(editFrom[e]) }
                if sequentialize != nil {
                    for m in sequenceRange[lo] { read(sequenceFrom[m]); write(sequenceTo[m]) }
                } else {
                    for e in lo..<hi { write(editTo[e]) }
                }
            }
            for i in blocks[b].instructions {
                copy(2 * i)
                for k in operandRanges[i] where operands[k].kind == .use { read(operandLocation[k]) }
                if mapOf[i] >= 0 {
                    // The map check reads every listed slot's cell.
                    for s in result.safepointMaps[Int(mapOf[i])].slots { read(index(of: .stack(s))) }
                }
                var c = clobbers[i]
                while c != 0 {
                    write(Int32(c.trailingZeroBitCount))
                    c &= c - 1
                }
                for k in operandRanges[i] where operands[k].kind == .def { write(operandLocation[k]) }
                copy(2 * i + 1)
            }
            for s in blocks[b].successors { for l in paramLocation[s.int] { read(l) } }
        }
        var out = BitSet(capacity: width)
        var changed = true
        while changed {
            changed = false
            for b in rpo.reversed() {
                out.removeAll()
                for s in blocks[b].successors {
                    out.formUnion(row: s.int, of: liveIn)
                    for l in paramLocation[s.int] { out.insert(Int(l)) }
                }
                if liveIn.setRow(b, gen: gen, plus: out, minus: kill) { changed = true }
            }
        }
        liveInStart = Array(repeating: 0, count: n + 1)
        for b in 0..<n {
            liveIn.forEach(inRow: b) { l in liveInLocations.append(Int32(l)) }
            liveInStart[b + 1] = Int32(liveInLocations.count)
        }
        entryValues = Array(repeating: conflict, count: liveInLocations.count)
    }

    mutating func solve() {
        guard !blocks.isEmpty else { return }
        rpo = BlockOrder(MachineBlockGraph(blocks: blocks)).reversePostorder.map(\.int)
        computeLocationLiveness()
        let n = blocks.count
        reached = Array(repeating: false, count: n)
        dirty = Array(repeating: false, count: n)
        state = Array(repeating: uninitialized, count: width)
        validStamp = Array(repeating: 0, count: width)
        // Function entry: nothing is known except the entry block's parameters (given by the caller).
        generation += 1
        for (k, l) in paramLocation[0].enumerated() where l >= 0 { write(l, Int32(blocks[0].params[k].index)) }
        meet(into: 0)
        var again = true
        while again {
            again = false
            for b in rpo where dirty[b] {
                again = true
                dirty[b] = false
                loadEntryState(b)
                run(block: b)
            }
        }
    }

    /// Starts a new state holding block `b`'s entry contents (other locations read as uninitialized).
    mutating func loadEntryState(_ b: Int) {
        generation += 1
        for j in Int(liveInStart[b])..<Int(liveInStart[b + 1]) {
            let l = Int(liveInLocations[j])
            state[l] = entryValues[j]
            validStamp[l] = generation
        }
    }

    @inline(__always) func read(_ l: Int32) -> Int32 {
        validStamp[Int(l)] == generation ? state[Int(l)] : uninitialized
    }

    @inline(__always) mutating func write(_ l: Int32, _ x: Int32) {
        state[Int(l)] = x
        validStamp[Int(l)] = generation
    }

    /// Meets the current state into block `b`'s entry state (its live-in
    /// locations only); marks `b` for another visit if it fell.
    mutating func meet(into b: Int) {
        let range = Int(liveInStart[b])..<Int(liveInStart[b + 1])
        if !reached[b] {
            reached[b] = true
            dirty[b] = true
            for j in range { entryValues[j] = read(liveInLocations[j]) }
            return
        }
        var fell = false
        for j in range {
            let x = entryValues[j]
            if x != conflict && x != read(liveInLocations[j]) {
                entryValues[j] = conflict
                fell = true
            }
        }
        if fell { dirty[b] = true }
    }

    /// The transfer function of a whole block, then its out-edges.
    mutating func run(block b: Int) {
        currentBlock = b
        let blk = blocks[b]
        for i in blk.instructions {
            applyCopy(atPoint: 2 * i)
            if reporting {
                checkOperands(i)
                if isSafepoint[i] { checkStackMap(i) }
            }
            var m = clobbers[i]
            while m != 0 {
                let r = m.trailingZeroBitCount
                m &= m - 1
                write(Int32(r), clobberedBase - Int32(clamping: min(i, instructionLimit)))
            }
            if isSafepoint[i] { invalidateReferenceCopies(i) }
            for k in operandRanges[i] where operands[k].kind == .def {
                let l = operandLocation[k]
                if l >= 0 { write(l, Int32(operands[k].vreg.index)) }
            }
            applyCopy(atPoint: 2 * i + 1)
        }
        let terminator = blk.instructions.isEmpty ? nil : blk.instructions.upperBound - 1
        for (e, s) in blk.successors.enumerated() {
            let succ = s.int
            let params = blocks[succ].params
            if params.isEmpty {
                if !reporting { meet(into: succ) }
                continue
            }
            // The edge defines the parameters in their locations: write them, meet, restore.
            let args = blk.branchArguments[e]
            saved.removeAll(keepingCapacity: true)
            for k in params.indices {
                let l = paramLocation[succ][k]
                guard l >= 0 else { continue }
                let held = read(l)
                if reporting && held != Int32(args[k].index) {
                    fail(.branchArgumentMisplaced(successor: s, param: k, vreg: args[k],
                                                  location: result.blockParamLocations[succ][k],
                                                  found: content(held)),
                         block: b, inst: terminator, point: terminator.map { ProgramPoint(before: MInst($0)) })
                }
                saved.append((l, held, validStamp[Int(l)]))
            }
            if !reporting {
                for k in params.indices where paramLocation[succ][k] >= 0 {
                    write(paramLocation[succ][k], Int32(params[k].index))
                }
                meet(into: succ)
                for (l, x, stampWas) in saved.reversed() {
                    state[Int(l)] = x
                    validStamp[Int(l)] = stampWas
                }
            }
        }
    }

    /// The parallel copy at raw program point `p` (or its sequentialization).
    mutating func applyCopy(atPoint p: Int) {
        let lo = Int(editBegin[p]), hi = Int(editBegin[p + 1])
        guard lo < hi else { return }
        if reporting { checkCopy(lo..<hi) }
        if sequentialize != nil {
            for m in sequenceRange[lo] {
                let from = sequenceFrom[m], to = sequenceTo[m]
                if to >= 0 { write(to, from >= 0 ? read(from) : uninitialized) }
            }
            if reporting {
                for e in lo..<hi where editTo[e] >= 0 && read(editTo[e]) != Int32(result.edits[e].vreg.index) {
                    fail(.copyLeftWrongValue(result.edits[e], found: content(read(editTo[e]))),
                         block: currentBlock, inst: result.edits[e].point.inst.int, point: result.edits[e].point)
                }
            }
            return
        }
        copyBuffer.removeAll(keepingCapacity: true)
        for e in lo..<hi { copyBuffer.append(editFrom[e] >= 0 ? read(editFrom[e]) : uninitialized) }
        for e in lo..<hi where editTo[e] >= 0 { write(editTo[e], copyBuffer[e - lo]) }
    }

    /// A location that holds `v` now, if any (for reports).
    func locationHolding(_ v: VReg) -> Location? {
        for l in 0..<width where validStamp[l] == generation && state[l] == Int32(v.index) {
            return location(ofIndex: l)
        }
        return nil
    }

    // MARK: checks (reporting pass)

    mutating func report() {
        guard !blocks.isEmpty else { return }
        reporting = true
        for b in blocks.indices {
            checkParameters(b)
            guard reached[b] else { continue }
            loadEntryState(b)
            run(block: b)
        }
        let missing = written & registers.calleeSaved.bits & ~result.usedCalleeSaved.bits
        for r in RegSet(bits: missing) { fail(.calleeSavedNotRecorded(r)) }
    }

    mutating func checkParameters(_ b: Int) {
        stamp += 1
        for (k, l) in paramLocation[b].enumerated() {
            let loc = result.blockParamLocations[b][k]
            if l < 0 || classOf(loc) != vregClasses[blocks[b].params[k].int] {
                fail(.malformedResult("parameter \(k) of \(MBlock(b)) has invalid location \(loc)"), block: b)
                continue
            }
            if seenStamp[Int(l)] == stamp { fail(.parametersShareLocation(param: k, location: loc), block: b) }
            seenStamp[Int(l)] = stamp
        }
    }

    /// Shape of one parallel copy and the values its moves read.
    mutating func checkCopy(_ edits: Range<Int>) {
        stamp += 1
        for e in edits {
            let edit = result.edits[e]
            let at = edit.point
            let from = editFrom[e], to = editTo[e]
            let cls = vregClasses[edit.vreg.int]
            if from < 0 || to < 0 || classOf(edit.from) != cls || classOf(edit.to) != cls {
                fail(.invalidEdit(edit), block: currentBlock, inst: at.inst.int, point: at)
                continue
            }
            if at.isAfter && at.inst.int < isTerminator.count && isTerminator[at.inst.int] {
                fail(.editAfterTerminator(edit), block: currentBlock, inst: at.inst.int, point: at)
            }
            if (from < registerCount && reservedMask & bit(Int(from)) != 0)
                || (to < registerCount && reservedMask & bit(Int(to)) != 0) {
                fail(.editTouchesReservedRegister(edit), block: currentBlock, inst: at.inst.int, point: at)
            }
            if seenStamp[Int(to)] == stamp {
                fail(.duplicateCopyDestination(edit), block: currentBlock, inst: at.inst.int, point: at)
            }
            seenStamp[Int(to)] = stamp
            if to < registerCount { written |= bit(Int(to)) }
            if read(from) != Int32(edit.vreg.index) {
                fail(.editReadsWrongValue(edit, found: content(read(from))),
                     block: currentBlock, inst: at.inst.int, point: at)
            }
        }
        if sequentialize != nil {
            for m in sequenceRange[edits.lowerBound] where sequenceTo[m] >= 0 && sequenceTo[m] < registerCount {
                written |= bit(Int(sequenceTo[m]))
            }
        }
    }

    /// Constraints and values of instruction `i`'s operands, in the state just before it.
    mutating func checkOperands(_ i: Int) {
        let range = operandRanges[i]
        let clobber = clobbers[i]
        let point = ProgramPoint(before: MInst(i))
        var useRegs: UInt64 = 0, defRegs: UInt64 = 0
        func fail(_ kind: AllocationCheckError.Kind, _ c: inout AllocationChecker) {
            c.fail(kind, block: c.currentBlock, inst: i, point: point)
        }
        for k in range {
            let op = operands[k]
            let n = k - range.lowerBound
            let v = op.vreg
            let loc = result.operandLocations[k]
            guard case .reg(let r) = loc, Int(r.number) < registerCount, Int(r.number) < registers.classes.count else {
                fail(.operandNotInRegister(operand: n, vreg: v, location: loc), &self)
                continue
            }
            let rb = bit(Int(r.number))
            let cls = vregClasses[v.int]
            if registers.regClass(r) != cls { fail(.wrongRegisterClass(operand: n, vreg: v, location: loc), &self) }
            switch op.constraint {
            case .fixed(let p):
                if p != r { fail(.fixedConstraintViolated(operand: n, vreg: v, required: p, location: loc), &self) }
            case .reg:
                if allocatableMask[Int(cls.rawValue)] & rb == 0 {
                    fail(.reservedRegister(operand: n, vreg: v, register: r), &self)
                }
            case .reuse(let t):
                if t < 0 || t >= range.count || result.operandLocations[range.lowerBound + t] != loc
                    || operands[range.lowerBound + t].kind != .use {
                    fail(.reuseConstraintViolated(operand: n, vreg: v, reused: t, location: loc), &self)
                }
            }
            if op.kind == .use {
                useRegs |= rb
                let held = read(Int32(r.number))
                if held != Int32(v.index) {
                    let elsewhere = locationHolding(v)
                    fail(.useReadsWrongValue(operand: n, vreg: v, location: loc, found: content(held),
                                             elsewhere: elsewhere), &self)
                }
                if op.position == .late && clobber & rb != 0 {
                    fail(.lateUseClobbered(operand: n, vreg: v, register: r), &self)
                }
            } else {
                if defRegs & rb != 0 { fail(.defsShareRegister(operand: n, vreg: v, register: r), &self) }
                defRegs |= rb
                written |= rb
                if op.position == .early && clobber & rb != 0 {
                    fail(.earlyDefClobbered(operand: n, vreg: v, register: r), &self)
                }
            }
        }
        // Early defs are written before the uses are read; late uses are read after the defs are written.
        for k in range {
            let op = operands[k]
            guard case .reg(let r) = result.operandLocations[k], Int(r.number) < registerCount else { continue }
            let rb = bit(Int(r.number))
            if op.kind == .def && op.position == .early && useRegs & rb != 0 {
                fail(.earlyDefOverlapsUse(operand: k - range.lowerBound, vreg: op.vreg, register: r), &self)
            }
            if op.kind == .use && op.position == .late && defRegs & rb != 0 {
                fail(.lateUseOverlapsDef(operand: k - range.lowerBound, vreg: op.vreg, register: r), &self)
            }
        }
    }
}
