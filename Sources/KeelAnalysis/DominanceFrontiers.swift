// DominanceFrontiers: DF(x) and iterated frontiers, for any
// `ControlFlowGraph` (through its `DominatorTree`); contract below.
import KeelIR

/// Dominance frontiers: DF(x) is the set of blocks y such that x dominates a
/// predecessor of y but does not strictly dominate y (Cytron, Ferrante, Rosen,
/// Wegman, Zadeck 1991) — where phis for definitions in x belong.
///
/// Algorithm: the "runner" method of Cooper, Harvey, Kennedy, "A Simple, Fast
/// Dominance Algorithm", section 4: for each join block y and each reachable
/// predecessor p, walk from p up the dominator tree until idom(y), adding y
/// to the frontier of every block passed. The walk is done for every block
/// with a reachable predecessor, not only joins, so that an entry block that
/// is a jump target (which the IL forbids, but the analysis tolerates) lands
/// in the frontiers of the blocks dominating its predecessors.
///
/// Expects: a `DominatorTree` (of any `ControlFlowGraph`; the edges come
/// from its `BlockOrder`).
/// Guarantees: each frontier lists reachable blocks only, without duplicates,
/// in the order found (blocks y in reverse postorder). Unreachable blocks
/// have empty frontiers and are in none.
public struct DominanceFrontiers: Sendable {
    private let frontiers: [[BlockID]]

    /// The frontiers of the graph whose dominator tree is `dom`.
    public init(_ dom: DominatorTree) {
        let order = dom.order
        var df = [[BlockID]](repeating: [], count: order.blockCount)
        for y in order.reversePostorder {
            let stop = dom.immediateDominator(y)
            for q in order.predecessors(of: y.int) where order.isReachable(BlockID(Int(q))) {
                var runner: BlockID? = BlockID(Int(q))
                while let r = runner, r != stop {
                    // y is handled in one go, so a duplicate can only be the last entry.
                    if df[r.int].last == y { break }
                    df[r.int].append(y)
                    runner = dom.immediateDominator(r)
                }
            }
        }
        self.frontiers = df
    }

    public func frontier(_ b: BlockID) -> [BlockID] {
        b.int < frontiers.count ? frontiers[b.int] : []
    }

    /// The iterated dominance frontier DF+(blocks): where SSA construction à la
    /// Cytron places phis for a variable defined in `blocks`. Sorted by block index.
    public func iteratedFrontier(of blocks: [BlockID]) -> [BlockID] {
        var inResult = [Bool](repeating: false, count: frontiers.count)
        var queued = [Bool](repeating: false, count: frontiers.count)
        var work: [BlockID] = []
        for b in blocks where b.int < frontiers.count && !queued[b.int] {
            queued[b.int] = true
            work.append(b)
        }
        var result: [BlockID] = []
        while let x = work.popLast() {
            for y in frontiers[x.int] where !inResult[y.int] {
                inResult[y.int] = true
                result.append(y)
                if !queued[y.int] {
                    queued[y.int] = true
                    work.append(y)
                }
            }
        }
        return result.sorted()
    }
}
