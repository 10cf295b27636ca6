/// Lifetimes of static `alloc` slots, for sharing their frame memory.
///
/// Expects a selected `X64Function` (slot numbers in `.slot` addresses,
/// `slotAddress` and `vaStart` below `allocSlots.count`). Guarantees: two
/// slots `interfere` unless neither escapes and there is no instruction at
/// which both are live, where a slot is live at an instruction if some path
/// reaches it from an access of the slot and some path leads from it to an
/// access (so live around a whole loop whose body touches it, since its
/// contents persist from one iteration to the next). Memory whose accesses
/// all happen outside that region holds nothing anyone reads, so slots that
/// do not interfere may use the same bytes.
///
/// Escape analysis (conservative, flow-insensitive): a vreg holds a slot's
/// address if `slotAddress` defines it or it is a copy, `add`/`sub` of such
/// an address and a non-address, or a block parameter receiving one. An
/// address used as the base of a load, store, blit, aggregate copy or
/// va_list operation is an access there; any other use (stored as a value,
/// passed to a call, returned, compared, mixed with another slot's address,
/// …) makes the slot escape: it is live for the whole function. The
/// variadic register save area always escapes (va_list points into it).
///
/// Algorithm: reachability from accesses forward and backward as two
/// iterative dataflow problems over blocks (Kildall 1973), then one forward
/// walk per block recording, at each access, the slots live there — every
/// pair of overlapping live ranges meets at the start of the later one,
/// which is an access or a block entry (the interference-graph construction
/// of Chaitin 1982, adapted to access regions).
import KeelCodegen

public struct AllocSlotLifetimes: Sendable {
    /// Slots whose address escapes: live everywhere, never share.
    public var escapes: [Bool]
    /// Symmetric conflict bit matrix, `slotCount` rows of `words` words.
    private var conflicts: [UInt64]
    private var words: Int
    /// Above this many slots, no sharing is attempted (the matrix is quadratic).
    static let maximumSharedSlots = 4096

    public var slotCount: Int { escapes.count }

    public func interfere(_ a: Int, _ b: Int) -> Bool {
        guard a != b else { return true }
        if escapes[a] || escapes[b] || words == 0 { return true }
        return conflicts[a * words + b >> 6] & (1 << UInt64(b & 63)) != 0
    }

    public init(function fn: X64Function) {
        let n = fn.allocSlots.count
        let uses = AllocSlotUses(function: fn)
        escapes = uses.escapes
        guard n > 0, n <= AllocSlotLifetimes.maximumSharedSlots else {
            words = 0
            conflicts = []
            return
        }
        let w = (n + 63) >> 6
        words = w
        conflicts = [UInt64](repeating: 0, count: n * w)
        let mf = fn.machine
        let blockCount = mf.blocks.count

        // Accesses per block: acc[b].
        var acc = [UInt64](repeating: 0, count: blockCount * w)
        var k = 0
        for b in 0..<blockCount {
            let range = mf.blocks[b].instructions
            while k < uses.accessInst.count, Int(uses.accessInst[k]) < range.lowerBound { k += 1 }
            while k < uses.accessInst.count, Int(uses.accessInst[k]) < range.upperBound {
                let s = Int(uses.accessSlot[k])
                acc[b * w + s >> 6] |= 1 << UInt64(s & 63)
                k += 1
            }
        }
        // reachedIn[b]: some access precedes b's entry; neededOut[b]: some access follows b's exit.
        var reachedIn = [UInt64](repeating: 0, count: blockCount * w)
        var neededOut = [UInt64](repeating: 0, count: blockCount * w)
        var changed = true
        while changed {
            changed = false
            for b in 0..<blockCount {
                for p in mf.blocks[b].predecessors where p.int < blockCount {
                    for x in 0..<w {
                        let v = reachedIn[b * w + x] | reachedIn[p.int * w + x] | acc[p.int * w + x]
                        if v != reachedIn[b * w + x] { reachedIn[b * w + x] = v; changed = true }
                    }
                }
            }
            for b in stride(from: blockCount - 1, through: 0, by: -1) {
                for s in mf.blocks[b].successors where s.int < blockCount {
                    for x in 0..<w {
                        let v = neededOut[b * w + x] | neededOut[s.int * w + x] | acc[s.int * w + x]
                        if v != neededOut[b * w + x] { neededOut[b * w + x] = v; changed = true }
                    }
                }
            }
        }

        // Forward walk per block with live = reached ∩ needed.
        var live = [UInt64](repeating: 0, count: w)
        var lastAccess = [Int](repeating: -1, count: n)
        k = 0
        for b in 0..<blockCount {
            let range = mf.blocks[b].instructions
            while k < uses.accessInst.count, Int(uses.accessInst[k]) < range.lowerBound { k += 1 }
            var end = k
            while end < uses.accessInst.count, Int(uses.accessInst[end]) < range.upperBound {
                lastAccess[Int(uses.accessSlot[end])] = Int(uses.accessInst[end])
                end += 1
            }
            for x in 0..<w { live[x] = reachedIn[b * w + x] & (neededOut[b * w + x] | acc[b * w + x]) }
            forEachBit(live) { s in
                for x in 0..<w { conflicts[s * w + x] |= live[x] }
            }
            var j = k
            while j < end {
                let inst = uses.accessInst[j]
                var first = j
                while j < end, uses.accessInst[j] == inst {
                    let s = Int(uses.accessSlot[j])
                    live[s >> 6] |= 1 << UInt64(s & 63)
                    j += 1
                }
                while first < j {
                    let s = Int(uses.accessSlot[first])
                    for x in 0..<w { conflicts[s * w + x] |= live[x] }
                    forEachBit(live) { t in conflicts[t * w + s >> 6] |= 1 << UInt64(s & 63) }
                    first += 1
                }
                for a in k..<j where lastAccess[Int(uses.accessSlot[a])] == Int(inst) {
                    let s = Int(uses.accessSlot[a])
                    if neededOut[b * w + s >> 6] & (1 << UInt64(s & 63)) == 0 {
                        live[s >> 6] &= ~(1 << UInt64(s & 63))
                    }
                }
            }
            k = end
        }
    }
}

