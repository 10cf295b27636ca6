// Stack maps: for every safepoint, the spill slots holding the references
// live across it (docs/stack-maps.md gives the emitted format).
//
// Expects: a machine function whose safepoint instructions are flagged
// (`MachineInstruction.isSafepoint`), which vregs are references, and the
// spill slot the allocator gave each vreg (-1: none). The allocator keeps no
// reference in a register across a safepoint (RegisterAllocator.swift), so
// a reference live across one is in its slot when the call happens.
//
// Guarantees: one `SafepointMap` per safepoint of a reachable block, in
// instruction order; it lists the slot of every reference live across the
// call (live after it and not defined by it), each slot once, and nothing
// else. A live reference without a slot is left out: the stack-map check
// (StackMapCheck.swift) reports it, the builder does not guess.
//
// Algorithm: backward liveness restricted to reference vregs (few per
// function), a bit-vector fixed point over blocks with block parameters
// defined at block entry and branch arguments used at the end of the
// predecessor, then one backward walk per block that records the live set
// at each safepoint. Target-independent: a target only translates slots to
// frame offsets when it writes the maps.
import KeelAnalysis
import KeelIR

/// The stack map of one safepoint: the spill slots holding live references.
public struct SafepointMap: Hashable, Sendable, CustomStringConvertible {
    public var instruction: MInst
    public var slots: [SpillSlot]
    public init(instruction: MInst, slots: [SpillSlot]) {
        self.instruction = instruction
        self.slots = slots
    }
    public var description: String { "\(instruction): [\(slots.map(\.description).joined(separator: ", "))]" }
}

/// The maps of every safepoint in reachable blocks (see the file's contract).
func safepointMaps(blocks: [MachineBlock], instructions: [AllocatorInstruction], operands: [MachineOperand],
                   isReference: [Bool], reachable order: BlockOrder, slotOf: [Int32]) -> [SafepointMap] {
    guard instructions.contains(where: \.isSafepoint) else { return [] }
    // Dense numbering of the reference vregs.
    var dense = [Int32](repeating: -1, count: isReference.count)
    var references: [Int] = []
    for v in isReference.indices where isReference[v] {
        dense[v] = Int32(references.count)
        references.append(v)
    }
    func column(_ v: VReg) -> Int { v.int < dense.count ? Int(dense[v.int]) : -1 }
    let n = blocks.count
    let width = references.count
    var maps: [SafepointMap] = []
    if width == 0 {
        for b in 0..<n where order.isReachable(BlockID(b)) {
            for i in blocks[b].instructions where instructions[i].isSafepoint {
                maps.append(SafepointMap(instruction: MInst(i), slots: []))
            }
        }
        return maps.sorted { $0.instruction.index < $1.instruction.index }
    }

    // gen: read before written in the block (uses, and branch arguments at its end); kill: defined.
    var gen = BitMatrix(rows: n, columns: width)
    var kill = gen
    for b in 0..<n {
        let blk = blocks[b]
        for args in blk.branchArguments { for a in args where column(a) >= 0 { _ = gen.insert(column(a), inRow: b) } }
        for i in blk.instructions.reversed() {
            for k in instructions[i].operandRange where operands[k].kind == .def && column(operands[k].vreg) >= 0 {
                gen.remove(column(operands[k].vreg), inRow: b)
                _ = kill.insert(column(operands[k].vreg), inRow: b)
            }
            for k in instructions[i].operandRange where operands[k].kind == .use && column(operands[k].vreg) >= 0 {
                _ = gen.insert(column(operands[k].vreg), inRow: b)
            }
        }
        for p in blk.params where column(p) >= 0 {
            gen.remove(column(p), inRow: b)
            _ = kill.insert(column(p), inRow: b)
        }
    }
    var liveIn = gen
    var out = BitSet(capacity: width)
    var changed = true
    while changed {
        changed = false
        for b in stride(from: n - 1, through: 0, by: -1) {
            out.removeAll()
            for s in blocks[b].successors where s.int < n { _ = out.formUnion(row: s.int, of: liveIn) }
            if liveIn.setRow(b, gen: gen, plus: out, minus: kill) { changed = true }
        }
    }

    for b in 0..<n where order.isReachable(BlockID(b)) {
        let blk = blocks[b]
        var live = BitSet(capacity: width)
        for s in blk.successors where s.int < n { _ = live.formUnion(row: s.int, of: liveIn) }
        for args in blk.branchArguments { for a in args where column(a) >= 0 { _ = live.insert(column(a)) } }
        var found: [SafepointMap] = []
        for i in blk.instructions.reversed() {
            for k in instructions[i].operandRange where operands[k].kind == .def && column(operands[k].vreg) >= 0 {
                live.remove(column(operands[k].vreg))
            }
            if instructions[i].isSafepoint {
                var slots: [SpillSlot] = []
                for c in live {
                    let s = slotOf[references[c]]
                    if s >= 0 && !slots.contains(SpillSlot(Int(s))) { slots.append(SpillSlot(Int(s))) }
                }
                found.append(SafepointMap(instruction: MInst(i), slots: slots.sorted { $0.index < $1.index }))
            }
            for k in instructions[i].operandRange where operands[k].kind == .use && column(operands[k].vreg) >= 0 {
                _ = live.insert(column(operands[k].vreg))
            }
        }
        maps += found.reversed()
    }
    return maps.sorted { $0.instruction.index < $1.instruction.index }
}
