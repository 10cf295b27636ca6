import KeelTestSupport
import Testing
import KeelIR
import KeelAnalysis

/// A function with the CFG `adj` and `temps` temporaries, edited by the tests.
func function(_ adj: [[Int]], temps: Int) -> Function {
    var f = cfg(adj)
    for i in 0..<temps { _ = f.newTemp(name: "t\(i)", type: .w) }
    return f
}

func tr(_ i: Int) -> Ref { .temp(Temp(i)) }

func inst(_ op: Opcode, _ result: Int?, _ a: Ref, _ b: Ref = .none) -> Instruction {
    Instruction(op: op, type: .w, result: result.map(tr) ?? .none, a: a, b: b)
}

func phi(_ result: Int, _ incoming: [(Int, Ref)]) -> Phi {
    Phi(result: Temp(result), type: .w, incoming: incoming.map { PhiArgument(block: BlockID($0.0), value: $0.1) })
}

func liveness(_ f: Function) -> Liveness { Liveness(f, order: BlockOrder(f)) }

func set(_ xs: [Int]) -> Set<Int> { Set(xs) }
func ints(_ s: TempSet) -> Set<Int> { Set(s.map(\.int)) }

/// Reference liveness by search, one temp at a time, straight from the
/// definition (no data-flow iteration): t is live-in at b iff some path from
/// the top of b reaches a read of t before any write of t, where a phi
/// operand is read at the end of its predecessor and a phi result written at
/// the top of its block.
struct ReferenceLiveness {
    let f: Function
    let reachableBlocks: [Bool]

    init(_ f: Function) {
        self.f = f
        let adj = f.blocks.map { $0.successors.map(\.int) }
        reachableBlocks = reachableFromEntry(adj)
    }

    /// First event for `t` when scanning block `b` from the top: true = read, false = written, nil = neither.
    func firstEvent(_ t: Temp, in b: Int) -> Bool? {
        let block = f.blocks[b]
        if block.phis.contains(where: { $0.result == t }) { return false }
        for i in block.instructions {
            var uses: [Temp] = []
            f.forEachUse(of: i, { uses.append($0) })
            if uses.contains(t) { return true }
            if i.result.temp == t { return false }
        }
        var uses: [Temp] = []
        f.forEachUse(of: block.terminator, { uses.append($0) })
        return uses.contains(t) ? true : nil
    }

    func phiReads(_ t: Temp, edge p: Int, _ s: Int) -> Bool {
        f.blocks[s].phis.contains { $0.incoming.contains { $0.block.int == p && $0.value.temp == t } }
    }

    func liveOut(_ t: Temp, _ b: Int) -> Bool {
        guard reachableBlocks[b] else { return false }
        var seen = Set<Int>()
        var work = [b]
        while let x = work.popLast() {
            for s in Set(f.blocks[x].successors.map(\.int)) {
                if phiReads(t, edge: x, s) { return true }
                switch firstEvent(t, in: s) {
                case true?: return true
                case false?: continue
                case nil: if seen.insert(s).inserted { work.append(s) }
                }
            }
        }
        return false
    }

    func liveIn(_ t: Temp, _ b: Int) -> Bool {
        guard reachableBlocks[b] else { return false }
        switch firstEvent(t, in: b) {
        case true?: return true
        case false?: return false
        case nil: return liveOut(t, b)
        }
    }
}

@Suite struct LivenessTests {
    @Test func straightLine() {
        var f = function([[1], [2], []], temps: 2)
        f.blocks[0].instructions = [inst(.copy, 0, f.addConstant(.integer(1)))]
        f.blocks[1].instructions = [inst(.add, 1, tr(0), tr(0))]
        f.blocks[2].terminator = .ret(tr(1))
        let l = liveness(f)
        #expect(ints(l.liveIn(BlockID(0))).isEmpty)
        #expect(ints(l.liveOut(BlockID(0))) == set([0]))
        #expect(ints(l.liveIn(BlockID(1))) == set([0]))
        #expect(ints(l.liveOut(BlockID(1))) == set([1]))
        #expect(ints(l.liveIn(BlockID(2))) == set([1]))
        #expect(ints(l.liveOut(BlockID(2))).isEmpty)
        #expect(l.isLiveIn(Temp(0), BlockID(1)) && !l.isLiveIn(Temp(1), BlockID(1)))
        #expect(l.iterations == 1)   // acyclic: one postorder round
    }

