// Register allocation for a `MachineFunction`.
//
// Expects: a function satisfying the invariants listed in MachineFunction.swift
// (SSA vregs, terminators last, no critical edges, block parameters only on
// blocks whose predecessors end in an unconditional jump). Predecessors are
// recomputed from `successors`, so a stale `predecessors` field is harmless.
// Violations are reported as `AllocationError`, never a crash.
//
// Guarantees: every operand of a reachable block gets a register satisfying
// its constraint (fixed register, reuse of a use's register, early defs
// apart from uses, late uses apart from defs); a value live across an
// instruction never sits in a register that instruction clobbers or
// defines; every block parameter has one entry location, filled by one
// parallel copy just before each predecessor's jump; all inserted moves at
// one program point form one parallel copy (sources read before any
// destination is written). Operands of unreachable blocks get an arbitrary
// register of their class and no moves (the emitter drops such blocks).
// A reference (`referenceVRegs`) live across a safepoint is in no register
// after it: it is in its spill slot when the call happens (stored before it
// if need be) and reloaded at its next use, since the collector may move
// the object and update only the slot; `safepointMaps` lists those slots
// (StackMaps.swift).
//
// Algorithm: a local, forward, per-block allocator with block-boundary
// conventions, in the spirit of "second-chance" local allocation and QBE's
// rega: blocks are visited in reverse postorder; a block with one
// predecessor starts in that predecessor's exit state; a join block's entry
// state (its convention) is fixed when the first predecessor is processed:
// the values entering it (live-ins and parameters) are ranked by their first
// use in the join, the nearest ones (as many as there are registers) get
// registers — live-ins keep the one they had there, parameters take their
// argument's when free — the rest start in their spill slots; every other
// predecessor reconciles with it by a parallel copy before its jump (which solves the
// swap and lost-copy problems by construction). Within a block each
// instruction gets one parallel copy before it, computed as the difference
// between the register contents before and the contents it needs: fixed
// uses first, then live-through values keep their register unless it is
// clobbered/defined/needed (else they move to a free register, callee-saved
// preferred, or go to their spill slot), then free uses, then defs. When
// registers run out, the value whose next use is farthest is spilled
// (Belady's MIN heuristic, as in Braun & Hack 2009; past the block, values
// the current loop reads count as nearer than those it does not, and at a
// call the nearest displaced values get the callee-saved registers first).
// Each vreg has at most
// one spill slot, stored at most once per path (SSA values never change).
// Hints coalesce copies: a def prefers the register of its first fixed use
// and the register of the block parameter it is passed to (a decided
// convention's register flows back through chains of undecided joins, so a
// loop's inner merges agree with its header); free registers are chosen
// caller-saved first for values not live across a call and callee-saved
// first for values that are, and a join's convention moves such a value out
// of a caller-saved register when a callee-saved one is free; a def whose
// hint (a call's argument register) holds a value that crosses a call takes
// it, that value moving to a free callee-saved register at once instead of
// at the call. A value loaded into a fixed register for a use stays known
// there afterwards.
//
// Loops and joins: control flow comes from KeelAnalysis through the machine
// function's `ControlFlowGraph` conformance: the reverse postorder
// (`BlockOrder`) and the natural loops (`LoopNest`). At a loop header,
// values live into the loop that no block of it reads rank after those it
// does, and if the loop holds a call they start in their slots (one store
// before the loop instead of a save and restore around the call on every
// iteration). At other joins, a value the deciding predecessor holds only
// in its slot and the join does not read stays in the slot (no reloads on
// edges for a use that may be far away).
//
// Cost: liveness is a bit-vector fixed point over blocks, with bits only for
// vregs that cross a block boundary; the rest is linear in operands plus,
// per block, the live-in set, and per loop the union of its blocks' use
// sets; arrays are indexed by vreg, operand and
// register (64-bit masks) only. Spill slots are one per spilled vreg; the
// frame layout shares their memory by liveness.
//
// Representation (measured with callgrind on cproc's IL): the working state
// lives in `FixedBuffer`s allocated once per function (element writes cost
// no Array uniqueness check), the liveness sets of all blocks in one
// `BitMatrix` each (rows updated whole, read in place), the predecessors in
// the `BlockOrder`'s flat edge table, and per-block exit states in flat
// pools; a block's exit state and a join's convention carry a register mask
// so that loops visit only the registers in use.
import KeelAnalysis
import KeelIR

/// Inlinable so that the caller specializes it for its payload type: the
/// allocator proper is not generic, and generic code would look up the
/// instruction type's metadata on every access.
@inlinable
public func allocateRegisters<P>(_ f: MachineFunction<P>, registers: RegisterFile) throws(AllocationError)
    -> AllocationResult
{
    var instructions: [AllocatorInstruction] = []
    instructions.reserveCapacity(f.instructions.count)
    for i in f.instructions {
        instructions.append(AllocatorInstruction(operandRange: i.operandRange, clobbers: i.clobbers,
                                                 isTerminator: i.isTerminator, isSafepoint: i.isSafepoint))
    }
    var isReference = [Bool](repeating: false, count: f.vregClasses.count)
    for v in f.referenceVRegs where v.int < isReference.count { isReference[v.int] = true }
    let order = BlockOrder(f)
    return try allocateRegisters(blocks: f.blocks, instructions: instructions, operands: f.operands,
                                 vregClasses: f.vregClasses, isReference: isReference, registers: registers,
                                 order: order, loops: loopNest(order))
}

@usableFromInline
func allocateRegisters(blocks: [MachineBlock], instructions: [AllocatorInstruction], operands: [MachineOperand],
                       vregClasses: [RegClass], isReference: [Bool], registers: RegisterFile, order: BlockOrder,
                       loops: LoopNest?) throws(AllocationError) -> AllocationResult {
    var a = RegisterAllocator(blocks: blocks, instructions: instructions, operands: operands,
                              vregClasses: vregClasses, isReference: isReference, registers: registers,
                              order: order, loops: loops)
    defer { a.deallocateBuffers() }
    try a.validate()
    a.computeLiveness()
    try a.run()
    return a.result()
}

private let noVReg: Int32 = -1
private let farAway: Int32 = .max

@inline(__always) private func bit(_ r: Int) -> UInt64 { 1 << UInt64(r) }

/// An instruction as the allocator sees it (the payload is irrelevant to it,
/// so the allocator itself is not generic).
@usableFromInline
struct AllocatorInstruction {
    var operandRange: Range<Int>
    var clobbers: RegSet
    var isTerminator: Bool
    var isSafepoint: Bool
    var operandCount: Int { operandRange.count }

    @usableFromInline
    init(operandRange: Range<Int>, clobbers: RegSet, isTerminator: Bool, isSafepoint: Bool) {
        self.operandRange = operandRange
        self.clobbers = clobbers
        self.isTerminator = isTerminator
        self.isSafepoint = isSafepoint
    }
}

struct RegisterAllocator {
    let blocks: [MachineBlock]
    let instructions: [AllocatorInstruction]
    let operands: [MachineOperand]
    let vregClasses: [RegClass]
    /// Per vreg: a reference (class `r`), kept in no register across a safepoint.
    let isReference: [Bool]
    let file: RegisterFile
    let vregCount: Int
    /// Allocatable registers per class (index = RegClass.rawValue), in preference order.
    var classRegs: [[Int]] = [[], []]
    var classMask: [UInt64] = [0, 0]
    let callerSaved: UInt64

