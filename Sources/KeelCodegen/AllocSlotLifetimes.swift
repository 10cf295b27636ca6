// Lifetimes of a function's own stack slots (static `alloc` slots and the
// like), for sharing their frame memory, on any target.
//
// Expects a machine function whose instructions describe their slot
// accesses (`StackSlotInstruction`, StackSlotUse.swift) with slot numbers
// below `slots.sizes.count`. Guarantees: two slots `interfere` unless
// neither escapes, no write to one happens while the other is live, and no
// instruction reads one and writes the other.
// A slot is live after a point if (a) some path from the point reaches a
// read of it without first overwriting the whole slot, and (b) some access
// of it precedes the point on some path. Memory is only corrupted by a
// write while another value in the same bytes is still to be read, which
// needs both, so slots that do not interfere may use the same bytes. Loops
// need no special case: a value read in the next iteration is live around
// the back edge by (a), and a slot wholly rewritten at the top of each
// iteration is not.
//
// Accesses (as the target's `SlotUse` says): direct accesses at a known
// offset (a write at offset 0 at least as wide as the slot overwrites it
// whole), and accesses through an address vreg (never whole writes, the
// offset is unknown). Escape analysis (conservative, flow-insensitive): a
// vreg holds a slot's address if an instruction produces it, derives it
// from a use holding one (copy, offset, sum or difference with a
// non-address), or a block parameter receives one; any other use (stored as
// a value, passed to a call, returned, compared, mixed with another slot's
// address, …) makes the slot escape: it is live for the whole function. The
// slots the target names as escaping (a variadic save area) always do.
//
// Algorithm: forward reachability from accesses and backward liveness with
// whole writes as kills, both iterative dataflow over blocks (Kildall 1973);
// then one backward walk per block adding, at each write, conflict edges to
// every slot live after it (the interference-graph construction of Chaitin
// 1982) and to the slots the same instruction reads.
import KeelAnalysis

public struct AllocSlotLifetimes: Sendable {
    /// Slots whose address escapes: live everywhere, never share.
    public var escapes: [Bool]
    /// Symmetric conflict matrix, `slotCount` rows and columns (no rows when
    /// no sharing is attempted).
    private var conflicts: BitMatrix
    /// Above this many slots, no sharing is attempted (the matrix is quadratic).
    static let maximumSharedSlots = 4096

    public var slotCount: Int { escapes.count }

    public func interfere(_ a: Int, _ b: Int) -> Bool {
        guard a != b else { return true }
        if escapes[a] || escapes[b] || conflicts.rowCount == 0 { return true }
        return conflicts.contains(b, inRow: a)
    }

    @inlinable
    public init<P: StackSlotInstruction>(function mf: MachineFunction<P>, slots: StackSlots) {
        self.init(view: slots.sizes.isEmpty ? SlotView(name: mf.name) : SlotView(mf), slots: slots)
    }

