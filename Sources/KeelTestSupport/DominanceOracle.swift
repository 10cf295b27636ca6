// The tests' one brute-force dominance oracle (and the natural loops built
// on it), on plain adjacency lists so that it serves every test target (IR
// functions, machine functions, bare graphs) without depending on any of
// them.
//
// Expects: `successors[b]` lists the successors of block b; block 0 is the
// entry; successors outside the graph are ignored. Guarantees: the answers
// follow the definitions — d dominates reachable b iff b == d or b cannot be
// reached from the entry once d is removed; nothing is dominated by or
// dominates an unreachable block except itself (`dominance[b][b]` is true
// exactly for the reachable b); the natural loop of header h is h and every
// block that reaches, without passing h, a source of a back edge to h (an
// edge from a reachable block that h dominates). Slow (quadratic) and
// obviously right: for checking the fast algorithms, not for use by them.

/// Blocks reachable from block 0 without passing through `removed`
/// (nothing is reachable when the entry itself is removed).
public func reachableFromEntry(_ successors: [[Int]], removing removed: Int? = nil) -> [Bool] {
    var seen = [Bool](repeating: false, count: successors.count)
    guard !successors.isEmpty, removed != 0 else { return seen }
    var work = [0]
    seen[0] = true
    while let b = work.popLast() {
        for s in successors[b] where s >= 0 && s < successors.count && !seen[s] && s != removed {
            seen[s] = true
            work.append(s)
        }
    }
    return seen
}

/// `dominance[d][b]`: whether block d dominates block b (see above).
public func bruteForceDominance(_ successors: [[Int]]) -> [[Bool]] {
    let base = reachableFromEntry(successors)
    return successors.indices.map { d in
        let without = reachableFromEntry(successors, removing: d)
        return successors.indices.map { b in base[b] && base[d] && (b == d || !without[b]) }
    }
}

/// The natural loops of the graph: header -> body (header included), loops
/// with one header merged.
public func bruteForceNaturalLoops(_ successors: [[Int]]) -> [Int: Set<Int>] {
    let n = successors.count
    let dom = bruteForceDominance(successors)
    var preds = [[Int]](repeating: [], count: n)
    for u in 0..<n where dom[u][u] {
        for v in Set(successors[u]) where v >= 0 && v < n { preds[v].append(u) }
    }
    var loops: [Int: Set<Int>] = [:]
    for u in 0..<n where dom[u][u] {
        for h in successors[u] where h >= 0 && h < n && dom[h][u] {
            var body = loops[h] ?? [h]
            var work = body.contains(u) ? [] : [u]
            body.insert(u)
            while let b = work.popLast() {
                for p in preds[b] where !body.contains(p) {
                    body.insert(p)
                    work.append(p)
                }
            }
            loops[h] = body
        }
    }
    return loops
}