    @Test func blockLocalTempsAreNotGlobal() {
        // t1 is written and read inside b0 only.
        var f = function([[1], []], temps: 3)
        let c = f.addConstant(.integer(2))
        f.blocks[0].instructions = [inst(.copy, 1, c), inst(.add, 0, tr(1), tr(1))]
        f.blocks[1].instructions = [inst(.copy, 2, tr(0))]
        let l = liveness(f)
        #expect(l.globalTemps == [Temp(0)])
        #expect(!l.isLiveOut(Temp(1), BlockID(0)))
        #expect(ints(l.liveOut(BlockID(0))) == set([0]))
    }

    @Test func loopWithPhi() {
        // b0: t0 = copy 0        b1: t1 = phi b0 t0, b2 t2; jnz t1, b2, b3
        // b2: t2 = add t1, 1     b3: ret t1
        var f = function([[1], [2, 3], [1], []], temps: 3)
        let zero = f.addConstant(.integer(0)), one = f.addConstant(.integer(1))
        f.blocks[0].instructions = [inst(.copy, 0, zero)]
        f.blocks[1].phis = [phi(1, [(0, tr(0)), (2, tr(2))])]
        f.blocks[1].terminator = .jnz(tr(1), BlockID(2), BlockID(3))
        f.blocks[2].instructions = [inst(.add, 2, tr(1), one)]
        f.blocks[3].terminator = .ret(tr(1))
        let l = liveness(f)
        #expect(ints(l.liveOut(BlockID(0))) == set([0]))   // phi operand: live-out of the predecessor
        #expect(ints(l.liveIn(BlockID(1))).isEmpty)          // neither phi operands nor its result
        #expect(ints(l.liveOut(BlockID(1))) == set([1]))
        #expect(ints(l.liveIn(BlockID(2))) == set([1]))
        #expect(ints(l.liveOut(BlockID(2))) == set([2]))
        #expect(ints(l.liveIn(BlockID(3))) == set([1]))
        #expect(l.iterations == 1)   // the header's live-in is empty, so the back edge adds no work
    }

    @Test func phiSwapKeepsBothLiveAroundTheLoop() {
        // b1: t0 = phi b0 c, b2 t1; t1 = phi b0 c, b2 t0   (the swap problem)
        var f = function([[1], [2, 3], [1], []], temps: 2)
        let c = f.addConstant(.integer(3))
        f.blocks[1].phis = [phi(0, [(0, c), (2, tr(1))]), phi(1, [(0, c), (2, tr(0))])]
        f.blocks[1].terminator = .jnz(tr(0), BlockID(2), BlockID(3))
        let l = liveness(f)
        #expect(ints(l.liveOut(BlockID(2))) == set([0, 1]))
        #expect(ints(l.liveIn(BlockID(2))) == set([0, 1]))
        #expect(ints(l.liveOut(BlockID(1))) == set([0, 1]))
        #expect(ints(l.liveIn(BlockID(1))).isEmpty)
        #expect(ints(l.liveOut(BlockID(0))).isEmpty)
    }

    @Test func callArgumentsEnvAndCallee() {
        var f = function([[]], temps: 4)
        let call = f.addCall(CallSite(returnType: .base(.w), env: tr(1),
                                      arguments: [CallArgument(type: .base(.w), value: tr(2))]))
        f.blocks[0].instructions = [Instruction(op: .call, type: .w, result: tr(3), a: tr(0), extra: UInt32(call.index))]
        f.parameters = [Parameter(type: .base(.l), temp: Temp(0))]
        let l = liveness(f)
        // Parameters (and anything else read first) are live-in at the entry.
        #expect(ints(l.liveIn(BlockID(0))) == set([0, 1, 2]))
    }