    public init(view mf: SlotView, slots: StackSlots) {
        let n = slots.sizes.count
        let uses = AllocSlotUses(function: mf, slots: slots)
        escapes = uses.escapes
        // Sharing needs two slots that do not escape.
        guard n <= AllocSlotLifetimes.maximumSharedSlots, escapes.lazy.filter({ !$0 }).count >= 2 else {
            conflicts = BitMatrix(rows: 0, columns: 0)
            return
        }
        conflicts = BitMatrix(rows: n, columns: n)
        let blockCount = mf.blocks.count

        let accesses = uses.accessInst.count
        // Per block: accessed slots, gen (read before any whole write) and kill sets.
        var acc = BitMatrix(rows: blockCount, columns: n)
        var gen = acc
        var kill = acc
        var blockAccesses = [Range<Int>](repeating: 0..<0, count: blockCount)
        var k = 0
        for b in 0..<blockCount {
            let range = mf.blocks[b].instructions
            while k < accesses, Int(uses.accessInst[k]) < range.lowerBound { k += 1 }
            let first = k
            while k < accesses, Int(uses.accessInst[k]) < range.upperBound { k += 1 }
            blockAccesses[b] = first..<k
            for a in (first..<k).reversed() {
                let s = Int(uses.accessSlot[a])
                acc.insert(s, inRow: b)
                if uses.accessKind[a] & AllocSlotUses.kill != 0 { kill.insert(s, inRow: b); gen.remove(s, inRow: b) }
                if uses.accessKind[a] & AllocSlotUses.read != 0 { gen.insert(s, inRow: b) }
            }
        }
        // reachedIn[b]: some access precedes b's entry (forward);
        // liveIn[b]: some read follows b's entry with no whole write before it (backward).
        var reachedIn = BitMatrix(rows: blockCount, columns: n)
        var liveIn = reachedIn
        var liveOut = reachedIn
        var changed = true
        while changed {
            changed = false
            for b in 0..<blockCount {
                for p in mf.blocks[b].predecessors where p.int < blockCount {
                    if reachedIn.formUnion(row: b, withRow: p.int) { changed = true }
                    if reachedIn.formUnion(row: b, with: acc, row: p.int) { changed = true }
                }
            }
            for b in (0..<blockCount).reversed() {
                for s in mf.blocks[b].successors where s.int < blockCount {
                    liveOut.formUnion(row: b, with: liveIn, row: s.int)
                }
                if liveIn.setRow(b, gen: gen, plus: liveOut, minus: kill) { changed = true }
            }
        }

        // Backward walk per block. After instruction i a slot is live if it is
        // live in the kill/read sense and some access reached it (reachedIn, or
        // an access in this block at or before i). Each write conflicts with
        // every other slot live after it or read by the same instruction.
        var live = BitSet(capacity: n)
        var reached = BitSet(capacity: n)
        var mask = BitSet(capacity: n)
        var firstAccess = [Int32](repeating: -1, count: n)
        for b in 0..<blockCount {
            let range = blockAccesses[b]
            for a in range.reversed() { firstAccess[Int(uses.accessSlot[a])] = uses.accessInst[a] }
            live.setToRow(b, of: liveOut)
            reached.setToRow(b, of: reachedIn)
            reached.formUnion(row: b, of: acc)
            var a = range.upperBound
            while a > range.lowerBound {
                let inst = uses.accessInst[a - 1]
                var group = a - 1
                while group > range.lowerBound, uses.accessInst[group - 1] == inst { group -= 1 }
                // mask = live after the instruction and reached, plus this instruction's reads.
                mask.setTo(live)
                mask.formIntersection(reached)
                for g in group..<a where uses.accessKind[g] & AllocSlotUses.read != 0 {
                    mask.insert(Int(uses.accessSlot[g]))
                }
                for g in group..<a where uses.accessKind[g] & AllocSlotUses.write != 0 {
                    let s = Int(uses.accessSlot[g])
                    conflicts.formUnion(row: s, with: mask)
                    mask.forEach { t in conflicts.insert(s, inRow: t) }
                }
                for g in group..<a {
                    let s = Int(uses.accessSlot[g])
                    if uses.accessKind[g] & AllocSlotUses.kill != 0 { live.remove(s) }
                    if uses.accessKind[g] & AllocSlotUses.read != 0 { live.insert(s) }
                    if firstAccess[s] == inst && !reachedIn.contains(s, inRow: b) { reached.remove(s) }
                }
                a = group
            }
        }
    }
}

/// Where a function touches its static `alloc` slots: the accesses, in
/// instruction order, and which slots escape (see `AllocSlotLifetimes`).
struct AllocSlotUses {
    var escapes: [Bool] = []
    var accessInst: [Int32] = []
    var accessSlot: [Int32] = []
    /// `read`, `write` and `kill` bits: a kill is a write of the whole slot.
    var accessKind: [UInt8] = []
    static let read: UInt8 = 1
    static let write: UInt8 = 2
    static let kill: UInt8 = 4

    /// `derived[v]`: the slot whose address v holds, `none`, or `mixed`.
    static let none: Int32 = -1
    static let mixed: Int32 = -2

