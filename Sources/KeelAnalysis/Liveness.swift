import KeelIR

/// Live temporaries at block boundaries.
///
/// Convention (the one SSA register allocators use, e.g. Hack; Wimmer & Franz):
/// - a phi's result is defined at the very top of its block, so it is never
///   in that block's live-in set;
/// - a phi's operand for predecessor p is used at the end of p: it is in
///   live-out(p), and not in live-in of the phi's block;
/// - uses are instruction operands (`Opcode.operandCount` of them), call
///   environments and arguments (`Function.calls[extra]`), the `jnz`
///   condition and the `ret` value; an instruction reads its operands before
///   it writes its result;
/// - parameters and the environment temp are defined by no block: when used
///   they are live-in at the entry. Any other temp in live-in(entry) is read
///   on some path before being written.
///
/// So live-out(b) = ∪ over successors s of (live-in(s) ∪ phi operands of s
/// for edge b->s), and live-in(b) = upward-exposed uses(b) ∪ (live-out(b) −
/// defs(b)), with defs(b) including b's phi results.
///
/// Algorithm: the classic backward data-flow problem solved by round-robin
/// iteration in postorder until no live-in set changes (usually 2–3 rounds,
/// at most loop connectedness + 2 for reducible CFGs, Kam & Ullman); a round revisits
/// only blocks with a successor whose live-in changed. Per-block use and def
/// lists are sparse. Live sets are dense bit rows over the *global* temps
/// only — those read in a block without a prior write there, or read by a
/// phi (Briggs et al.'s "non-local names"): no other temp can be live at a
/// block boundary, and most temps are block-local, which keeps rows short.
///
/// Expects: any function with a `BlockOrder` of it. Not restricted to SSA: a
/// temp defined several times is handled like any variable. Out-of-range
/// temps, blocks and call indices are ignored.
/// Guarantees: exact sets for reachable blocks; unreachable blocks get empty
/// sets (they do not influence reachable ones: liveness flows backwards).
/// Memory: two `BitMatrix` rows per block, blocks × global temps / 4 bytes in all.
public struct Liveness: Sendable {
    public let tempCount: Int
    /// Temps that may be live at some block boundary, in increasing order;
    /// every other temp lives and dies inside one block.
    public let globalTemps: [Temp]
    private let globalIndex: [Int32]     // per temp: index in globalTemps, -1 = local
    /// Per block, a row over `globalTemps`.
    private var liveInRows: BitMatrix
    private var liveOutRows: BitMatrix
    /// Rounds the fixed-point iteration took: 1 for an acyclic CFG (for tests and profiling).
    public private(set) var iterations = 0