    // Control flow and liveness.
    /// Reverse postorder, reachability and predecessors (one entry per edge,
    /// recomputed from the successors) of the blocks.
    let order: BlockOrder
    /// The natural loops (nil when there are none): a loop header's
    /// convention keeps out of registers the values its loop never reads.
    let loops: LoopNest?
    /// Per block: the index in `loops` of the loop it heads, or -1.
    var headedLoop: FixedBuffer<Int32>
    /// Per loop: the globals read inside it (upward-exposed uses and branch
    /// arguments of its blocks), column `g` for `globals[g]`.
    var loopUses = BitMatrix(rows: 0, columns: 0)
    /// The innermost loop of the block being allocated, or -1.
    var currentLoop = -1
    /// Per loop: whether one of its instructions clobbers registers (a call).
    var loopHasCall: [Bool] = []
    /// Per vreg: the block it is a parameter of and its index there, or -1.
    var paramBlock: FixedBuffer<Int32>
    var paramIndex: FixedBuffer<Int32>
    /// Live-in and live-out sets of all blocks, one row per block, column `g`
    /// for `globals[g]`.
    var liveIn = BitMatrix(rows: 0, columns: 0)
    var liveOut = BitMatrix(rows: 0, columns: 0)
    var crossesCall: FixedBuffer<Bool>
    /// Dense numbering of the vregs that are live across some block boundary.
    var globalIndex: FixedBuffer<Int32>
    var globals: [Int32] = []
    var liveStamp: FixedBuffer<Int32>
    var firstUse: FixedBuffer<Int32>
    var stamp: Int32 = 0

    // Per operand.
    var isReuseTarget: FixedBuffer<Bool>
    /// For a reuse target: the vreg of the def that reuses its register.
    var reuseDef: FixedBuffer<Int32>
    /// Use: the vreg is not live after the instruction. Def: the value is never used.
    var dies: FixedBuffer<Bool>
    /// The next instruction (in this block) reading the operand's vreg after it, or `farAway`.
    var nextUse: FixedBuffer<Int32>
    var operandLocations: [Location]

    // Per vreg.
    var hint: FixedBuffer<Int8>
    var regOf: FixedBuffer<Int8>
    var slotValid: FixedBuffer<Bool>
    var slotOf: FixedBuffer<Int32>
    var nextUseOf: FixedBuffer<Int32>
    var home: FixedBuffer<Int8>
    var killedAt: FixedBuffer<Int32>

    // Register contents now (vreg or -1) and which registers hold something.
    var contents = FixedBuffer<Int32>(repeating: noVReg, count: 64)
    var occupied: UInt64 = 0
    /// Contents the current instruction needs, valid for registers in `pinned | homes`.
    var wanted = FixedBuffer<Int32>(repeating: noVReg, count: 64)
    /// Per-instruction work lists: values displaced from their register (at most
    /// one per register) and use operands still to place (at most all operands).
    var displaced = FixedBuffer<Int32>(repeating: 0, count: 64)
    var pending: FixedBuffer<Int32>

    // Per block.
    var convention: [[Int32]?]
    /// Live-ins a join's convention keeps in registers whose slot also holds
    /// them on entry (every predecessor stores them if it has not): a value
    /// spilled once before a loop is not stored again inside it.
    var conventionSlotValid: [[Int32]]
    var paramLocations: [[Location]]
    /// Register contents at the end of each processed block, 64 per block.
    var exitContents: FixedBuffer<Int32>
    /// The registers holding something at the end of each processed block.
    var exitOccupied: FixedBuffer<UInt64>
    var exited: FixedBuffer<Bool>
    /// The registers each decided convention fills.
    var conventionMask: FixedBuffer<UInt64>
    /// Live-out values whose slot holds them at the end of each processed block:
    /// block `b`'s are `exitSlotPool[exitSlotStart[b]..<exitSlotEnd[b]]`.
    var exitSlotPool: [Int32] = []
    var exitSlotStart: FixedBuffer<Int32>
    var exitSlotEnd: FixedBuffer<Int32>

    // Output.
    var edits: [Edit] = []
    var slotClasses: [RegClass] = []
    var written: UInt64 = 0

    init(blocks: [MachineBlock], instructions: [AllocatorInstruction], operands: [MachineOperand],
         vregClasses: [RegClass], isReference: [Bool] = [], registers file: RegisterFile, order: BlockOrder,
         loops: LoopNest?) {
        self.blocks = blocks
        self.isReference = isReference.count == vregClasses.count ? isReference
            : Array(repeating: false, count: vregClasses.count)
        self.order = order
        self.loops = loops
        self.instructions = instructions
        self.operands = operands
        self.vregClasses = vregClasses
        self.file = file
        vregCount = vregClasses.count
        var cs: UInt64 = 0
        for c in 0..<min(2, file.allocatableByClass.count) {
            for r in file.allocatableByClass[c] where r.number < 64 && !classRegs[c].contains(Int(r.number)) {
                classRegs[c].append(Int(r.number))
                classMask[c] |= bit(Int(r.number))
            }
        }
        for case let s? in file.scratchByClass where s.number < 64 {
            for c in 0..<2 { classMask[c] &= ~bit(Int(s.number)); classRegs[c].removeAll { $0 == Int(s.number) } }
        }
        cs = file.callerSaved.bits
        callerSaved = cs
        let n = blocks.count
        crossesCall = FixedBuffer(repeating: false, count: vregCount)
        globalIndex = FixedBuffer(repeating: -1, count: vregCount)
        liveStamp = FixedBuffer(repeating: 0, count: vregCount)
        firstUse = FixedBuffer(repeating: 0, count: vregCount)
        let ops = operands.count
        pending = FixedBuffer(repeating: 0, count: instructions.reduce(0) { max($0, $1.operandCount) })
        isReuseTarget = FixedBuffer(repeating: false, count: ops)
        reuseDef = FixedBuffer(repeating: -1, count: ops)
        dies = FixedBuffer(repeating: false, count: ops)
        nextUse = FixedBuffer(repeating: farAway, count: ops)
        operandLocations = Array(repeating: .reg(PReg(0)), count: ops)
        hint = FixedBuffer(repeating: -1, count: vregCount)
        regOf = FixedBuffer(repeating: -1, count: vregCount)
        slotValid = FixedBuffer(repeating: false, count: vregCount)
        slotOf = FixedBuffer(repeating: -1, count: vregCount)
        nextUseOf = FixedBuffer(repeating: farAway, count: vregCount)
        home = FixedBuffer(repeating: -1, count: vregCount)
        killedAt = FixedBuffer(repeating: -1, count: vregCount)
        convention = Array(repeating: nil, count: n)
        headedLoop = FixedBuffer(repeating: -1, count: n)
        paramBlock = FixedBuffer(repeating: -1, count: vregCount)
        paramIndex = FixedBuffer(repeating: -1, count: vregCount)
        for (b, blk) in blocks.enumerated() {
            for (k, p) in blk.params.enumerated() where p.int < vregCount {
                paramBlock[p.int] = Int32(b)
                paramIndex[p.int] = Int32(k)
            }
        }
        conventionSlotValid = Array(repeating: [], count: n)
        paramLocations = blocks.map { b in b.params.map { _ in Location.reg(PReg(0)) } }
        exitContents = FixedBuffer(repeating: noVReg, count: n * 64)
        exited = FixedBuffer(repeating: false, count: n)
        exitOccupied = FixedBuffer(repeating: 0, count: n)
        conventionMask = FixedBuffer(repeating: 0, count: n)
        exitSlotStart = FixedBuffer(repeating: 0, count: n)
        exitSlotEnd = FixedBuffer(repeating: 0, count: n)
    }

