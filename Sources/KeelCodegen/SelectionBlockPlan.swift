// The machine blocks instruction selection creates for an IR function, in
// order, on any target: a synthetic entry (parameters), then each block
// reachable from the start, each followed by the edge blocks of its `jnz`.
//
// Guarantees the machine layer's invariants (MachineFunction.swift): every
// conditional edge into a block with several predecessors or with phis gets
// a block of its own, so no edge is critical and phi arguments are passed
// by unconditional jumps only; unreachable IR blocks get no machine block.
// A target that selects a branch as conditional moves (an if-conversion)
// names the join that branch's block jumps to instead; the arms it skips
// become unreachable here unless something else reaches them.
import KeelIR

public struct SelectionBlockPlan: Sendable {
    public enum Step: Sendable { case entry, block(BlockID), edge(from: BlockID, to: BlockID) }

    /// The machine blocks, in the order selection creates them.
    public private(set) var steps: [Step] = []
    /// Whether each IR block is reachable from the start.
    public private(set) var reachable: [Bool]
    /// Machine block of each IR block (-1: unreachable).
    private var machineBlock: [Int32]
    /// Edge blocks on the true/false edges of a `jnz` (-1: none).
    private var edgeTrue: [Int32]
    private var edgeFalse: [Int32]

    /// `joins[b] >= 0`: block `b`'s `jnz` is selected as a jump to that block.
    public init(_ f: Function, joins: [Int32] = []) {
        let blocks = f.blocks
        func successors(_ b: Int) -> (BlockID?, BlockID?) {
            if b < joins.count, joins[b] >= 0 { return (BlockID(Int(joins[b])), nil) }
            return Self.successors(blocks[b].terminator)
        }
        let n = blocks.count
        reachable = Array(repeating: false, count: n)
        machineBlock = Array(repeating: -1, count: n)
        edgeTrue = Array(repeating: -1, count: n)
        edgeFalse = Array(repeating: -1, count: n)
        guard n > 0 else { return }
        var stack = [0]
        reachable[0] = true
        while let b = stack.popLast() {
            let (s0, s1) = successors(b)
            if let s = s0, !reachable[s.int] { reachable[s.int] = true; stack.append(s.int) }
            if let s = s1, !reachable[s.int] { reachable[s.int] = true; stack.append(s.int) }
        }
        var predCount = Array(repeating: 0, count: n)
        predCount[0] = 1  // the synthetic entry
        for i in blocks.indices where reachable[i] {
            let (s0, s1) = successors(i)
            if let s = s0 { predCount[s.int] += 1 }
            if let s = s1 { predCount[s.int] += 1 }
        }
        steps.append(.entry)
        for i in blocks.indices where reachable[i] {
            machineBlock[i] = Int32(steps.count)
            steps.append(.block(BlockID(i)))
            guard case (let t?, let e?) = successors(i) else { continue }
            if predCount[t.int] > 1 || !blocks[t.int].phis.isEmpty {
                edgeTrue[i] = Int32(steps.count)
                steps.append(.edge(from: BlockID(i), to: t))
            }
            if predCount[e.int] > 1 || !blocks[e.int].phis.isEmpty {
                edgeFalse[i] = Int32(steps.count)
                steps.append(.edge(from: BlockID(i), to: e))
            }
        }
    }

    /// The machine block a jump to IR block `b` enters.
    @inline(__always) public func entry(of b: BlockID) -> MBlock { MBlock(Int(machineBlock[b.int])) }

    /// The machine successors of block `b`'s `jnz` to `t` (true) and `e`:
    /// its edge blocks where it has them.
    public func branchTargets(of b: BlockID, _ t: BlockID, _ e: BlockID) -> [MBlock] {
        [MBlock(Int(edgeTrue[b.int] >= 0 ? edgeTrue[b.int] : machineBlock[t.int])),
         MBlock(Int(edgeFalse[b.int] >= 0 ? edgeFalse[b.int] : machineBlock[e.int]))]
    }

    /// The successors of a terminator as `Terminator.successors` lists them
    /// (a `jnz` to one block has one), without allocating an array.
    static func successors(_ t: Terminator) -> (BlockID?, BlockID?) {
        switch t {
        case .jmp(let s): return (s, nil)
        case .jnz(_, let s, let e): return s == e ? (s, nil) : (s, e)
        case .none, .ret, .hlt: return (nil, nil)
        }
    }
}
