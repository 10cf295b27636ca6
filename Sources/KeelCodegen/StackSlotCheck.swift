// An independent check of a frame layout: slots that share frame memory
// never hold live values at the same time.
//
// Expects a machine function whose instructions describe their stack-slot
// accesses (`StackSlotInstruction`), its allocation and the `FrameLayout`
// built for them, on any target. Reports (never traps) every violation of:
// - saved registers: exactly the callee-saved registers the allocation
//   uses, each once;
// - shape: one offset per slot, every slot inside the frame, spill cells,
//   alloc slots and saved registers in disjoint areas, spill cells either
//   identical or disjoint, alloc slots aligned;
// - spill slots: no write to a slot's bytes while another slot sharing them
//   holds a value still to be read, and no parallel copy reading or writing
//   one while writing the other;
// - alloc slots: an escaping slot shares no byte with another slot, and no
//   write to a slot's bytes happens while another slot sharing them is live
//   or read by the same instruction (live: a read follows with no whole
//   overwrite first, and some access precedes; AllocSlotLifetimes.swift).
//
// Algorithm: deliberately simple and separate from the layout code. The
// function becomes a graph of program points (parallel copy before, the
// instruction, parallel copy after, for every instruction); spill liveness
// is found per slot by searching backward from each read to the writes
// (no bit-vector dataflow), alloc-slot liveness the same way (stopping at
// whole overwrites) intersected with a forward search from its accesses,
// and escapes by a worklist over the uses of each address. Overlap is then checked on byte ranges.

public struct StackSlotError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

@inlinable
public func checkStackSlots<P: StackSlotInstruction>(function mf: MachineFunction<P>, slots: StackSlots,
                                                     allocation a: AllocationResult, frame: FrameLayout,
                                                     registers: RegisterFile) -> [StackSlotError] {
    checkStackSlots(view: SlotView(mf), slots: slots, allocation: a, frame: frame, registers: registers)
}

public func checkStackSlots(view mf: SlotView, slots: StackSlots, allocation a: AllocationResult,
                            frame: FrameLayout, registers: RegisterFile) -> [StackSlotError] {
    var errors: [StackSlotError] = []
    func fail(_ m: String) { errors.append(StackSlotError(message: "$\(mf.name): \(m)")) }
    // The saved registers are exactly the callee-saved ones the allocation uses, each once.
    let saved = RegSet(frame.saved.map(\.0))
    if saved.count != frame.saved.count { fail("a register is saved twice") }
    for r in a.usedCalleeSaved.intersection(registers.calleeSaved).subtracting(saved) {
        fail("callee-saved register \(registers.name(r)) is used but not saved")
    }
    for r in saved.subtracting(registers.calleeSaved) {
        fail("register \(registers.name(r)) is saved but is not callee-saved")
    }
    let spillCount = a.spillSlotClasses.count
    let allocCount = slots.sizes.count
    guard frame.spillOffsets.count == spillCount, frame.allocOffsets.count == allocCount else {
        fail("the frame has \(frame.spillOffsets.count) spill and \(frame.allocOffsets.count) alloc offsets, "
             + "expected \(spillCount) and \(allocCount)")
        return errors
    }

    // Byte ranges [lo, hi) relative to rbp.
    let size = Int(frame.size)
    let savedRanges = frame.saved.map { (Int($0.1), Int($0.1) + 8) }
    let spillRanges = frame.spillOffsets.map { (Int($0), Int($0) + 8) }
    let allocRanges = zip(frame.allocOffsets, slots.sizes).map { (Int($0), Int($0) + max(0, Int($1.size))) }
    func overlap(_ x: (Int, Int), _ y: (Int, Int)) -> Bool { x.0 < y.1 && y.0 < x.1 && x.0 < x.1 && y.0 < y.1 }
    for (what, ranges) in [("saved register", savedRanges), ("spill slot", spillRanges), ("alloc slot", allocRanges)] {
        for (k, r) in ranges.enumerated() where r.0 < -size || r.1 > 0 {
            fail("\(what) \(k) at \(r.0)..<\(r.1) lies outside the \(size)-byte frame")
        }
    }
    for (k, r) in savedRanges.enumerated() {
        for (j, s) in spillRanges.enumerated() where overlap(r, s) { fail("saved register \(k) overlaps spill slot \(j)") }
        for (j, s) in allocRanges.enumerated() where overlap(r, s) { fail("saved register \(k) overlaps alloc slot \(j)") }
    }
    let spillSorted = spillRanges.enumerated().sorted { $0.element.0 < $1.element.0 }
    for (j, s) in allocRanges.enumerated() {
        for (k, r) in spillRanges.enumerated() where overlap(r, s) { fail("spill slot \(k) overlaps alloc slot \(j)") }
        let align = max(1, Int(slots.sizes[j].align))
        if align <= 16 && s.0 % align != 0 { fail("alloc slot \(j) at \(s.0) is not \(align)-aligned") }
    }
    for x in spillSorted.indices.dropFirst() {
        let p = spillSorted[x - 1], q = spillSorted[x]
        if p.element.0 != q.element.0 && overlap(p.element, q.element) {
            fail("spill slots \(p.offset) and \(q.offset) overlap partially")
        }
    }

    let graph = PointGraph(mf)
    checkSpillSlots(graph, mf, a, spillRanges, fail)
    checkAllocSlots(graph, mf, slots, allocRanges, fail)
    return errors
}