    /// Frees the working buffers (once, when the allocation is over).
    func deallocateBuffers() {
        crossesCall.deallocate(); globalIndex.deallocate(); liveStamp.deallocate(); firstUse.deallocate()
        isReuseTarget.deallocate(); reuseDef.deallocate(); dies.deallocate(); nextUse.deallocate()
        hint.deallocate(); regOf.deallocate(); slotValid.deallocate(); slotOf.deallocate()
        nextUseOf.deallocate(); home.deallocate(); killedAt.deallocate()
        contents.deallocate(); wanted.deallocate(); exitContents.deallocate(); exited.deallocate()
        displaced.deallocate(); pending.deallocate(); exitOccupied.deallocate(); conventionMask.deallocate()
        exitSlotStart.deallocate(); exitSlotEnd.deallocate()
        headedLoop.deallocate(); paramBlock.deallocate(); paramIndex.deallocate()
    }

    @inline(__always) func cls(_ v: Int) -> Int { Int(vregClasses[v].rawValue) }

    /// Inlined: called per block and per jump, and as a call it copies the
    /// whole allocator state to pass `self`.
    @inline(__always)
    func needsConvention(_ b: Int) -> Bool {
        let count = order.predecessorCount(of: b)
        return !blocks[b].params.isEmpty || count >= 2 || (b == 0 && count > 0)
    }

    // MARK: validation

    mutating func validate() throws(AllocationError) {
        var classUsed = [false, false]
        for v in 0..<vregCount { classUsed[cls(v)] = true }
        for c in RegClass.allCases where classUsed[Int(c.rawValue)] && classMask[Int(c.rawValue)] == 0 {
            throw .noRegisters(c)
        }
        for (bi, b) in blocks.enumerated() {
            guard !b.instructions.isEmpty, b.instructions.upperBound <= instructions.count,
                  instructions[b.instructions.upperBound - 1].isTerminator else { throw .malformedBlock(MBlock(bi)) }
            for i in b.instructions.dropLast() where instructions[i].isTerminator { throw .malformedBlock(MBlock(bi)) }
            for p in b.params where p.int >= vregCount { throw .useWithoutDefinition(p, MBlock(bi)) }
            var successorsWithoutParams = true
            for s in b.successors where s.int >= blocks.count || !blocks[s.int].params.isEmpty {
                successorsWithoutParams = false
            }
            if b.successors.count != b.branchArguments.count && !(b.branchArguments.isEmpty && successorsWithoutParams) {
                throw .invalidEdge(from: MBlock(bi), to: b.successors.first ?? MBlock(bi))
            }
            for (k, s) in b.successors.enumerated() {
                guard s.int < blocks.count else { throw .invalidEdge(from: MBlock(bi), to: s) }
                let params = blocks[s.int].params
                let args = k < b.branchArguments.count ? b.branchArguments[k] : []
                guard args.count == params.count else { throw .invalidEdge(from: MBlock(bi), to: s) }
                for (a, p) in zip(args, params) where a.int >= vregCount || cls(a.int) != cls(p.int) {
                    throw .invalidEdge(from: MBlock(bi), to: s)
                }
                if needsConvention(s.int) && b.successors.count != 1 { throw .invalidEdge(from: MBlock(bi), to: s) }
            }
            for i in b.instructions {
                let inst = instructions[i]
                let base = inst.operandRange.lowerBound
                for k in inst.operandRange {
                    let op = operands[k]
                    guard op.vreg.int < vregCount else { throw .invalidOperand(MInst(i), operand: k - base) }
                    switch op.constraint {
                    case .reg: break
                    case .fixed(let r):
                        guard Int(r.number) < min(64, file.classes.count),
                              file.classes[Int(r.number)] == vregClasses[op.vreg.int]
                        else { throw .invalidOperand(MInst(i), operand: k - base) }
                        if op.kind == .use && hint[op.vreg.int] < 0 { hint[op.vreg.int] = Int8(r.number) }
                    case .reuse(let t):
                        guard op.kind == .def, t >= 0, t < Int(inst.operandCount) else {
                            throw .invalidReuse(MInst(i), operand: k - base)
                        }
                        let target = operands[base + t]
                        guard target.kind == .use, target.position == .early, !isReuseTarget[base + t],
                              cls(target.vreg.int) == cls(op.vreg.int)
                        else { throw .invalidReuse(MInst(i), operand: k - base) }
                        isReuseTarget[base + t] = true
                        reuseDef[base + t] = Int32(op.vreg.int)
                    }
                }
            }
        }
    }

    // MARK: liveness