    init(function mf: SlotView, slots: StackSlots) {
        let n = slots.sizes.count
        guard n > 0 else { return }
        var escapes = [Bool](repeating: false, count: n)
        func escape(_ s: Int32) { if s >= 0, Int(s) < n { escapes[Int(s)] = true } }
        for s in slots.escaping { escape(s) }

        var derived = [Int32](repeating: AllocSlotUses.none, count: mf.vregCount)
        var changed = false
        func flow(_ v: VReg, _ s: Int32) {
            guard s != AllocSlotUses.none, v.int < derived.count else { return }
            let old = derived[v.int]
            if old == s { return }
            if old == AllocSlotUses.none && s >= 0 && Int(s) < n {
                derived[v.int] = s
            } else {
                escape(old)
                escape(s)
                if old == AllocSlotUses.mixed { return }
                derived[v.int] = AllocSlotUses.mixed
            }
            changed = true
        }
        func of(_ k: Int) -> Int32 {
            let v = mf.operands[k].vreg.int
            return v < derived.count ? derived[v] : AllocSlotUses.none
        }

        // Propagate addresses to a fixed point (block parameters may carry them around loops).
        repeat {
            changed = false
            for ins in mf.instructions {
                let ops = ins.operandRange
                let use = ins.slotUse
                if let s = use.addressOf, ops.count >= 1 {
                    if ops.count == 1 { flow(mf.operands[ops.lowerBound].vreg, s) }
                    continue
                }
                switch use.derivation {
                case .none:
                    break
                case .offset where ops.count == 2:
                    flow(mf.operands[ops.lowerBound + 1].vreg, of(ops.lowerBound))
                case .sum where ops.count == 3, .difference where ops.count == 3, .scaledSum where ops.count == 3:
                    let a = of(ops.lowerBound), b = of(ops.lowerBound + 1)
                    let d = mf.operands[ops.lowerBound + 2].vreg
                    if b == AllocSlotUses.none {
                        flow(d, a)
                    } else if a == AllocSlotUses.none && use.derivation == .sum {
                        flow(d, b)
                    } else {
                        // Two addresses combined, or an address subtracted: nothing to follow.
                        escape(a)
                        escape(b)
                    }
                default:
                    break
                }
            }
            for block in mf.blocks {
                for (succ, args) in zip(block.successors, block.branchArguments) where succ.int < mf.blocks.count {
                    for (p, a) in zip(mf.blocks[succ.int].params, args) where a.int < derived.count {
                        flow(p, derived[a.int])
                    }
                }
            }
        } while changed

        // Accesses, and every other use of an address.
        for (i, ins) in mf.instructions.enumerated() {
            let ops = ins.operandRange
            let use = ins.slotUse
            if let s = use.escaping { escape(s) }
            if let (s, offset, size, access) = use.direct, s >= 0, Int(s) < n {
                let whole = access == .write && offset == 0 && size >= Int(slots.sizes[Int(s)].size)
                record(i, s, whole ? AllocSlotUses.write | AllocSlotUses.kill : access.rawValue)
            }
            let through = (use.through.0.rawValue, use.through.1.rawValue)
            let propagates = use.derivation != .none
            for (j, k) in ops.enumerated() where mf.operands[k].kind == .use {
                let s = of(k)
                guard s >= 0 else { continue }
                let kind = j == 0 ? through.0 : j == 1 ? through.1 : 0
                if kind != 0 {
                    record(i, s, kind)
                } else if !propagates {
                    escape(s)
                }
            }
        }
        self.escapes = escapes
    }

    /// Adds an access, merging it with one of the same slot at the same instruction.
    mutating func record(_ i: Int, _ s: Int32, _ kind: UInt8) {
        if let last = accessInst.indices.last, accessInst[last] == Int32(i), accessSlot[last] == s {
            // One instruction reading and writing a slot: reads happen first, so keeping
            // both bits (liveness applies the kill, then the read) stays exact.
            accessKind[last] |= kind
            return
        }
        accessInst.append(Int32(i))
        accessSlot.append(s)
        accessKind.append(kind)
    }
}
