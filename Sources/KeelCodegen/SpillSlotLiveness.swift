// Spill-slot sharing: which spill slots may share one frame cell, from the
// liveness of slot contents; the contract is on `SpillSlotSharing`.
import KeelAnalysis

/// Sharing of spill-slot memory by liveness.
///
/// Expects a `MachineFunction` and the `AllocationResult` of its register
/// allocation (edits sorted by program point). Guarantees: every spill slot
/// gets a cell (`cellOfSlot`), and two slots share a cell only if no write to
/// one happens while the other holds a value still to be read, and no
/// parallel copy reads one while writing the other (the emitter orders the
/// moves of one copy by `Location`, not by address, so a shared cell could be
/// written before it is read), nor writes both. The number of cells never
/// exceeds the number of slots.
///
/// Algorithm: backward liveness of slot contents (iterative dataflow,
/// Kildall 1973 / Kam–Ullman 1976, on `BitMatrix` rows) where a read of a
/// slot (an edit from it, a `.stack` use operand) is a use and a write (an
/// edit to it, a `.stack` def operand) a definition; interference edges
/// from each write to every slot live after it and every slot read at the
/// same point (the Chaitin 1982 construction); then greedy colouring in
/// order of first write, which never needs more colours than slots. A slot
/// holding a block parameter is live at the end of every predecessor (its
/// value reaches the join through the slot), and so back to the write of
/// the argument.
/// All cells are 8 bytes today, so all slots form one size class.
public struct SpillSlotSharing: Sendable {
    /// The cell of every spill slot, indexed by `SpillSlot.index`.
    public var cellOfSlot: [Int32]
    /// Number of distinct cells.
    public var cellCount: Int

    public init<P>(function f: MachineFunction<P>, allocation a: AllocationResult) {
        let n = a.spillSlotClasses.count
        cellOfSlot = []
        cellCount = 0
        guard n > 0 else { return }
        let events = SlotEvents(function: f, allocation: a, slotCount: n)
        let blockCount = f.blocks.count

        // Per-block gen (read before any write in the block) and kill (written).
        var gen = BitMatrix(rows: blockCount, columns: n)
        var kill = gen
        for b in 0..<blockCount {
            for g in events.groups(ofBlock: b).reversed() {
                for s in events.writes(g) {
                    kill.insert(s, inRow: b)
                    gen.remove(s, inRow: b)
                }
                for s in events.reads(g) { gen.insert(s, inRow: b) }
            }
        }

        // liveIn[b] = gen[b] ∪ (∪ liveIn[succ] − kill[b]), iterated to a fixed point
        // (blocks in reverse index order: predecessors mostly precede successors).
        // Slots holding a successor's parameters are live at the end of each
        // predecessor: the edge passes the argument through the slot, and the
        // allocation checker demands it there even if the join never reads it.
        var edgeLive = BitMatrix(rows: blockCount, columns: n)
        for b in 0..<blockCount {
            for s in f.blocks[b].successors where s.int < a.blockParamLocations.count {
                for case .stack(let slot) in a.blockParamLocations[s.int] where slot.int < n {
                    edgeLive.insert(slot.int, inRow: b)
                }
            }
        }
        var liveIn = BitMatrix(rows: blockCount, columns: n)
        var changed = true
        var out = BitSet(capacity: n)
        while changed {
            changed = false
            for b in stride(from: blockCount - 1, through: 0, by: -1) {
                out.setToRow(b, of: edgeLive)
                for s in f.blocks[b].successors where s.int < blockCount { out.formUnion(row: s.int, of: liveIn) }
                if liveIn.setRow(b, gen: gen, plus: out, minus: kill) { changed = true }
            }
        }

        // Interference, walking each block backward from its live-out set.
        var neighbours = [[Int32]](repeating: [], count: n)
        func addEdge(_ x: Int, _ y: Int) {
            guard x != y else { return }
            neighbours[x].append(Int32(y))
            neighbours[y].append(Int32(x))
        }
        var live = BitSet(capacity: n)
        for b in 0..<blockCount {
            live.setToRow(b, of: edgeLive)
            for s in f.blocks[b].successors where s.int < blockCount { live.formUnion(row: s.int, of: liveIn) }
            for g in events.groups(ofBlock: b).reversed() {
                for s in events.writes(g) {
                    live.forEach { t in addEdge(s, t) }
                    for r in events.reads(g) { addEdge(s, r) }
                    // Two destinations of one parallel copy stay distinct even when
                    // dead: a copy writing one location twice is ill-formed.
                    for t in events.writes(g) where t < s { addEdge(s, t) }
                }
                for s in events.writes(g) { live.remove(s) }
                for s in events.reads(g) { live.insert(s) }
            }
        }

        // Greedy colouring in order of first write (slots never written last).
        var order: [Int] = []
        var seen = [Bool](repeating: false, count: n)
        for g in 0..<events.groupCount {
            // Ties (first written by one parallel copy) in slot order, for a stable layout.
            let first = order.count
            for s in events.writes(g) where !seen[s] {
                seen[s] = true
                order.append(s)
            }
            order[first...].sort()
        }
        for s in 0..<n where !seen[s] { order.append(s) }
        cellOfSlot = [Int32](repeating: -1, count: n)
        var takenBy = [Int](repeating: -1, count: n)
        for s in order {
            for m in neighbours[s] {
                let c = cellOfSlot[Int(m)]
                if c >= 0 { takenBy[Int(c)] = s }
            }
            var c = 0
            while takenBy[c] == s { c += 1 }
            cellOfSlot[s] = Int32(c)
            cellCount = max(cellCount, c + 1)
        }
    }
}

