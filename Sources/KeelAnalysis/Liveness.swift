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
/// Memory: two bit rows per block, blocks × global temps / 4 bytes in all.
public struct Liveness: Sendable {
    public let tempCount: Int
    /// Temps that may be live at some block boundary, in increasing order;
    /// every other temp lives and dies inside one block.
    public let globalTemps: [Temp]
    private let globalIndex: [Int32]     // per temp: index in globalTemps, -1 = local
    private let wordsPerBlock: Int
    private var inWords: [UInt64]
    private var outWords: [UInt64]
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

        let w = BitSet.wordCount(globals.count)
        wordsPerBlock = w
        self.globalTemps = globals
        self.globalIndex = globalIndex
        var liveInWords = [UInt64](repeating: 0, count: n * w)
        var liveOutWords = [UInt64](repeating: 0, count: n * w)

        let postorder = Array(order.reversePostorder.reversed())
        // dirty[b]: some successor's live-in changed since b was last computed.
        // Unreachable blocks are never visited, so they must never count as dirty.
        var dirty = [Bool](repeating: false, count: n)
        for b in postorder { dirty[b.int] = true }
        var scratch = [UInt64](repeating: 0, count: w)
        var rounds = 0
        var changed = true
        liveInWords.withUnsafeMutableBufferPointer { live in
            liveOutWords.withUnsafeMutableBufferPointer { out in
                while changed {
                    changed = false
                    rounds += 1
                    for b in postorder where dirty[b.int] {
                        let bi = b.int
                        dirty[bi] = false
                        let base = bi * w
                        // live-out = ∪ live-in(successors) ∪ phi uses on the out-edges.
                        for k in 0..<w { out[base + k] = 0 }
                        let ss = succ[bi]
                        for j in 0..<ss.count {
                            let sbase = ss[j] * w
                            for k in 0..<w { out[base + k] |= live[sbase + k] }
                        }
                        for t in phiUses[bi] { out[base + Int(t >> 6)] |= 1 << UInt64(t & 63) }
                        // live-in = gen ∪ (live-out − kill).
                        for k in 0..<w { scratch[k] = out[base + k] }
                        for i in globalKillStart[bi]..<globalKillStart[bi + 1] {
                            let t = globalKill[i]
                            scratch[Int(t >> 6)] &= ~(1 << UInt64(t & 63))
                        }
                        for i in genStart[bi]..<genStart[bi + 1] {
                            let t = gen[i]
                            scratch[Int(t >> 6)] |= 1 << UInt64(t & 63)
                        }
                        var rowChanged = false
                        for k in 0..<w where live[base + k] != scratch[k] {
                            live[base + k] = scratch[k]
                            rowChanged = true
                        }
                        if rowChanged {
                            for p in order.predecessors[bi] where order.isReachable(p) { dirty[p.int] = true }
                        }
                    }
                    // Postorder visits predecessors later in the same round, except
                    // along retreating edges: only those leave work for another round.
                    changed = dirty.contains(true)
                }
            }
        }
        inWords = liveInWords
        outWords = liveOutWords
        iterations = rounds
    }

    public func liveIn(_ b: BlockID) -> TempSet { row(inWords, b) }
    public func liveOut(_ b: BlockID) -> TempSet { row(outWords, b) }

    public func isLiveIn(_ t: Temp, _ b: BlockID) -> Bool { bit(inWords, t, b) }
    public func isLiveOut(_ t: Temp, _ b: BlockID) -> Bool { bit(outWords, t, b) }

    private func row(_ words: [UInt64], _ b: BlockID) -> TempSet {
        var set = TempSet(capacity: tempCount)
        let base = b.int * wordsPerBlock
        guard base + wordsPerBlock <= words.count else { return set }
        for k in 0..<wordsPerBlock {
            var bits = words[base + k]
            while bits != 0 {
                set.insert(globalTemps[k << 6 | bits.trailingZeroBitCount])
                bits &= bits - 1
            }
        }
        return set
    }

    private func bit(_ words: [UInt64], _ t: Temp, _ b: BlockID) -> Bool {
        guard t.int < tempCount, globalIndex[t.int] >= 0 else { return false }
        let g = Int(globalIndex[t.int])
        let i = b.int * wordsPerBlock + g >> 6
        guard i < words.count else { return false }
        return words[i] & (1 << UInt64(g & 63)) != 0
    }
}