/// Program points of a machine function: node 3i is the parallel copy before
/// instruction i, 3i+1 the instruction, 3i+2 the copy after it.
private struct PointGraph {
    var count: Int
    var successors: [[Int]]
    var predecessors: [[Int]]

    init(_ mf: SlotView) {
        count = 3 * mf.instructions.count
        successors = [[Int]](repeating: [], count: count)
        predecessors = [[Int]](repeating: [], count: count)
        for block in mf.blocks where !block.instructions.isEmpty {
            for i in block.instructions {
                for n in 3 * i..<3 * i + 2 { successors[n].append(n + 1) }
                if i + 1 < block.instructions.upperBound { successors[3 * i + 2].append(3 * i + 3) }
            }
            let last = 3 * (block.instructions.upperBound - 1) + 2
            for s in block.successors where s.int < mf.blocks.count {
                let target = mf.blocks[s.int].instructions
                if !target.isEmpty { successors[last].append(3 * target.lowerBound) }
            }
        }
        for n in 0..<count { for s in successors[n] { predecessors[s].append(n) } }
    }
}

private func checkSpillSlots(_ g: PointGraph, _ mf: SlotView, _ a: AllocationResult,
                                _ ranges: [(Int, Int)], _ fail: (String) -> Void) {
    let n = ranges.count
    guard n > 0 else { return }
    var reads = [[Int]](repeating: [], count: n)
    var writes = [[Int]](repeating: [], count: n)
    func slot(_ l: Location) -> Int? {
        if case .stack(let s) = l, Int(s.index) < n { return Int(s.index) }
        return nil
    }
    for e in a.edits {
        let node = 3 * e.point.inst.int + (e.point.isAfter ? 2 : 0)
        guard node < g.count else { fail("edit at \(e.point) outside the function"); continue }
        if let s = slot(e.from) { reads[s].append(node) }
        if let s = slot(e.to) { writes[s].append(node) }
    }
    for i in mf.instructions.indices {
        for k in mf.instructions[i].operandRange where k < a.operandLocations.count {
            guard let s = slot(a.operandLocations[k]) else { continue }
            if mf.operands[k].kind == .use { reads[s].append(3 * i + 1) } else { writes[s].append(3 * i + 1) }
        }
    }
    // liveAfter[node]: slots whose value is still to be read after the node.
    var liveAfter = [[Int]](repeating: [], count: g.count)
    var readAt = [[Int]](repeating: [], count: g.count)
    var writeAt = [[Int]](repeating: [], count: g.count)
    for s in 0..<n { for w in writes[s] { writeAt[w].append(s) } }
    var writesHere = [Bool](repeating: false, count: g.count)
    var liveEntry = [Bool](repeating: false, count: g.count)
    var liveExit = [Bool](repeating: false, count: g.count)
    for s in 0..<n {
        for w in writes[s] { writesHere[w] = true }
        var work: [Int] = []
        var touched: [Int] = []
        for r in reads[s] {
            readAt[r].append(s)
            if !liveEntry[r] { liveEntry[r] = true; touched.append(r); work.append(r) }
        }
        while let x = work.popLast() {
            for p in g.predecessors[x] where !liveExit[p] {
                liveExit[p] = true
                touched.append(p)
                liveAfter[p].append(s)
                if !writesHere[p] && !liveEntry[p] { liveEntry[p] = true; work.append(p) }
            }
        }
        for t in touched { liveEntry[t] = false; liveExit[t] = false }
        for w in writes[s] { writesHere[w] = false }
    }
    for w in 0..<n {
        for node in writes[w] {
            for t in liveAfter[node] + readAt[node] + writeAt[node]
            where t != w && ranges[t].0 < ranges[w].1 && ranges[w].0 < ranges[t].1 {
                fail("spill slot \(w) is written at point \(node) while spill slot \(t), sharing its memory, is live")
            }
        }
    }
}

