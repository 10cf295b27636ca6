import KeelTestSupport
import KeelIR

/// Builds a function whose CFG is the adjacency list `adj`: block i ends in
/// `ret` (no successor), `jmp` (one) or `jnz` on a constant (two; equal
/// targets allowed).
func cfg(_ adj: [[Int]]) -> Function {
    var f = Function(name: SymbolID(0))
    let cond = f.addConstant(.integer(1))
    for i in adj.indices { _ = f.addBlock(label: "b\(i)") }
    for (i, succ) in adj.enumerated() {
        switch succ.count {
        case 0: f.blocks[i].terminator = .ret(.none)
        case 1: f.blocks[i].terminator = .jmp(BlockID(succ[0]))
        default: f.blocks[i].terminator = .jnz(cond, BlockID(succ[0]), BlockID(succ[1]))
        }
    }
    return f
}

func ids(_ xs: [Int]) -> [BlockID] { xs.map(BlockID.init) }

/// A random CFG of `n` blocks: each block has 0, 1 or 2 successors (duplicates allowed).
func randomAdjacency(_ n: Int, using rng: inout SplitMix64) -> [[Int]] {
    (0..<n).map { _ in
        let k = Int.random(in: 0..<10, using: &rng)
        let count = k < 1 ? 0 : (k < 5 ? 1 : 2)
        return (0..<count).map { _ in Int.random(in: 0..<n, using: &rng) }
    }
}

/// Blocks reachable from the entry without passing through `removed`.
func reachable(_ adj: [[Int]], removing removed: Int? = nil) -> [Bool] {
    var seen = [Bool](repeating: false, count: adj.count)
    guard !adj.isEmpty, removed != 0 else { return seen }
    var work = [0]
    seen[0] = true
    while let b = work.popLast() {
        for s in adj[b] where !seen[s] && s != removed {
            seen[s] = true
            work.append(s)
        }
    }
    return seen
}

/// Reference dominance: for reachable b, d dominates b iff b == d or b is
/// unreachable once d is removed.
func bruteDominance(_ adj: [[Int]]) -> [[Bool]] {
    let base = reachable(adj)
    return adj.indices.map { d in
        let without = reachable(adj, removing: d)
        return adj.indices.map { b in base[b] && base[d] && (b == d || !without[b]) }
    }
}