    mutating func computeLiveness() {
        let n = blocks.count

        // Only vregs that cross a block boundary get a bit in the liveness sets:
        // those used outside their defining block and all branch arguments.
        var defBlock = [Int32](repeating: -1, count: vregCount)
        for b in 0..<n {
            for p in blocks[b].params { defBlock[p.int] = Int32(b) }
            for i in blocks[b].instructions {
                for k in instructions[i].operandRange where operands[k].kind == .def {
                    defBlock[operands[k].vreg.int] = Int32(b)
                }
            }
        }
        func makeGlobal(_ v: Int) {
            if globalIndex[v] < 0 { globalIndex[v] = Int32(globals.count); globals.append(Int32(v)) }
        }
        for b in 0..<n {
            for i in blocks[b].instructions {
                for k in instructions[i].operandRange where operands[k].kind == .use {
                    let v = operands[k].vreg.int
                    if defBlock[v] != Int32(b) { makeGlobal(v) }
                }
            }
            for args in blocks[b].branchArguments { for a in args { makeGlobal(a.int) } }
        }
        // Per block: gen (read before written), kill (written), and the values
        // its jump passes as branch arguments (live at its end).
        var gen = BitMatrix(rows: n, columns: globals.count)
        var kill = gen
        var passed = gen
        for b in 0..<n {
            let blk = blocks[b]
            for k in 0..<min(blk.successors.count, blk.branchArguments.count) {
                for a in blk.branchArguments[k] { passed.insert(Int(globalIndex[a.int]), inRow: b) }
            }
            for p in blk.params where globalIndex[p.int] >= 0 { kill.insert(Int(globalIndex[p.int]), inRow: b) }
            for i in blk.instructions {
                let r = instructions[i].operandRange
                for k in r where operands[k].kind == .use {
                    let g = Int(globalIndex[operands[k].vreg.int])
                    if g >= 0 && !kill.contains(g, inRow: b) { gen.insert(g, inRow: b) }
                }
                for k in r where operands[k].kind == .def {
                    let g = Int(globalIndex[operands[k].vreg.int])
                    if g >= 0 { kill.insert(g, inRow: b) }
                }
            }
        }
        // Postorder, then the unreachable blocks.
        var sweep: [Int] = []
        sweep.reserveCapacity(n)
        for b in order.postorder { sweep.append(b.int) }
        for b in 0..<n where !order.isReachable(BlockID(b)) { sweep.append(b) }
        var liveIn = gen
        var liveOut = BitMatrix(rows: n, columns: globals.count)
        var out = BitSet(capacity: globals.count)
        var changed = true
        while changed {
            changed = false
            for b in sweep {
                out.setToRow(b, of: passed)
                for k in 0..<order.successorCount(of: b) { out.formUnion(row: order.successor(k, of: b), of: liveIn) }
                if !liveOut.row(b, equals: out) {
                    liveOut.setRow(b, to: out)
                    if liveIn.setRow(b, gen: gen, plus: out, minus: kill) { changed = true }
                }
            }
        }
        self.liveIn = liveIn
        self.liveOut = liveOut

        // What each loop reads: a value live into a loop's header that the
        // loop never reads is only passed through it.
        if let loops {
            loopUses = BitMatrix(rows: loops.loops.count, columns: globals.count)
            loopHasCall = Array(repeating: false, count: loops.loops.count)
            for (l, loop) in loops.loops.enumerated() {
                headedLoop[loop.header.int] = Int32(l)
                var hasCall = false
                for k in -1..<loop.blocks.count {
                    let b = k < 0 ? loop.header.int : loop.blocks[k].int
                    _ = loopUses.formUnion(row: l, with: gen, row: b)
                    _ = loopUses.formUnion(row: l, with: passed, row: b)
                    if !hasCall {
                        for i in blocks[b].instructions where !instructions[i].clobbers.isEmpty { hasCall = true; break }
                    }
                }
                loopHasCall[l] = hasCall
            }
        }

        // Values live across a clobbering instruction prefer callee-saved registers.
        // Backward per block: a value crosses a call if more calls lie below its
        // definition (or the block top) than below its last use.
        for b in 0..<n {
            var hasCall = false
            for i in blocks[b].instructions where !instructions[i].clobbers.isEmpty { hasCall = true; break }
            if !hasCall { continue }
            stamp += 1
            // References are kept in no register across a safepoint, so only
            // the other calls make a callee-saved register worth it for them.
            var calls: Int32 = 0, plainCalls: Int32 = 0
            let isReference = self.isReference
            @inline(__always) func count(_ v: Int) -> Int32 { isReference[v] ? plainCalls : calls }
            liveOut.forEach(inRow: b) { g in let v = Int(globals[g]); liveStamp[v] = stamp; nextUseOf[v] = 0 }
            for i in blocks[b].instructions.reversed() {
                let inst = instructions[i]
                for k in inst.operandRange where operands[k].kind == .def {
                    let v = operands[k].vreg.int
                    if liveStamp[v] == stamp && count(v) > nextUseOf[v] { crossesCall[v] = true }
                    liveStamp[v] = 0
                }
                if !inst.clobbers.isEmpty {
                    calls += 1
                    if !inst.isSafepoint { plainCalls += 1 }
                }
                for k in inst.operandRange where operands[k].kind == .use {
                    let v = operands[k].vreg.int
                    if liveStamp[v] != stamp { liveStamp[v] = stamp; nextUseOf[v] = count(v) }
                }
            }
            for p in blocks[b].params where liveStamp[p.int] == stamp && count(p.int) > nextUseOf[p.int] {
                crossesCall[p.int] = true
            }
            liveIn.forEach(inRow: b) { g in
                let v = Int(globals[g])
                if count(v) > nextUseOf[v] { crossesCall[v] = true }
            }
        }
    }

    /// Fills `dies` and `nextUse` for the operands of `b`, and leaves in
    /// `nextUseOf` each live-in value's first use in the block (-1 for a dead parameter).
    mutating func scanBackward(_ b: Int) {
        stamp += 1
        liveOut.forEach(inRow: b) { g in let v = Int(globals[g]); liveStamp[v] = stamp; nextUseOf[v] = farAway }
        for i in blocks[b].instructions.reversed() {
            let r = instructions[i].operandRange
            for k in r where operands[k].kind == .def {
                let v = operands[k].vreg.int
                dies[k] = liveStamp[v] != stamp
                nextUse[k] = dies[k] ? farAway : nextUseOf[v]
                liveStamp[v] = 0
            }
            for k in r where operands[k].kind == .use {
                let v = operands[k].vreg.int
                dies[k] = liveStamp[v] != stamp
                nextUse[k] = dies[k] ? farAway : nextUseOf[v]
            }
            for k in r where operands[k].kind == .use {
                let v = operands[k].vreg.int
                liveStamp[v] = stamp
                nextUseOf[v] = Int32(i)
            }
        }
        for p in blocks[b].params where liveStamp[p.int] != stamp { nextUseOf[p.int] = -1 }
    }

    func isLiveIn(_ b: Int, _ v: Int) -> Bool {
        let g = Int(globalIndex[v])
        return g >= 0 && liveIn.contains(g, inRow: b)
    }

    // MARK: helpers

    mutating func slot(_ v: Int) -> SpillSlot {
        if slotOf[v] < 0 {
            slotOf[v] = Int32(slotClasses.count)
            slotClasses.append(vregClasses[v])
        }
        return SpillSlot(Int(slotOf[v]))
    }

    /// For late def `v`: its hint, when a live-through value that crosses a
    /// call sits there in a caller-saved register, and a free callee-saved
    /// register to move that value to (`busy`: taken registers; `blocked`:
    /// registers the def may not take).
    func hintHeldByCallCrosser(_ v: Int, homes: UInt64, busy: UInt64, blocked: UInt64)
        -> (hint: Int, calleeSaved: Int)? {
        let h = Int(hint[v])
        guard h >= 0, classMask[cls(v)] & bit(h) != 0, homes & bit(h) != 0, blocked & bit(h) == 0,
              callerSaved & bit(h) != 0 else { return nil }
        let w = Int(wanted[h])
        guard crossesCall[w], cls(w) == cls(v) else { return nil }
        let free = classMask[cls(w)] & ~callerSaved & ~busy
        guard free != 0, let c = choose(free, for: w) else { return nil }
        return (h, c)
    }

    /// Belady's distance of `v` for eviction: its next use in this block;
    /// past the block, a value the current loop reads ranks nearer than
    /// one it does not (spilling that one costs nothing in the loop).
    @inline(__always) func evictionDistance(_ v: Int) -> Int32 {
        let d = nextUseOf[v]
        guard d == farAway, currentLoop >= 0 else { return d }
        let g = Int(globalIndex[v])
        return g >= 0 && loopUses.contains(g, inRow: currentLoop) ? farAway - 1 : farAway
    }

    /// Gives `v` the hint `r`, and passes it on to the arguments of `v`
    /// where `v` is a parameter of a join not decided yet: a chain of joins
    /// (a loop's inner merges) agrees on the register its loop header chose.
    /// The latest decision wins over older hints: it is the nearest one.
    mutating func propagateHint(_ v: Int, _ r: Int) {
        var work = [v]
        while let x = work.popLast() {
            guard hint[x] != Int8(r), classMask[cls(x)] & bit(r) != 0 else { continue }
            hint[x] = Int8(r)
            let j = Int(paramBlock[x])
            guard j >= 0, convention[j] == nil else { continue }
            let k = Int(paramIndex[x])
            for e in 0..<order.predecessorCount(of: j) {
                let qb = blocks[order.predecessor(e, of: j)]
                guard let s = qb.successors.firstIndex(of: MBlock(j)), s < qb.branchArguments.count,
                      k < qb.branchArguments[s].count else { continue }
                work.append(qb.branchArguments[s][k].int)
            }
        }
    }