    @Test func operandCountLimitsUses() {
        // A one-operand instruction's `b` is not a use, even if it holds a temp.
        var f = function([[]], temps: 3)
        f.blocks[0].instructions = [inst(.copy, 0, tr(1), tr(2)), inst(.storew, nil, tr(0), tr(2))]
        let l = liveness(f)
        #expect(ints(l.liveIn(BlockID(0))) == set([1, 2]))
    }

    @Test func useBeforeRedefinitionInTheSameBlock() {
        var f = function([[]], temps: 1)
        f.blocks[0].instructions = [inst(.add, 0, tr(0), f.addConstant(.integer(1)))]
        f.blocks[0].terminator = .ret(tr(0))
        #expect(ints(liveness(f).liveIn(BlockID(0))) == set([0]))
    }

    @Test func nonSSADefinitionsOnBothArms() {
        // Diamond: both arms define t0, the join reads it; b0 reads t1 in jnz.
        var f = function([[1, 2], [3], [3], []], temps: 2)
        let c = f.addConstant(.integer(1))
        f.blocks[0].terminator = .jnz(tr(1), BlockID(1), BlockID(2))
        f.blocks[1].instructions = [inst(.copy, 0, c)]
        f.blocks[2].instructions = [inst(.copy, 0, c)]
        f.blocks[3].terminator = .ret(tr(0))
        let l = liveness(f)
        #expect(ints(l.liveIn(BlockID(3))) == set([0]))
        #expect(ints(l.liveOut(BlockID(1))) == set([0]))
        #expect(ints(l.liveOut(BlockID(0))).isEmpty)
        #expect(ints(l.liveIn(BlockID(0))) == set([1]))
    }

    @Test func unreachableBlocksHaveEmptySets() {
        var f = function([[2], [2], []], temps: 2)
        f.blocks[1].instructions = [inst(.copy, 0, tr(1))]
        f.blocks[2].phis = [phi(1, [(0, f.addConstant(.integer(0))), (1, tr(0))])]
        let l = liveness(f)
        #expect(l.liveIn(BlockID(1)).isEmpty && l.liveOut(BlockID(1)).isEmpty)
        #expect(l.liveOut(BlockID(0)).isEmpty)
    }

    @Test func jnzWithBothTargetsEqual() {
        var f = function([[1, 1], []], temps: 2)
        f.blocks[0].terminator = .jnz(tr(0), BlockID(1), BlockID(1))
        f.blocks[1].phis = [phi(1, [(0, tr(0))])]
        f.blocks[1].terminator = .ret(tr(1))
        let l = liveness(f)
        #expect(ints(l.liveOut(BlockID(0))) == set([0]))
        #expect(ints(l.liveIn(BlockID(1))).isEmpty)
    }

    @Test func liveAcrossNestedLoopsAndIrreducibleCycles() {
        // t0 is defined in b0 and read only at the exit b5, passing an
        // irreducible cycle (b1 <-> b2) inside a loop (b3 -> b1).
        var f = function([[1, 2], [2, 3], [1, 3], [1, 5], [], []], temps: 1)
        f.blocks[0].instructions = [inst(.copy, 0, f.addConstant(.integer(1)))]
        f.blocks[5].terminator = .ret(tr(0))
        let l = liveness(f)
        for b in [1, 2, 3] {
            #expect(l.isLiveIn(Temp(0), BlockID(b)) && l.isLiveOut(Temp(0), BlockID(b)))
        }
        #expect(!l.isLiveIn(Temp(0), BlockID(0)))
        #expect(!l.isLiveIn(Temp(0), BlockID(4)))
    }

    @Test func badIndicesAreIgnored() {
        var f = function([[1], []], temps: 1)
        f.blocks[0].instructions = [Instruction(op: .call, type: .w, a: tr(7), extra: 99)]
        f.blocks[1].phis = [phi(0, [(0, tr(9)), (42, tr(0))])]
        let l = liveness(f)
        #expect(l.liveOut(BlockID(0)).isEmpty)
        #expect(!l.isLiveIn(Temp(7), BlockID(0)))
    }