    public init(_ f: Function, order: BlockOrder) {
        let n = f.blocks.count
        let tcount = f.temps.count
        tempCount = tcount

        // Sparse per-block facts, as ranges into flat arrays (temp indices):
        // gen = upward-exposed uses, kill = definitions, phiUse = temps read by
        // successors' phis on the edge from this block.
        var genStart = [Int](repeating: 0, count: n + 1), gen: [UInt32] = []
        var killStart = [Int](repeating: 0, count: n + 1), kill: [UInt32] = []
        var defined = BitSet(capacity: tcount)
        var exposed = BitSet(capacity: tcount)
        var isGlobal = BitSet(capacity: tcount)
        for bi in 0..<n {
            genStart[bi] = gen.count
            killStart[bi] = kill.count
            guard order.isReachable(BlockID(bi)) else { continue }
            let block = f.blocks[bi]
            func use(_ t: Temp) {
                if !defined.contains(t.int) && exposed.insert(t.int) { gen.append(t.index) }
            }
            func def(_ t: Temp) {
                if defined.insert(t.int) { kill.append(t.index) }
            }
            for phi in block.phis { def(phi.result) }
            for inst in block.instructions {
                f.forEachUse(of: inst, use)
                if let t = inst.result.temp { def(t) }
            }
            f.forEachUse(of: block.terminator, use)
            // Reset the scratch sets through the lists, not word by word.
            for t in gen[genStart[bi]...] { exposed.remove(Int(t)); isGlobal.insert(Int(t)) }
            for t in kill[killStart[bi]...] { defined.remove(Int(t)) }
        }
        genStart[n] = gen.count
        killStart[n] = kill.count

        var succ = [SuccessorPair](repeating: SuccessorPair(-1, -1), count: n)
        for bi in 0..<n { succ[bi] = successors(f.blocks[bi].terminator, blockCount: n) }

        var phiUses = [[UInt32]](repeating: [], count: n)
        for s in order.reversePostorder {
            for phi in f.blocks[s.int].phis {
                for arg in phi.incoming {
                    guard let t = arg.value.temp, t.int < tcount, arg.block.int < n else { continue }
                    // Only real edges count; a stray phi argument is the verifier's business.
                    let ps = succ[arg.block.int]
                    if ps.count > 0 && ps[0] == s.int || ps.count > 1 && ps[1] == s.int {
                        phiUses[arg.block.int].append(t.index)
                        isGlobal.insert(t.int)
                    }
                }
            }
        }

        // Renumber global temps densely; drop local temps from kill lists.
        var globalIndex = [Int32](repeating: -1, count: tcount)
        var globals: [Temp] = []
        for t in isGlobal {
            globalIndex[t] = Int32(globals.count)
            globals.append(Temp(t))
        }
        for i in gen.indices { gen[i] = UInt32(globalIndex[Int(gen[i])]) }
        for b in 0..<n { for i in phiUses[b].indices { phiUses[b][i] = UInt32(globalIndex[Int(phiUses[b][i])]) } }
        var globalKill: [UInt32] = []
        var globalKillStart = [Int](repeating: 0, count: n + 1)
        for b in 0..<n {
            globalKillStart[b] = globalKill.count
            for i in killStart[b]..<killStart[b + 1] where globalIndex[Int(kill[i])] >= 0 {
                globalKill.append(UInt32(globalIndex[Int(kill[i])]))
            }
        }
        globalKillStart[n] = globalKill.count

        self.globalTemps = globals
        self.globalIndex = globalIndex
        var live = BitMatrix(rows: n, columns: globals.count)
        var out = live

        let postorder = Array(order.reversePostorder.reversed())
        // dirty[b]: some successor's live-in changed since b was last computed.
        // Unreachable blocks are never visited, so they must never count as dirty.
        var dirty = [Bool](repeating: false, count: n)
        for b in postorder { dirty[b.int] = true }
        var scratch = BitSet(capacity: globals.count)
        var rounds = 0
        var changed = true
        while changed {
            changed = false
            rounds += 1
            for b in postorder where dirty[b.int] {
                let bi = b.int
                dirty[bi] = false
                // live-out = ∪ live-in(successors) ∪ phi uses on the out-edges.
                out.clearRow(bi)
                let ss = succ[bi]
                for j in 0..<ss.count { _ = out.formUnion(row: bi, with: live, row: ss[j]) }
                for t in phiUses[bi] { _ = out.insert(Int(t), inRow: bi) }
                // live-in = gen ∪ (live-out − kill).
                scratch.setToRow(bi, of: out)
                for i in globalKillStart[bi]..<globalKillStart[bi + 1] { scratch.remove(Int(globalKill[i])) }
                for i in genStart[bi]..<genStart[bi + 1] { scratch.insert(Int(gen[i])) }
                if !live.row(bi, equals: scratch) {
                    live.setRow(bi, to: scratch)
                    for p in order.predecessors(of: bi) where order.isReachable(BlockID(Int(p))) { dirty[Int(p)] = true }
                }
            }
            // Postorder visits predecessors later in the same round, except
            // along retreating edges: only those leave work for another round.
            changed = dirty.contains(true)
        }
        liveInRows = live
        liveOutRows = out
        iterations = rounds
    }

    public func liveIn(_ b: BlockID) -> TempSet { temps(liveInRows, b) }
    public func liveOut(_ b: BlockID) -> TempSet { temps(liveOutRows, b) }

    public func isLiveIn(_ t: Temp, _ b: BlockID) -> Bool { bit(liveInRows, t, b) }
    public func isLiveOut(_ t: Temp, _ b: BlockID) -> Bool { bit(liveOutRows, t, b) }

    private func temps(_ rows: BitMatrix, _ b: BlockID) -> TempSet {
        var set = TempSet(capacity: tempCount)
        guard b.int < rows.rowCount else { return set }
        rows.forEach(inRow: b.int) { g in set.insert(globalTemps[g]) }
        return set
    }

    private func bit(_ rows: BitMatrix, _ t: Temp, _ b: BlockID) -> Bool {
        guard t.int < tempCount, globalIndex[t.int] >= 0, b.int < rows.rowCount else { return false }
        return rows.contains(Int(globalIndex[t.int]), inRow: b.int)
    }
}
