// If-conversion at selection: a two-way branch whose arms only compute a
// few integer values for a join is selected as conditional moves, so a
// data-dependent condition (a running maximum, a counter bumped on a
// character class) costs no misprediction.
//
// Shape: block B ends in `jnz c, @t, @e`; each arm is either the join J
// itself (a triangle) or a block reached only from B that holds at most
// `maxArmInstructions` integer instructions that cannot trap or touch
// memory, then jumps to J; J has exactly these two predecessors and at most
// `maxPhis` phis, all of class w or l (no references: the collector's maps
// stay as they are, no floats: no cmov for them), and no value involved is
// an `alloc` slot's address or computed from one (the slot-lifetime analysis
// follows such addresses through arithmetic and phis, not through a cmov:
// the slot would count as escaping and lose its sharing). The arms' instructions
// are selected in B (speculated: they only compute), then each phi becomes
// `cmp; cmovcc` of its two incoming values, and B jumps to J passing them.
// The arms get no machine block (SelectionBlockPlan.swift).
import KeelCodegen
import KeelIR

extension X64Selector {
    static let maxArmInstructions = 2
    static let maxPhis = 2

    /// For each block: the join its `jnz` is selected as a jump to, else -1.
    static func conditionalMoveJoins(_ f: Function) -> [Int32] {
        let blocks = f.blocks
        var joins = Array(repeating: Int32(-1), count: blocks.count)
        var preds = Array(repeating: 0, count: blocks.count)
        for b in blocks {
            for s in Set(b.terminator.successors) { preds[s.int] += 1 }
        }
        if !blocks.isEmpty { preds[0] += 1 }  // the synthetic entry
        let addresses = slotAddresses(f)
        func isAddress(_ r: Ref) -> Bool { r.temp.map { addresses.contains($0.int) } ?? false }
        for (i, b) in blocks.enumerated() {
            guard case .jnz(let c, let t, let e) = b.terminator, t != e, c.temp != nil else { continue }
            // Where each arm goes: an arm that is a plain block ends in a jump.
            func target(_ arm: BlockID) -> BlockID? {
                guard arm.int != i, preds[arm.int] == 1, blocks[arm.int].phis.isEmpty,
                      case .jmp(let j) = blocks[arm.int].terminator, speculatable(blocks[arm.int]),
                      !blocks[arm.int].instructions.contains(where: { isAddress($0.a) || isAddress($0.b) }) else { return nil }
                return j
            }
            let join: BlockID
            if let j = target(t), j == e || j == target(e) { join = j }
            else if let j = target(e), j == t { join = j }
            else { continue }
            let phis = blocks[join.int].phis
            guard join.int != i, preds[join.int] == 2, phis.count <= maxPhis,
                  phis.allSatisfy({ ($0.type == .w || $0.type == .l) && !$0.incoming.contains(where: { isAddress($0.value) }) })
            else { continue }
            joins[i] = Int32(join.int)
        }
        return joins
    }

    /// The temporaries holding an `alloc` slot's address or a value computed
    /// from one by arithmetic, copies or phis.
    static func slotAddresses(_ f: Function) -> Set<Int> {
        var set = Set<Int>()
        var changed = true
        while changed {
            changed = false
            for b in f.blocks {
                for phi in b.phis where !set.contains(phi.result.int)
                    && phi.incoming.contains(where: { $0.value.temp.map { set.contains($0.int) } ?? false }) {
                    set.insert(phi.result.int)
                    changed = true
                }
                for ins in b.instructions {
                    guard let t = ins.result.temp, !set.contains(t.int) else { continue }
                    let derived = [ins.a, ins.b].contains { $0.temp.map { set.contains($0.int) } ?? false }
                    if ins.op.isAlloc || (derived && !ins.op.isLoad && ins.op != .call) {
                        set.insert(t.int)
                        changed = true
                    }
                }
            }
        }
        return set
    }