    /// A free register for `v` among `candidates`: its hint, else the first in
    /// preference order of the kind (caller/callee-saved) that suits it.
    func choose(_ candidates: UInt64, for v: Int) -> Int? {
        if candidates == 0 { return nil }
        let h = Int(hint[v])
        let preferred = crossesCall[v] ? candidates & ~callerSaved : candidates & callerSaved
        // A value live across a call would leave a caller-saved register at
        // the call anyway: its hint yields to a free callee-saved one.
        if h >= 0 && candidates & bit(h) != 0 && (preferred & bit(h) != 0 || !crossesCall[v] || preferred == 0) {
            return h
        }
        let set = preferred != 0 ? preferred : candidates
        for r in classRegs[cls(v)] where set & bit(r) != 0 { return r }
        return nil
    }

    mutating func emit(_ point: ProgramPoint, from: Location, to: Location, _ v: Int) {
        if case .reg(let r) = to { written |= bit(Int(r.number)) }
        edits.append(Edit(at: point, from: from, to: to, vreg: VReg(v)))
    }

    /// Where `v` is now: its register, or its slot if that holds it.
    mutating func currentLocation(_ v: Int, _ b: Int) throws(AllocationError) -> Location {
        if regOf[v] >= 0 { return .reg(PReg(Int(regOf[v]))) }
        guard slotValid[v] else { throw .useWithoutDefinition(VReg(v), MBlock(b)) }
        return .stack(slot(v))
    }

    mutating func clearState() {
        var m = occupied
        while m != 0 {
            let r = m.trailingZeroBitCount
            m &= m - 1
            regOf[Int(contents[r])] = -1
            contents[r] = noVReg
        }
        occupied = 0
    }

    mutating func place(_ v: Int, _ r: Int) {
        contents[r] = Int32(v)
        regOf[v] = Int8(r)
        occupied |= bit(r)
    }

    // MARK: the walk

    mutating func run() throws(AllocationError) {
        for block in order.reversePostorder {
            let b = block.int
            scanBackward(b)
            currentLoop = loops?.innermostLoop(block) ?? -1
            try enterBlock(b)
            let blk = blocks[b]
            for i in blk.instructions {
                let inst = instructions[i]
                if inst.isTerminator, blk.successors.count == 1, needsConvention(blk.successors[0].int) {
                    let s = blk.successors[0].int
                    guard inst.operandCount == 0, inst.clobbers.isEmpty else {
                        throw .invalidEdge(from: MBlock(b), to: MBlock(s))
                    }
                    try copyIntoJoin(from: b, to: s, before: i)
                } else {
                    try allocate(i, b)
                }
            }
            var m = occupied
            while m != 0 {
                let r = m.trailingZeroBitCount
                m &= m - 1
                exitContents[b * 64 + r] = contents[r]
            }
            exitOccupied[b] = occupied
            exited[b] = true
            exitSlotStart[b] = Int32(exitSlotPool.count)
            for g in liveOut.row(b) where slotValid[Int(globals[g])] { exitSlotPool.append(globals[g]) }
            exitSlotEnd[b] = Int32(exitSlotPool.count)
        }
        // Unreachable blocks: registers that satisfy the constraints taken one
        // by one (never executed; the emitter may drop them), no moves.
        for b in blocks.indices where !order.isReachable(BlockID(b)) {
            for i in blocks[b].instructions {
                let range = instructions[i].operandRange
                for k in range {
                    let op = operands[k]
                    switch op.constraint {
                    case .fixed(let r): operandLocations[k] = .reg(r)
                    default: operandLocations[k] = .reg(PReg(classRegs[cls(op.vreg.int)].first ?? 0))
                    }
                }
                for k in range {
                    if case .reuse(let t) = operands[k].constraint { operandLocations[k] = operandLocations[range.lowerBound + t] }
                }
            }
            for (k, p) in blocks[b].params.enumerated() {
                paramLocations[b][k] = .reg(PReg(classRegs[cls(p.int)].first ?? 0))
            }
        }
    }

    mutating func enterBlock(_ b: Int) throws(AllocationError) {
        clearState()
        let blk = blocks[b]
        liveIn.forEach(inRow: b) { g in let v = Int(globals[g]); regOf[v] = -1; slotValid[v] = false }
        if needsConvention(b) {
            if convention[b] == nil {
                if let g = liveIn.firstColumn(inRow: b) {
                    throw .useWithoutDefinition(VReg(Int(globals[g])), MBlock(b))
                }
                decideConvention(b, fromPredecessor: nil)
            }
            let conv = convention[b] ?? []
            var m = conventionMask[b]
            while m != 0 {
                let r = m.trailingZeroBitCount
                m &= m - 1
                place(Int(conv[r]), r)
            }
            liveIn.forEach(inRow: b) { g in if regOf[Int(globals[g])] < 0 { slotValid[Int(globals[g])] = true } }
            for v in conventionSlotValid[b] { slotValid[Int(v)] = true }
            for p in blk.params {
                let v = p.int
                if regOf[v] < 0 { slotValid[v] = true } else { slotValid[v] = false }
                if nextUseOf[v] < 0 {  // dead parameter: free its register at once
                    if regOf[v] >= 0 { occupied &= ~bit(Int(regOf[v])); contents[Int(regOf[v])] = noVReg; regOf[v] = -1 }
                }
            }
        } else if order.predecessorCount(of: b) > 0 {
            let p = order.predecessor(0, of: b)
            if exited[p] {
                var m = exitOccupied[p]
                while m != 0 {
                    let r = m.trailingZeroBitCount
                    m &= m - 1
                    let v = Int(exitContents[p * 64 + r])
                    if v >= 0 && isLiveIn(b, v) { place(v, r) }
                }
            }
            for k in Int(exitSlotStart[p])..<Int(exitSlotEnd[p]) where isLiveIn(b, Int(exitSlotPool[k])) {
                slotValid[Int(exitSlotPool[k])] = true
            }
        }
        try liveIn.forEach(inRow: b) { g throws(AllocationError) in
            let v = Int(globals[g])
            if regOf[v] < 0 && !slotValid[v] { throw .useWithoutDefinition(VReg(v), MBlock(b)) }
        }
    }