@inline(__always)
private func forEachBit(_ words: [UInt64], _ body: (Int) -> Void) {
    for x in words.indices {
        var bits = words[x]
        while bits != 0 {
            body(x << 6 | bits.trailingZeroBitCount)
            bits &= bits - 1
        }
    }
}

/// Where a function touches its static `alloc` slots: the accesses, in
/// instruction order, and which slots escape (see `AllocSlotLifetimes`).
struct AllocSlotUses {
    var escapes: [Bool]
    var accessInst: [Int32] = []
    var accessSlot: [Int32] = []

    /// `derived[v]`: the slot whose address v holds, `none`, or `mixed`.
    static let none: Int32 = -1
    static let mixed: Int32 = -2

    init(function fn: X64Function) {
        let n = fn.allocSlots.count
        let mf = fn.machine
        var escapes = [Bool](repeating: false, count: n)
        func escape(_ s: Int32) { if s >= 0, Int(s) < n { escapes[Int(s)] = true } }
        if let v = fn.variadicSaveSlot { escape(v) }

        var derived = [Int32](repeating: AllocSlotUses.none, count: mf.vregClasses.count)
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
                switch ins.payload {
                case .slotAddress(let s, _) where ops.count == 1:
                    flow(mf.operands[ops.lowerBound].vreg, s)
                case .mov(float: false) where ops.count == 2,
                     .aluImm(.add, size: 8, _) where ops.count == 2,
                     .aluImm(.sub, size: 8, _) where ops.count == 2:
                    flow(mf.operands[ops.lowerBound + 1].vreg, of(ops.lowerBound))
                case .alu(let op, size: 8) where (op == .add || op == .sub) && ops.count == 3:
                    let a = of(ops.lowerBound), b = of(ops.lowerBound + 1)
                    let d = mf.operands[ops.lowerBound + 2].vreg
                    if b == AllocSlotUses.none {
                        flow(d, a)
                    } else if a == AllocSlotUses.none && op == .add {
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
            var direct: Int32 = -1
            var baseOperand = -1
            var propagates = false
            switch ins.payload {
            case .load(_, _, let a):
                if case .slot(let s, _) = a { direct = s } else if a.usesBase { baseOperand = 0 }
            case .store(_, _, let a):
                if case .slot(let s, _) = a { direct = s } else if a.usesBase { baseOperand = 1 }
            case .storeImm(_, _, let a):
                if case .slot(let s, _) = a { direct = s } else if a.usesBase { baseOperand = 0 }
            case .vaStart(let save, _, _, _):
                escape(save)
                baseOperand = 0
            case .vaArg, .copyToOutgoing:
                baseOperand = 0
            case .blit:
                baseOperand = 2 // both operands
            case .mov(float: false), .aluImm(.add, size: 8, _), .aluImm(.sub, size: 8, _),
                 .alu(.add, size: 8), .alu(.sub, size: 8):
                propagates = true
            default:
                break
            }
            if direct >= 0 && Int(direct) < n {
                accessInst.append(Int32(i))
                accessSlot.append(direct)
            }
            for (j, k) in ops.enumerated() where mf.operands[k].kind == .use {
                let s = of(k)
                guard s >= 0 else { continue }
                if j == baseOperand || (baseOperand == 2 && j < 2) {
                    if !accessSlot.isEmpty && accessInst.last == Int32(i) && accessSlot.last == s { continue }
                    accessInst.append(Int32(i))
                    accessSlot.append(s)
                } else if !propagates {
                    escape(s)
                }
            }
        }
        self.escapes = escapes
    }
}