private func checkAllocSlots(_ g: PointGraph, _ mf: SlotView, _ slots: StackSlots,
                                                     _ ranges: [(Int, Int)], _ fail: (String) -> Void) {
    let n = ranges.count
    // Pairs of slots sharing at least one byte; nothing to check without any.
    var sharing: [(Int, Int)] = []
    let sorted = ranges.indices.filter { ranges[$0].0 < ranges[$0].1 }.sorted { ranges[$0].0 < ranges[$1].0 }
    for (x, p) in sorted.enumerated() {
        for q in sorted[(x + 1)...] {
            if ranges[q].0 >= ranges[p].1 { break }
            sharing.append((p, q))
        }
    }
    guard !sharing.isEmpty else { return }

    var escapes = [Bool](repeating: false, count: n)
    // Nodes where each slot is read, written, and written whole.
    var readNodes = [Set<Int>](repeating: [], count: n)
    var writeNodes = [Set<Int>](repeating: [], count: n)
    var killNodes = [Set<Int>](repeating: [], count: n)
    for v in slots.escaping where v >= 0 && Int(v) < n { escapes[Int(v)] = true }

    // Uses of every vreg: (instruction, operand position), and block-parameter flows.
    var uses = [[(Int, Int)]](repeating: [], count: mf.vregCount)
    var defs = [Int](repeating: -1, count: mf.vregCount)
    for (i, ins) in mf.instructions.enumerated() {
        for (j, k) in ins.operandRange.enumerated() where mf.operands[k].vreg.int < uses.count {
            if mf.operands[k].kind == .use { uses[mf.operands[k].vreg.int].append((i, j)) }
            else { defs[mf.operands[k].vreg.int] = k }
        }
        let use = ins.slotUse
        if let (s, off, size, access) = use.direct, s >= 0, Int(s) < n {
            if access.contains(.read) { readNodes[Int(s)].insert(3 * i + 1) }
            if access.contains(.write) {
                writeNodes[Int(s)].insert(3 * i + 1)
                if off == 0 && size >= Int(slots.sizes[Int(s)].size) { killNodes[Int(s)].insert(3 * i + 1) }
            }
        }
        if let save = use.escaping, save >= 0, Int(save) < n { escapes[Int(save)] = true }
    }
    var paramOf = [[VReg]](repeating: [], count: mf.vregCount)
    for block in mf.blocks {
        for (succ, args) in zip(block.successors, block.branchArguments) where succ.int < mf.blocks.count {
            for (p, arg) in zip(mf.blocks[succ.int].params, args) where arg.int < paramOf.count { paramOf[arg.int].append(p) }
        }
    }
    func firstDef(_ i: Int) -> VReg? {
        mf.instructions[i].operandRange.first { mf.operands[$0].kind == .def }.map { mf.operands[$0].vreg }
    }
    // Follow each slot's address through copies, offsets and block parameters.
    var carrier = [Int](repeating: -1, count: mf.vregCount)
    for (i, ins) in mf.instructions.enumerated() {
        guard let s = ins.slotUse.addressOf, s >= 0, Int(s) < n, let d = firstDef(i) else { continue }
        var work: [VReg] = []
        func carry(_ v: VReg) {
            guard v.int < carrier.count else { return }
            if carrier[v.int] == -1 { carrier[v.int] = Int(s); work.append(v) }
            else if carrier[v.int] != Int(s) { escapes[Int(s)] = true; escapes[carrier[v.int]] = true }
        }
        carry(d)
        while let v = work.popLast() {
            for p in paramOf[v.int] { carry(p) }
            for (u, j) in uses[v.int] {
                let use = mf.instructions[u].slotUse
                let through = j == 0 ? use.through.0 : j == 1 ? use.through.1 : []
                if !through.isEmpty {
                    if through.contains(.read) { readNodes[Int(s)].insert(3 * u + 1) }
                    if through.contains(.write) { writeNodes[Int(s)].insert(3 * u + 1) }
                    continue
                }
                switch (use.derivation, j) {
                case (.offset, 0), (.sum, 0), (.sum, 1), (.difference, 0), (.scaledSum, 0):
                    if let d = firstDef(u) { carry(d) }
                default:
                    escapes[Int(s)] = true
                }
            }
        }
    }

    // For each slot that shares memory, the nodes after which it is live: a read
    // follows without a whole overwrite first, and some access came before.
    var liveAfter = [Set<Int>?](repeating: nil, count: n)
    func computeLiveAfter(_ s: Int) -> Set<Int> {
        var reached = Set(readNodes[s].union(writeNodes[s]))
        var work = Array(reached)
        while let x = work.popLast() { for y in g.successors[x] where reached.insert(y).inserted { work.append(y) } }
        var exits = Set<Int>(), entries = readNodes[s]
        work = Array(entries)
        while let x = work.popLast() {
            for p in g.predecessors[x] where exits.insert(p).inserted {
                if !killNodes[s].contains(p) && entries.insert(p).inserted { work.append(p) }
            }
        }
        return exits.intersection(reached)
    }
    for (p, q) in sharing {
        if escapes[p] || escapes[q] {
            fail("alloc slot \(escapes[p] ? p : q) escapes but shares memory with alloc slot \(escapes[p] ? q : p)")
            continue
        }
        for s in [p, q] where liveAfter[s] == nil { liveAfter[s] = computeLiveAfter(s) }
        for (x, y) in [(p, q), (q, p)] {
            for node in writeNodes[x].sorted() {
                if liveAfter[y]?.contains(node) == true || readNodes[y].contains(node) {
                    fail("alloc slot \(x) is written at point \(node) while alloc slot \(y), sharing its memory, is live")
                    break
                }
            }
        }
    }
}