    /// Fixes join `j`'s entry state from the state at the end of `pred` (or from nothing).
    mutating func decideConvention(_ j: Int, fromPredecessor pred: Int?) {
        var conv = [Int32](repeating: noVReg, count: 64)
        var taken: UInt64 = 0
        let blk = blocks[j]
        var args: [VReg] = []
        if let p = pred, let e = blocks[p].successors.firstIndex(of: MBlock(j)), e < blocks[p].branchArguments.count {
            args = blocks[p].branchArguments[e]
        }
        // Rank the values entering `j` by their first use in it (Belady's MIN at
        // the block boundary): the nearest ones get registers, the rest slots.
        stamp += 1
        var position: Int32 = 0
        for i in blk.instructions {
            for k in instructions[i].operandRange where operands[k].kind == .use {
                let v = operands[k].vreg.int
                if liveStamp[v] != stamp { liveStamp[v] = stamp; firstUse[v] = position }
            }
            position += 1
        }
        for list in blk.branchArguments {
            for a in list where liveStamp[a.int] != stamp { liveStamp[a.int] = stamp; firstUse[a.int] = position }
        }
        // At a loop header, values used somewhere in the loop rank before
        // those the loop only carries through; in a loop that calls, the
        // latter start in their slots (stored once, before the loop) rather
        // than be saved and restored around the call on every iteration.
        let loop = Int(headedLoop[j])
        func distance(_ v: Int) -> Int32 {
            if liveStamp[v] == stamp { return firstUse[v] }
            guard loop >= 0 else { return farAway }
            let g = Int(globalIndex[v])
            if g >= 0 && loopUses.contains(g, inRow: loop) { return farAway - 1 }
            return farAway
        }
        func carriedOverCall(_ v: Int) -> Bool {
            guard loop >= 0, loopHasCall[loop], liveStamp[v] != stamp else { return false }
            let g = Int(globalIndex[v])
            return g < 0 || !loopUses.contains(g, inRow: loop)
        }
        struct Candidate { var v: Int; var param: Int; var distance: Int32; var inRegister: Bool }
        var candidates: [Candidate] = []
        if pred != nil {
            liveIn.forEach(inRow: j) { g in
                let v = Int(globals[g])
                candidates.append(Candidate(v: v, param: -1, distance: distance(v), inRegister: regOf[v] >= 0))
            }
        }
        for (k, p) in blk.params.enumerated() {
            let v = p.int
            candidates.append(Candidate(v: v, param: k, distance: distance(v),
                                        inRegister: k < args.count && regOf[args[k].int] >= 0))
        }
        candidates.sort { a, b in
            a.distance != b.distance ? a.distance < b.distance : (a.inRegister && !b.inRegister)
        }
        var budget = [classRegs[0].count, classRegs[1].count]
        var selected = [Bool](repeating: false, count: candidates.count)
        // A value the deciding predecessor holds only in its slot stays
        // there when the join (at a loop header: the loop) does not read it:
        // no reload on an edge for a use that may be far away.
        for (n, c) in candidates.enumerated() where budget[cls(c.v)] > 0 && !carriedOverCall(c.v) {
            if pred != nil && !c.inRegister && c.distance == farAway { continue }
            budget[cls(c.v)] -= 1
            selected[n] = true
        }
        // Selected live-ins keep their registers, selected parameters take
        // their hint (where a later edge wants them) or their argument's
        // register when free, the other selected values any free one. A
        // value live across a call keeps a caller-saved register only when
        // no callee-saved one is left for it.
        var placed = [Bool](repeating: false, count: candidates.count)
        func put(_ n: Int, _ r: Int) {
            let c = candidates[n]
            conv[r] = Int32(c.v)
            taken |= bit(r)
            if c.param >= 0 { paramLocations[j][c.param] = .reg(PReg(r)) }
            placed[n] = true
        }
        func suits(_ v: Int, _ r: Int) -> Bool {
            taken & bit(r) == 0 && classMask[cls(v)] & bit(r) != 0 && (!crossesCall[v] || callerSaved & bit(r) == 0)
        }
        /// The register `c` is in at the end of `pred`, or -1.
        func current(_ c: Candidate) -> Int {
            if c.param < 0 { return Int(regOf[c.v]) }
            return c.inRegister ? Int(regOf[args[c.param].int]) : -1
        }
        for (n, c) in candidates.enumerated() where selected[n] && c.param < 0 && regOf[c.v] >= 0 {
            if suits(c.v, Int(regOf[c.v])) { put(n, Int(regOf[c.v])) }
        }
        for (n, c) in candidates.enumerated() where selected[n] && c.param >= 0 && !placed[n] {
            let h = Int(hint[c.v])
            if h >= 0 && suits(c.v, h) { put(n, h) }
            else if c.inRegister, suits(c.v, current(c)) { put(n, current(c)) }
        }
        for (n, c) in candidates.enumerated() where selected[n] && !placed[n] {
            let free = classMask[cls(c.v)] & ~taken
            let r = current(c)
            if crossesCall[c.v] && free & ~callerSaved == 0 && r >= 0 && free & bit(r) != 0 { put(n, r) }
            else if let r = choose(free, for: c.v) { put(n, r) }
        }
        // A parameter left in memory shares its argument's slot when the
        // argument is already there and dies on the edge (not live into `j`):
        // no copy on this edge. Sound because the parameter is live only where
        // `j` dominates, and the argument, dead at `j`, is dead there too.
        var sharedSlots: [Int32] = []
        for (n, c) in candidates.enumerated() where !placed[n] {
            guard c.param >= 0 else { _ = slot(c.v); continue }
            if c.param < args.count, slotOf[c.v] < 0 {
                let a = args[c.param].int
                if slotValid[a], slotOf[a] >= 0, !isLiveIn(j, a), !sharedSlots.contains(slotOf[a]) {
                    slotOf[c.v] = slotOf[a]
                    sharedSlots.append(slotOf[a])
                }
            }
            paramLocations[j][c.param] = .stack(slot(c.v))
        }
        convention[j] = conv
        var mask: UInt64 = 0
        for r in 0..<64 where conv[r] >= 0 { mask |= bit(r) }
        conventionMask[j] = mask
        var alsoInSlot: [Int32] = []
        var m = mask
        while m != 0 {
            let r = m.trailingZeroBitCount
            m &= m - 1
            let v = Int(conv[r])
            // At a loop header also a value reloaded on this edge: its slot
            // stays valid around the loop, so nothing in it stores it again.
            if slotValid[v] && (regOf[v] == Int8(r) || loop >= 0) && isLiveIn(j, v) { alsoInSlot.append(Int32(v)) }
        }
        conventionSlotValid[j] = alsoInSlot
        // Later predecessors should compute their arguments where the parameters live.
        for e in 0..<order.predecessorCount(of: j) where order.predecessor(e, of: j) != pred {
            let q = order.predecessor(e, of: j)
            let qb = blocks[q]
            guard let e = qb.successors.firstIndex(of: MBlock(j)), e < qb.branchArguments.count else { continue }
            for (k, a) in qb.branchArguments[e].enumerated() where k < blk.params.count {
                if case .reg(let r) = paramLocations[j][k] { propagateHint(a.int, Int(r.number)) }
            }
        }
    }

    /// The parallel copy on edge `b -> j`, placed just before `b`'s jump.
    mutating func copyIntoJoin(from b: Int, to j: Int, before i: Int) throws(AllocationError) {
        if convention[j] == nil { decideConvention(j, fromPredecessor: b) }
        let conv = convention[j] ?? []
        let point = ProgramPoint(before: MInst(i))
        let blk = blocks[b]
        let args = blk.branchArguments.first ?? []
        let params = blocks[j].params
        // Registers: live-through values and parameters that live in registers.
        let mask = conventionMask[j]
        var cm = mask
        while cm != 0 {
            let r = cm.trailingZeroBitCount
            cm &= cm - 1
            var v = Int(conv[r])
            if let k = params.firstIndex(of: VReg(v)) { v = args[k].int }
            let from = try currentLocation(v, b)
            if from != .reg(PReg(r)) { emit(point, from: from, to: .reg(PReg(r)), v) }
        }
        // Slots: parameters that start in their slot, live-through values kept in theirs.
        for k in params.indices {
            if case .stack(let s) = paramLocations[j][k] {
                let a = args[k].int
                if slotValid[a] && slotOf[a] == Int32(s.index) { continue }  // shared slot, already there
                emit(point, from: try currentLocation(a, b), to: .stack(s), a)
            }
        }
        for v32 in conventionSlotValid[j] where !slotValid[Int(v32)] {
            let v = Int(v32)
            emit(point, from: try currentLocation(v, b), to: .stack(slot(v)), v)
            slotValid[v] = true
        }
        var inRegister: UInt64 = 0  // live-ins the convention keeps in registers, by their register
        cm = mask
        while cm != 0 {
            let r = cm.trailingZeroBitCount
            cm &= cm - 1
            if isLiveIn(j, Int(conv[r])) { inRegister |= bit(r) }
        }
        for g in liveIn.row(j) where !slotValid[Int(globals[g])] {
            let v = Int(globals[g])
            var kept = false
            var m = inRegister
            while m != 0 {
                let r = m.trailingZeroBitCount
                m &= m - 1
                if conv[r] == Int32(v) { kept = true; break }
            }
            if !kept {
                emit(point, from: try currentLocation(v, b), to: .stack(slot(v)), v)
                slotValid[v] = true
            }
        }
    }

