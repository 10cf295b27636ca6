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