/// The slot reads and writes of a function, in program order, grouped by
/// the point where they happen: the parallel copy before an instruction, the
/// instruction's own `.stack` operands, the parallel copy after it.
struct SlotEvents {
    /// Slot numbers read, then written, per group.
    private var slots: [Int32] = []
    /// For group g: its reads are `slots[readStart[g]..<writeStart[g]]`, its writes up to `readStart[g+1]`.
    private var readStart: [Int32] = [0]
    private var writeStart: [Int32] = []
    /// First group of each block, plus the total at the end.
    private var blockGroupStart: [Int32] = []

    var groupCount: Int { writeStart.count }

    init<P>(function f: MachineFunction<P>, allocation a: AllocationResult, slotCount n: Int) {
        var e = 0
        let edits = a.edits
        func slotIndex(_ l: Location) -> Int32? {
            if case .stack(let s) = l, Int(s.index) < n { return Int32(s.index) }
            return nil
        }
        // One group per parallel copy (reads, then writes).
        func copyGroup(at point: ProgramPoint) {
            let first = e
            while e < edits.count, edits[e].point == point {
                if let s = slotIndex(edits[e].from) { slots.append(s) }
                e += 1
            }
            writeStart.append(Int32(slots.count))
            for k in first..<e {
                if let s = slotIndex(edits[k].to) { slots.append(s) }
            }
            readStart.append(Int32(slots.count))
        }
        for block in f.blocks {
            blockGroupStart.append(Int32(writeStart.count))
            for i in block.instructions {
                let mi = MInst(i)
                // Blocks are contiguous and edits sorted, so nothing is skipped here
                // unless an edit names a point outside every block.
                while e < edits.count, edits[e].point < ProgramPoint(before: mi) { e += 1 }
                copyGroup(at: ProgramPoint(before: mi))
                // The instruction itself: `.stack` uses read, `.stack` defs write.
                let range = f.instructions[i].operandRange
                for k in range where k < a.operandLocations.count && f.operands[k].kind == .use {
                    if let s = slotIndex(a.operandLocations[k]) { slots.append(s) }
                }
                writeStart.append(Int32(slots.count))
                for k in range where k < a.operandLocations.count && f.operands[k].kind == .def {
                    if let s = slotIndex(a.operandLocations[k]) { slots.append(s) }
                }
                readStart.append(Int32(slots.count))
                copyGroup(at: ProgramPoint(after: mi))
            }
        }
        blockGroupStart.append(Int32(writeStart.count))
    }

    func groups(ofBlock b: Int) -> Range<Int> { Int(blockGroupStart[b])..<Int(blockGroupStart[b + 1]) }

    func reads(_ g: Int) -> LazyMapSequence<ArraySlice<Int32>, Int> {
        slots[Int(readStart[g])..<Int(writeStart[g])].lazy.map { Int($0) }
    }

    func writes(_ g: Int) -> LazyMapSequence<ArraySlice<Int32>, Int> {
        slots[Int(writeStart[g])..<Int(readStart[g + 1])].lazy.map { Int($0) }
    }
}