    /// Allocates instruction `i`: operand registers, the parallel copy before it, and the state after it.
    mutating func allocate(_ i: Int, _ b: Int) throws(AllocationError) {
        let inst = instructions[i]
        let ops = inst.operandRange
        let mi = MInst(i)
        let clobbers = inst.clobbers.bits
        // At a safepoint the collector may move every object: a reference
        // live across it is kept in its slot only (stored before the call if
        // need be) and reloaded at its next use.
        let safepoint = inst.isSafepoint
        var pinned: UInt64 = 0, pinnedLate: UInt64 = 0, homes: UInt64 = 0
        var fixedDefs: UInt64 = 0, fixedEarlyDefs: UInt64 = 0, reuseRegs: UInt64 = 0, defTaken: UInt64 = 0
        var forbidden = clobbers

        for k in ops where operands[k].kind == .use {
            let v = operands[k].vreg.int
            home[v] = -1
            if dies[k] { killedAt[v] = Int32(i) }
        }
        // 1. Fixed uses.
        for k in ops where operands[k].kind == .use {
            let op = operands[k]
            guard case .fixed(let pr) = op.constraint else { continue }
            let r = Int(pr.number), v = Int32(op.vreg.int)
            if pinned & bit(r) != 0 {
                if wanted[r] != v { throw .conflictingFixedUses(mi, pr) }
            } else {
                wanted[r] = v
                pinned |= bit(r)
            }
            if op.position == .late {
                if clobbers & bit(r) != 0 { throw .fixedDefOverlapsUse(mi, pr) }  // read after the clobber
                pinnedLate |= bit(r)
            }
            if isReuseTarget[k] { forbidden |= bit(r); reuseRegs |= bit(r) }
            operandLocations[k] = .reg(pr)
        }
        // 2. Fixed defs.
        for k in ops where operands[k].kind == .def {
            let op = operands[k]
            guard case .fixed(let pr) = op.constraint else { continue }
            let r = Int(pr.number)
            if (fixedDefs | fixedEarlyDefs) & bit(r) != 0 { throw .conflictingFixedDefs(mi, pr) }
            if op.position == .early {
                if pinned & bit(r) != 0 { throw .fixedDefOverlapsUse(mi, pr) }
                fixedEarlyDefs |= bit(r)
            } else {
                if pinnedLate & bit(r) != 0 { throw .fixedDefOverlapsUse(mi, pr) }
                fixedDefs |= bit(r)
            }
            operandLocations[k] = .reg(pr)
        }
        forbidden |= fixedDefs | fixedEarlyDefs
        // 3. Live-through values keep their registers when they may.
        var displacedCount = 0
        var m = occupied
        while m != 0 {
            let r = m.trailingZeroBitCount
            m &= m - 1
            let w = Int(contents[r])
            if killedAt[w] == Int32(i) { continue }
            if forbidden & bit(r) != 0 || (pinned & bit(r) != 0 && wanted[r] != Int32(w))
                || (safepoint && isReference[w]) {
                home[w] = -1
                displaced[displacedCount] = Int32(w)
                displacedCount += 1
            } else {
                homes |= bit(r)
                wanted[r] = Int32(w)
                home[w] = Int8(r)
            }
        }
        // Nearest next use first: when registers run short at a call, the
        // values the loop reads soonest keep one.
        if displacedCount > 1 {
            for n in 1..<displacedCount {
                let w = displaced[n]
                let d = evictionDistance(Int(w))
                var m = n
                while m > 0 && evictionDistance(Int(displaced[m - 1])) > d {
                    displaced[m] = displaced[m - 1]
                    m -= 1
                }
                displaced[m] = w
            }
        }
        for n in 0..<displacedCount {
            let w = Int(displaced[n])
            if safepoint && isReference[w] { continue }  // to its slot (step 6)
            let preferCallee = clobbers != 0
            var cand = classMask[cls(w)] & ~(pinned | homes | forbidden)
            if preferCallee && cand & ~callerSaved != 0 { cand &= ~callerSaved }
            if let r = choose(cand, for: w) {
                homes |= bit(r)
                wanted[r] = Int32(w)
                home[w] = Int8(r)
            }
        }

        // Takes a register from `candidates`, or evicts (to its slot) the live-through
        // value with the farthest next use among `victims`.
        func take(_ v: Int, _ candidates: UInt64, victims: UInt64, for holder: Int? = nil) throws(AllocationError) -> Int {
            let c = classMask[cls(v)]
            if let r = choose(c & candidates, for: holder ?? v) { return r }
            var best = -1
            var bestDistance: Int32 = -1
            var vm = c & victims & homes
            while vm != 0 {
                let r = vm.trailingZeroBitCount
                vm &= vm - 1
                let d = evictionDistance(Int(wanted[r]))
                if d > bestDistance { bestDistance = d; best = r }
            }
            guard best >= 0 else { throw .tooManyOperands(mi, vregClasses[v]) }
            home[Int(wanted[best])] = -1
            homes &= ~bit(best)
            return best
        }
        func pinnedHolding(_ v: Int, _ mask: UInt64) -> Int? {
            var pm = mask
            while pm != 0 {
                let r = pm.trailingZeroBitCount
                pm &= pm - 1
                if wanted[r] == Int32(v) { return r }
            }
            return nil
        }

        // 4. Uses that may take any register: those already in one first.
        var pendingCount = 0
        for k in ops where operands[k].kind == .use {
            let op = operands[k]
            guard case .reg = op.constraint else { continue }
            if isReuseTarget[k] { pending[pendingCount] = Int32(k); pendingCount += 1; continue }
            let v = op.vreg.int
            var r = -1
            let late = op.position == .late
            if home[v] >= 0 {
                r = Int(home[v])
            } else if let p = pinnedHolding(v, pinned & ~(late ? reuseRegs | clobbers : 0)) {
                r = p
            } else if regOf[v] >= 0, pinned & bit(Int(regOf[v])) == 0, homes & bit(Int(regOf[v])) == 0,
                      fixedEarlyDefs & bit(Int(regOf[v])) == 0, !late || (fixedDefs | clobbers) & bit(Int(regOf[v])) == 0 {
                r = Int(regOf[v])
            }
            if r < 0 { pending[pendingCount] = Int32(k); pendingCount += 1; continue }
            wanted[r] = Int32(v)
            pinned |= bit(r)
            if late { pinnedLate |= bit(r) }
            operandLocations[k] = .reg(PReg(r))
        }
        for n in 0..<pendingCount {
            let k = Int(pending[n])
            let op = operands[k]
            let v = op.vreg.int
            let late = op.position == .late
            var r = -1
            if isReuseTarget[k] {
                if dies[k], regOf[v] >= 0 {
                    let o = Int(regOf[v])
                    let ok = (pinned & bit(o) == 0 || wanted[o] == Int32(v)) && homes & bit(o) == 0
                        && (fixedDefs | fixedEarlyDefs | pinnedLate | reuseRegs) & bit(o) == 0
                    if ok { r = o }
                }
                if r < 0 {
                    // The register ends up holding the def: its hints decide.
                    r = try take(v, ~(pinned | homes | fixedDefs | fixedEarlyDefs | reuseRegs),
                                 victims: ~pinned, for: Int(reuseDef[k]))
                }
                reuseRegs |= bit(r)
                forbidden |= bit(r)
            } else if let p = pinnedHolding(v, pinned & ~(late ? reuseRegs | clobbers : 0)) {
                r = p
            } else {
                r = try take(v, ~(pinned | homes | fixedEarlyDefs | (late ? fixedDefs | clobbers : 0)), victims: ~pinned)
                if !dies[k] && home[v] < 0 && forbidden & bit(r) == 0 && !(safepoint && isReference[v]) {
                    homes |= bit(r)
                    home[v] = Int8(r)
                }
            }
            wanted[r] = Int32(v)
            pinned |= bit(r)
            if late { pinnedLate |= bit(r) }
            operandLocations[k] = .reg(PReg(r))
        }

        // 5. Defs: reuse, then early, then late.
        defTaken = fixedDefs | fixedEarlyDefs
        for k in ops where operands[k].kind == .def {
            guard case .reuse(let t) = operands[k].constraint else { continue }
            guard case .reg(let pr) = operandLocations[ops.lowerBound + t] else { continue }
            let r = Int(pr.number)
            if defTaken & bit(r) != 0 { throw .conflictingFixedDefs(mi, pr) }
            defTaken |= bit(r)
            operandLocations[k] = .reg(pr)
        }
        for pass in 0..<2 {
            let early = pass == 0
            for k in ops where operands[k].kind == .def && (operands[k].position == .early) == early {
                guard case .reg = operands[k].constraint else { continue }
                let v = operands[k].vreg.int
                let r: Int
                if early {
                    r = try take(v, ~(pinned | homes | defTaken | clobbers), victims: ~pinned & ~defTaken)
                } else if let h = hintHeldByCallCrosser(v, homes: homes,
                                                         busy: pinned | homes | defTaken | forbidden | fixedEarlyDefs,
                                                         blocked: defTaken | pinnedLate | reuseRegs | forbidden) {
                    // Its hinted register (an argument register of a call
                    // ahead) holds a value that must leave it for that call
                    // anyway: that value moves to a callee-saved register now.
                    let w = Int(wanted[h.hint])
                    homes = homes & ~bit(h.hint) | bit(h.calleeSaved)
                    wanted[h.calleeSaved] = Int32(w)
                    home[w] = Int8(h.calleeSaved)
                    r = h.hint
                } else {
                    r = try take(v, ~(homes | defTaken | pinnedLate | reuseRegs), victims: ~(pinnedLate | defTaken))
                }
                defTaken |= bit(r)
                operandLocations[k] = .reg(PReg(r))
            }
        }

        // 6. The parallel copy before the instruction.
        let point = ProgramPoint(before: mi)
        var need = pinned | homes
        while need != 0 {
            let r = need.trailingZeroBitCount
            need &= need - 1
            let x = Int(wanted[r])
            if occupied & bit(r) != 0 && contents[r] == Int32(x) { continue }
            emit(point, from: try currentLocation(x, b), to: .reg(PReg(r)), x)
        }
        m = occupied
        while m != 0 {
            let r = m.trailingZeroBitCount
            m &= m - 1
            let w = Int(contents[r])
            if killedAt[w] != Int32(i) && home[w] < 0 && !slotValid[w] {
                emit(point, from: .reg(PReg(r)), to: .stack(slot(w)), w)
                slotValid[w] = true
            }
        }

        // 7. The state after the instruction.
        clearState()
        var hm = homes
        while hm != 0 {
            let r = hm.trailingZeroBitCount
            hm &= hm - 1
            place(Int(wanted[r]), r)
        }
        // A value loaded into a fixed register for this use and live after
        // it is still there unless the instruction writes that register: no
        // reload for its next use (it is in its slot as well).
        let overwritten = clobbers | defTaken
        for k in ops where operands[k].kind == .use && !dies[k] {
            let v = operands[k].vreg.int
            guard regOf[v] < 0, case .reg(let pr) = operandLocations[k], !(safepoint && isReference[v]) else { continue }
            let r = Int(pr.number)
            if (overwritten | occupied) & bit(r) == 0 && classMask[cls(v)] & bit(r) != 0 && slotValid[v] { place(v, r) }
        }
        for k in ops {
            let op = operands[k]
            let v = op.vreg.int
            if op.kind == .use {
                if !dies[k] { nextUseOf[v] = nextUse[k] }
                continue
            }
            guard case .reg(let pr) = operandLocations[k] else { continue }
            written |= bit(Int(pr.number))
            if dies[k] { continue }
            place(v, Int(pr.number))
            slotValid[v] = false
            nextUseOf[v] = nextUse[k]
        }
    }