    /// Whether every instruction of an arm may run when the arm would not:
    /// integer arithmetic without traps, memory, calls or references.
    static func speculatable(_ block: Block) -> Bool {
        var n = 0
        for ins in block.instructions where ins.op != .dbgloc {
            n += 1
            guard n <= maxArmInstructions, ins.type == .w || ins.type == .l else { return false }
            switch ins.op {
            case .add, .sub, .mul, .and, .or, .xor, .neg, .shl, .shr, .sar, .copy,
                 .extsb, .extub, .extsh, .extuh, .extsw, .extuw:
                continue
            default:
                guard ins.op.isComparison, ins.op.rawValue < Opcode.ceqs.rawValue else { return false }
            }
        }
        return true
    }

    /// A converted block's comparison is redone by every conditional move,
    /// so only an integer comparison stays fused; any other condition is
    /// computed as a value and tested against zero.
    mutating func planConditionalMoves() {
        for (b, j) in conditionalMoveJoins.enumerated() where j >= 0 {
            guard case .jnz(let c, _, _) = f.blocks[b].terminator, let t = c.temp, fusedCompare[t.int],
                  let cmp = f.blocks[b].instructions.last(where: { $0.result == c }) else { continue }
            if !cmp.op.isComparison || cmp.op.rawValue >= Opcode.ceqs.rawValue { fusedCompare[t.int] = false }
        }
    }

    /// Selects converted block `b`'s arms and its `jnz` to them as
    /// conditional moves into the phis of `join`, then the jump to `join`.
    mutating func selectConditionalMoves(_ b: BlockID, join: BlockID) throws(SelectionError) {
        guard case .jnz(let c, let t, let e) = f.blocks[b.int].terminator else { return }
        for arm in [t, e] where arm != join {
            for ins in f.blocks[arm.int].instructions {
                position = ins.position
                try select(ins, inEntry: false)
            }
        }
        position = f.blocks[b.int].terminatorPosition
        // The condition: `a cond b` (b a register or an immediate) of size `size`.
        var cond = X64Cond.ne, size = 4
        var va: VReg, vb: VReg? = nil, imm: Int32 = 0
        if let ct = c.temp, fusedCompare[ct.int],
           let cmp = f.blocks[b.int].instructions.last(where: { $0.result == c }) {
            let raw = Int(cmp.op.rawValue)
            let isLong = raw >= Int(Opcode.ceql.rawValue)
            let conds: [X64Cond] = [.e, .ne, .ge, .g, .le, .l, .ae, .a, .be, .b]
            cond = conds[raw - Int((isLong ? Opcode.ceql : Opcode.ceqw).rawValue)]
            size = isLong ? 8 : 4
            var x = cmp.a, y = cmp.b
            if f.constant(x) != nil, f.constant(y) == nil {
                swap(&x, &y)
                cond = cond.swapped
            }
            va = value(x, isLong ? .l : .w)
            if let i = immediate(y, size: size) { imm = i } else { vb = value(y, isLong ? .l : .w) }
        } else {
            va = value(c, .w)
        }
        var args: [VReg] = []
        for p in f.blocks[join.int].phis {
            let whenTrue = p.value(from: t == join ? b : t) ?? .none
            let whenFalse = p.value(from: e == join ? b : e) ?? .none
            if whenTrue == whenFalse { args.append(value(whenTrue, p.type)); continue }
            let vt = value(whenTrue, p.type), vf = value(whenFalse, p.type)
            let d = newVReg(p.type)
            let moved = p.type == .l ? 8 : 4
            if let vb {
                mf.append(.cmpSelect(cond, size: size, resultSize: moved),
                          [.use(va), .use(vb), .use(vf), .use(vt), .def(d, .reuse(2))])
            } else {
                mf.append(.cmpImmSelect(cond, size: size, imm: imm, resultSize: moved),
                          [.use(va), .use(vf), .use(vt), .def(d, .reuse(1))])
            }
            args.append(d)
        }
        mf.append(.jmp, [], terminator: true)
        mf.setSuccessors([blocks.entry(of: join)], arguments: [args])
    }
}