    /// A random small function: random CFG, phis with an argument per
    /// predecessor, instructions reading and (re)writing a few temps.
    func randomFunction(using rng: inout SplitMix64) -> Function {
        let n = Int.random(in: 1...8, using: &rng)
        let temps = Int.random(in: 1...70, using: &rng)   // sometimes more than one word
        let adj = randomAdjacency(n, using: &rng)
        var f = function(adj, temps: temps)
        let k = f.addConstant(.integer(5))
        func operand(_ rng: inout SplitMix64) -> Ref {
            Int.random(in: 0..<5, using: &rng) == 0 ? k : tr(Int.random(in: 0..<temps, using: &rng))
        }
        let preds = f.predecessors()
        for b in 0..<n {
            for _ in 0..<Int.random(in: 0...2, using: &rng) where !preds[b].isEmpty {
                f.blocks[b].phis.append(phi(Int.random(in: 0..<temps, using: &rng),
                                            preds[b].map { ($0.int, operand(&rng)) }))
            }
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: f.blocks[b].instructions.append(inst(.add, Int.random(in: 0..<temps, using: &rng), operand(&rng), operand(&rng)))
                case 1: f.blocks[b].instructions.append(inst(.copy, Int.random(in: 0..<temps, using: &rng), operand(&rng)))
                case 2: f.blocks[b].instructions.append(inst(.storew, nil, operand(&rng), operand(&rng)))
                default:
                    let site = f.addCall(CallSite(returnType: .base(.w), env: operand(&rng),
                                                  arguments: [CallArgument(type: .base(.w), value: operand(&rng))]))
                    f.blocks[b].instructions.append(Instruction(op: .call, type: .w, result: tr(Int.random(in: 0..<temps, using: &rng)),
                                                                a: operand(&rng), extra: UInt32(site.index)))
                }
            }
            switch f.blocks[b].terminator {
            case .jnz(_, let x, let y): f.blocks[b].terminator = .jnz(operand(&rng), x, y)
            case .ret: f.blocks[b].terminator = .ret(Bool.random(using: &rng) ? operand(&rng) : .none)
            default: break
            }
        }
        return f
    }

    @Test func matchesPathReferenceOnRandomFunctions() {
        var rng = SplitMix64(seed: 0x11FE)
        var nonEmpty = 0
        for _ in 0..<300 {
            let f = randomFunction(using: &rng)
            let l = liveness(f)
            let ref = ReferenceLiveness(f)
            for b in 0..<f.blocks.count {
                let expectIn = Set((0..<f.temps.count).filter { ref.liveIn(Temp($0), b) })
                let expectOut = Set((0..<f.temps.count).filter { ref.liveOut(Temp($0), b) })
                #expect(ints(l.liveIn(BlockID(b))) == expectIn, "block \(b) of \(f.blocks)")
                #expect(ints(l.liveOut(BlockID(b))) == expectOut, "block \(b) of \(f.blocks)")
                if !expectOut.isEmpty { nonEmpty += 1 }
            }
        }
        #expect(nonEmpty > 100)
    }
}

@Suite struct BitSetTests {
    @Test func insertRemoveIterate() {
        var s = BitSet(capacity: 130)
        let fresh = [s.insert(0), s.insert(64), s.insert(129), s.insert(64), s.insert(130)]
        #expect(fresh == [true, true, true, false, false])
        #expect(!s.contains(130) && !s.contains(-1))
        #expect(Array(s) == [0, 64, 129])
        #expect(s.count == 3)
        s.remove(64)
        #expect(Array(s) == [0, 129])
        var t = BitSet(capacity: 130)
        t.insert(5)
        let grew = [t.formUnion(s), t.formUnion(s)]
        #expect(grew == [true, false])
        #expect(Array(t) == [0, 5, 129])
        t.subtract(s)
        #expect(Array(t) == [5])
        t.removeAll()
        #expect(t.isEmpty)
        #expect(BitSet(capacity: 0).isEmpty && Array(BitSet(capacity: 0)).isEmpty)
    }

    @Test func tempSet() {
        var s = TempSet(capacity: 10, [Temp(3), Temp(1)])
        #expect(s.contains(Temp(3)) && !s.contains(Temp(2)))
        s.remove(Temp(3))
        #expect(Array(s) == [Temp(1)])
        #expect(s.description == "{%t1}")
    }
}