    func result() -> AllocationResult {
        // Edits are made in program order except around joins; a stable sort
        // by point (original order within a point) is needed only then.
        var inOrder = true
        for k in edits.indices.dropFirst() where edits[k].point < edits[k - 1].point { inOrder = false; break }
        let sorted = inOrder ? edits : edits.enumerated().sorted { a, b in
            a.element.point != b.element.point ? a.element.point < b.element.point : a.offset < b.offset
        }.map(\.element)
        let calleeSaved = file.calleeSaved.bits & written
        var slots = [Int32](repeating: -1, count: vregCount)
        for v in 0..<vregCount { slots[v] = slotOf[v] }
        let maps = safepointMaps(blocks: blocks, instructions: instructions, operands: operands,
                                 isReference: isReference, reachable: order, slotOf: slots)
        return AllocationResult(operandLocations: operandLocations, blockParamLocations: paramLocations,
                                edits: sorted, spillSlotClasses: slotClasses,
                                usedCalleeSaved: RegSet(bits: calleeSaved), safepointMaps: maps)
    }
}

/// A fixed-size buffer of plain values that the allocator owns for one run
/// (`deallocate` frees it). Writing an element costs no uniqueness check,
/// unlike an Array stored in a struct that is mutated in place; indices are
/// bounds-checked like an Array's.
struct FixedBuffer<Element: BitwiseCopyable> {
    let base: UnsafeMutablePointer<Element>
    let count: Int

    init(repeating value: Element, count: Int) {
        self.count = max(count, 0)
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: value, count: self.count)
    }

    @inline(__always) subscript(i: Int) -> Element {
        get {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "index out of range")
            return base[i]
        }
        nonmutating set {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "index out of range")
            base[i] = newValue
        }
    }

    func deallocate() { base.deallocate() }
}
