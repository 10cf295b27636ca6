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
/// bounded by loop nesting depth + 2 for reducible CFGs). Per-block use and
/// def lists are sparse; live sets are dense bit rows, one word per 64 temps.
///
/// Expects: any function with a `BlockOrder` of it. Not restricted to SSA: a
/// temp defined several times is handled like any variable. Out-of-range
/// temps, blocks and call indices are ignored.
/// Guarantees: exact sets for reachable blocks; unreachable blocks get empty
/// sets (they do not influence reachable ones: liveness flows backwards).
public struct Liveness: Sendable {
    public let tempCount: Int
    private let wordsPerBlock: Int
    private var inWords: [UInt64]
    private var outWords: [UInt64]
    /// Rounds the fixed-point iteration took (for tests and profiling).
    public private(set) var iterations = 0

    public init(_ f: Function, order: BlockOrder) {
        let n = f.blocks.count
        let tcount = f.temps.count
        let w = BitSet.wordCount(tcount)
        tempCount = tcount
        wordsPerBlock = w
        inWords = [UInt64](repeating: 0, count: n * w)
        outWords = [UInt64](repeating: 0, count: n * w)

        // Sparse per-block facts, as ranges into flat arrays:
        // gen = upward-exposed uses, kill = definitions, phiUse = temps read by
        // successors' phis on the edge from this block.
        var genStart = [Int](repeating: 0, count: n + 1), gen: [UInt32] = []
        var killStart = [Int](repeating: 0, count: n + 1), kill: [UInt32] = []
        var defined = BitSet(capacity: tcount)
        var exposed = BitSet(capacity: tcount)
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
            for t in gen[genStart[bi]...] { exposed.remove(Int(t)) }
            for t in kill[killStart[bi]...] { defined.remove(Int(t)) }
        }
        genStart[n] = gen.count
        killStart[n] = kill.count

        var phiUses = [[UInt32]](repeating: [], count: n)
        for s in order.reversePostorder {
            for phi in f.blocks[s.int].phis {
                for arg in phi.incoming {
                    guard let t = arg.value.temp, t.int < tcount, arg.block.int < n else { continue }
                    // Only real edges count; a stray phi argument is the verifier's business.
                    let succ = successors(f.blocks[arg.block.int].terminator, blockCount: n)
                    if succ.count > 0 && succ[0] == s.int || succ.count > 1 && succ[1] == s.int {
                        phiUses[arg.block.int].append(t.index)
                    }
                }
            }
        }

        let postorder = Array(order.reversePostorder.reversed())
        var scratch = [UInt64](repeating: 0, count: w)
        var rounds = 0
        var changed = true
        inWords.withUnsafeMutableBufferPointer { live in
            outWords.withUnsafeMutableBufferPointer { out in
                while changed {
                    changed = false
                    rounds += 1
                    for b in postorder {
                        let bi = b.int
                        let base = bi * w
                        // live-out = ∪ live-in(successors) ∪ phi uses on the out-edges.
                        for k in 0..<w { out[base + k] = 0 }
                        let succ = successors(f.blocks[bi].terminator, blockCount: n)
                        for j in 0..<succ.count {
                            let sbase = succ[j] * w
                            for k in 0..<w { out[base + k] |= live[sbase + k] }
                        }
                        for t in phiUses[bi] { out[base + Int(t >> 6)] |= 1 << UInt64(t & 63) }
                        // live-in = gen ∪ (live-out − kill).
                        for k in 0..<w { scratch[k] = out[base + k] }
                        for i in killStart[bi]..<killStart[bi + 1] {
                            let t = kill[i]
                            scratch[Int(t >> 6)] &= ~(1 << UInt64(t & 63))
                        }
                        for i in genStart[bi]..<genStart[bi + 1] {
                            let t = gen[i]
                            scratch[Int(t >> 6)] |= 1 << UInt64(t & 63)
                        }
                        for k in 0..<w where live[base + k] != scratch[k] {
                            live[base + k] = scratch[k]
                            changed = true
                        }
                    }
                }
            }
        }
        iterations = rounds
    }

    public func liveIn(_ b: BlockID) -> TempSet { row(inWords, b) }
    public func liveOut(_ b: BlockID) -> TempSet { row(outWords, b) }

    public func isLiveIn(_ t: Temp, _ b: BlockID) -> Bool { bit(inWords, t, b) }
    public func isLiveOut(_ t: Temp, _ b: BlockID) -> Bool { bit(outWords, t, b) }

    private func row(_ words: [UInt64], _ b: BlockID) -> TempSet {
        let base = b.int * wordsPerBlock
        guard base + wordsPerBlock <= words.count else { return TempSet(capacity: tempCount) }
        return TempSet(BitSet(capacity: tempCount, words: words[base..<base + wordsPerBlock]))
    }

    private func bit(_ words: [UInt64], _ t: Temp, _ b: BlockID) -> Bool {
        guard t.int < tempCount else { return false }
        let i = b.int * wordsPerBlock + t.int >> 6
        guard i < words.count else { return false }
        return words[i] & (1 << UInt64(t.int & 63)) != 0
    }
}
