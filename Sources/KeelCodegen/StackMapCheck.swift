// The stack-map check: the allocation checker's proof that the collector
// sees every live reference at every safepoint, and that compiled code
// never reads a reference the collector may have moved.
//
// Expects what the allocation checker expects, plus the safepoint flags of
// the machine instructions, the function's reference vregs and the maps of
// `AllocationResult.safepointMaps` (the entries the emitter writes, spill
// slots translated to frame cells exactly as the checker's `slotCells`).
//
// Guarantees, on every path through the reachable blocks, for every
// safepoint (in the abstract state just before the call, after its
// parallel copy):
//  - it has a map (`safepointWithoutMap`);
//  - every reference live across it (live after it, not defined by it) is
//    held by the cell of some listed slot (`referenceNotInMap`);
//  - every listed slot's cell holds a reference (`mapListsNonReference`)
//    that is live across it (`mapListsDeadValue`): the collector never
//    traces an integer, garbage or a dead pointer in a shared cell;
// and after the call every register that held a reference holds `stale`
// content, so any read of it before a reload — by an operand or a move — is
// reported where it happens (`useReadsWrongValue` / `editReadsWrongValue`
// with `.stale(after:)`).
//
// Algorithm: the reference liveness is computed here on its own (backward,
// per block, sets of reference vregs; block parameters defined at entry,
// branch arguments used at the end of the predecessor), independently of
// the builder in StackMaps.swift; the contents come from the checker's
// abstract interpretation, so sharing of cells by `slotCells` and parallel
// copies in emitter order are taken into account.
import KeelAnalysis

extension AllocationChecker {
    /// Indexes the maps by instruction and computes the references live
    /// across each safepoint; false (with an error) when a map is malformed.
    mutating func prepareStackMaps() -> Bool {
        let count = operandRanges.count
        mapOf = Array(repeating: -1, count: count)
        for (k, m) in result.safepointMaps.enumerated() {
            let i = m.instruction.int
            guard i >= 0, i < count, isSafepoint[i], mapOf[i] < 0 else {
                fail(.malformedResult("stack map for \(m.instruction), which is not a safepoint or has two maps"))
                return false
            }
            for s in m.slots where index(of: .stack(s)) < 0 {
                fail(.malformedResult("stack map of \(m.instruction) lists nonexistent \(s)"))
                return false
            }
            mapOf[i] = Int32(k)
        }
        guard isSafepoint.contains(true) else { return true }
        referencesAcross = referenceLiveness()
        return true
    }

    /// For each safepoint, the reference vregs live across it.
    func referenceLiveness() -> [Int: Set<Int32>] {
        let n = blocks.count
        func uses(_ b: Int, into live: inout Set<Int32>, at safepoint: ((Int, Set<Int32>) -> Void)?) {
            for args in blocks[b].branchArguments { for a in args where isReference[a.int] { live.insert(Int32(a.index)) } }
            for i in blocks[b].instructions.reversed() {
                for k in operandRanges[i] where operands[k].kind == .def { live.remove(Int32(operands[k].vreg.index)) }
                if isSafepoint[i] { safepoint?(i, live) }
                for k in operandRanges[i] where operands[k].kind == .use && isReference[operands[k].vreg.int] {
                    live.insert(Int32(operands[k].vreg.index))
                }
            }
            for p in blocks[b].params { live.remove(Int32(p.index)) }
        }
        var liveIn = [Set<Int32>](repeating: [], count: n)
        var changed = true
        while changed {
            changed = false
            for b in (0..<n).reversed() {
                var live = Set<Int32>()
                for s in blocks[b].successors where s.int < n { live.formUnion(liveIn[s.int]) }
                uses(b, into: &live, at: nil)
                if live != liveIn[b] { liveIn[b] = live; changed = true }
            }
        }
        var across: [Int: Set<Int32>] = [:]
        for b in 0..<n {
            var live = Set<Int32>()
            for s in blocks[b].successors where s.int < n { live.formUnion(liveIn[s.int]) }
            uses(b, into: &live) { i, set in across[i] = set }
        }
        return across
    }

    /// The map of safepoint `i` against the abstract state just before it.
    mutating func checkStackMap(_ i: Int) {
        let point = ProgramPoint(before: MInst(i))
        guard mapOf[i] >= 0 else {
            fail(.safepointWithoutMap, block: currentBlock, inst: i, point: point)
            return
        }
        let live = referencesAcross[i] ?? []
        var held = Set<Int32>()
        for s in result.safepointMaps[Int(mapOf[i])].slots {
            let x = read(index(of: .stack(s)))
            if x < 0 || !isReference[Int(x)] {
                fail(.mapListsNonReference(slot: s, found: content(x)), block: currentBlock, inst: i, point: point)
            } else if !live.contains(x) {
                fail(.mapListsDeadValue(slot: s, vreg: VReg(Int(x))), block: currentBlock, inst: i, point: point)
            } else {
                held.insert(x)
            }
        }
        for v in live.sorted() where !held.contains(v) {
            fail(.referenceNotInMap(vreg: VReg(Int(v)), elsewhere: locationHolding(VReg(Int(v)))),
                 block: currentBlock, inst: i, point: point)
        }
    }

    /// After safepoint `i`, a register copy of a reference is stale.
    mutating func invalidateReferenceCopies(_ i: Int) {
        for r in 0..<64 {
            let x = read(Int32(r))
            if x >= 0 && Int(x) < isReference.count && isReference[Int(x)] {
                write(Int32(r), staleBase - Int32(clamping: min(i, 1 << 29)))
            }
        }
    }
}
