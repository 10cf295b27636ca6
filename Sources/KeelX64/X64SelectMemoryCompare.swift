// Branches on a value loaded only to be tested: the load becomes the memory
// operand of the `cmp` (see X64Selector.swift for the selector it serves).
//
// `while (*s)` as cproc writes it loads a byte, extends it and branches on
// it; x86 compares memory with an immediate or a register directly
// (`cmpb $0, (%rdi)`), saving the load's register.
//
// Expects the selector's plans so far: fused comparisons, folded addresses
// and extensions folded into loads. Guarantees: a load is read in place only
// when its value's one use is its block's `jnz` or the comparison fused into
// it, the load is in that block, and nothing after it in the block writes
// memory, calls or may trap, so reading at the branch reads the same bytes
// and faults no differently. The comparison reads `min(n, m)` bits, n the
// bits loaded and m those compared (32 for `w`, as `jnz` reads; 64 for `l`):
// any condition when the extension adds nothing (n ≥ m); for narrower loads
// only equality with a constant the extended value can take.
import KeelCodegen
import KeelIR

/// A value read from memory by a load the selector may move: the load's
/// instruction index in its block, the load, and how it reads.
struct LoadedValue {
    var index: Int
    var load: Instruction
    var bits: Int
    var signed: Bool
}

/// A planned memory comparison: `cmp other, [load]` with condition `cond` (load `cond` other).
struct MemoryCompare {
    var loaded: LoadedValue
    var other: Ref
    var cond: X64Cond
    var width: Int
    var imm: Int32?
}

extension X64Selector {
    /// The load computing `r` in block `b` when `r`'s only use is its consumer there.
    func loadedValue(_ r: Ref, inBlock b: Int) -> LoadedValue? {
        guard let t = r.temp, useCount[t.int] == 1, defBlock[t.int] == Int32(b), defIndex[t.int] >= 0 else { return nil }
        let ins = f.blocks[b].instructions[Int(defIndex[t.int])]
        if ins.op.isLoad {
            guard loadInto[t.int] < 0, ins.type == .w || ins.type == .l else { return nil }
            if let (bits, signed) = Self.loadWidth(ins.op) { return LoadedValue(index: Int(defIndex[t.int]), load: ins, bits: bits, signed: signed) }
            return ins.op == .loadl ? LoadedValue(index: Int(defIndex[t.int]), load: ins, bits: 64, signed: false) : nil
        }
        // An extension folded into its load: the load reads what the extension computes.
        guard absorbed[t.int], Self.extensionWidth(ins.op) != nil, let l = ins.a.temp, loadInto[l.int] == Int32(t.int),
              defBlock[l.int] == Int32(b), defIndex[l.int] >= 0 else { return nil }
        let load = f.blocks[b].instructions[Int(defIndex[l.int])]
        guard let (kind, _) = Self.extendedLoad(load, ins) else { return nil }
        let (bits, signed): (Int, Bool)
        switch kind {
        case .sb: (bits, signed) = (8, true)
        case .ub: (bits, signed) = (8, false)
        case .sh: (bits, signed) = (16, true)
        case .uh: (bits, signed) = (16, false)
        case .sw: (bits, signed) = (32, true)
        case .uw: (bits, signed) = (32, false)
        default: return nil
        }
        // The value's address is the load's, its class the extension's.
        var read = load
        read.type = ins.type
        return LoadedValue(index: Int(defIndex[l.int]), load: read, bits: bits, signed: signed)
    }

    /// How `jnz` on `c` in block `b` compares memory, if it can.
    func memoryCompare(branchingOn c: Ref, inBlock b: Int) -> MemoryCompare? {
        if let v = loadedValue(c, inBlock: b) {
            // jnz reads the low 32 bits: nonzero exactly when the bytes read are.
            return MemoryCompare(loaded: v, other: .none, cond: .ne, width: min(v.bits, 32) / 8, imm: 0)
        }
        guard let t = c.temp, fusedCompare[t.int], defIndex[t.int] >= 0 else { return nil }
        let cmp = f.blocks[b].instructions[Int(defIndex[t.int])]
        guard let (cond, isLong) = Self.integerCondition(cmp.op) else { return nil }
        var x = cmp.a, y = cmp.b, k = cond
        var v = loadedValue(x, inBlock: b)
        if v == nil { v = loadedValue(y, inBlock: b); swap(&x, &y); k = cond.swapped }
        guard let v, (v.load.type == .l) == isLong, y.temp != nil || f.constant(y) != nil else { return nil }
        let m = isLong ? 64 : 32
        if v.bits >= m {
            let width = m / 8
            if y.temp != nil { return MemoryCompare(loaded: v, other: y, cond: k, width: width, imm: nil) }
            guard let imm = immediate(y, size: width) else { return nil }
            return MemoryCompare(loaded: v, other: y, cond: k, width: width, imm: imm)
        }
        // A narrower load: only equality with a constant the extended bytes can equal.
        guard k == .e || k == .ne, let c = integer(y) else { return nil }
        let value = isLong ? c : Int64(Int32(truncatingIfNeeded: c))
        let fits = v.signed ? value >= -(1 << (v.bits - 1)) && value < 1 << (v.bits - 1)
            : (isLong ? value : Int64(UInt32(truncatingIfNeeded: c))) >= 0
                && (isLong ? value : Int64(UInt32(truncatingIfNeeded: c))) < 1 << v.bits
        guard fits else { return nil }
        return MemoryCompare(loaded: v, other: y, cond: k, width: v.bits / 8, imm: Int32(truncatingIfNeeded: c))
    }

    /// The condition of an integer comparison and whether it compares `l` values.
    static func integerCondition(_ op: Opcode) -> (X64Cond, Bool)? {
        let raw = Int(op.rawValue)
        guard op.isComparison, raw < Int(Opcode.ceqs.rawValue) else { return nil }
        let isLong = raw >= Int(Opcode.ceql.rawValue)
        let k = raw - Int((isLong ? Opcode.ceql : Opcode.ceqw).rawValue)
        let conds: [X64Cond] = [.e, .ne, .ge, .g, .le, .l, .ae, .a, .be, .b]
        return (conds[k], isLong)
    }

    /// Plans, for every block ending in `jnz`, whether its loaded operand is read in place.
    mutating func planMemoryCompares() {
        let f = self.f
        for b in f.blocks.indices where reachable[b] && conditionalMoveJoins[b] < 0 {
            guard case .jnz(let c, let tt, let ff) = f.blocks[b].terminator, tt != ff,
                  let m = memoryCompare(branchingOn: c, inBlock: b) else { continue }
            // Nothing after the load may change memory or fault first.
            let after = f.blocks[b].instructions[(m.loaded.index + 1)...]
            guard !after.contains(where: { !$0.op.properties.intersection([.writesMemory, .mayTrap]).isEmpty
                || $0.op == .call || $0.op == .vaarg }) else { continue }
            let load = m.loaded.load.result.temp!
            absorbed[load.int] = true
            readInPlace[b] = true
        }
    }

    /// Selects block `b`'s `jnz` on `c` as a comparison with memory, if planned.
    mutating func selectMemoryCompare(_ c: Ref, inBlock b: Int) -> Bool {
        guard readInPlace[b], let m = memoryCompare(branchingOn: c, inBlock: b) else { return false }
        let (addr, base, index) = memoryAddress(m.loaded.load.a)
        var ops: [MachineOperand] = []
        if let imm = m.imm {
            if let base { ops.append(.use(base)) }
            if let index { ops.append(.use(index)) }
            mf.append(.cmpMemImmJump(m.cond, size: m.width, imm: imm, addr), ops, terminator: true)
        } else {
            ops.append(.use(value(m.other, m.width == 8 ? .l : .w)))
            if let base { ops.append(.use(base)) }
            if let index { ops.append(.use(index)) }
            mf.append(.cmpMemJump(m.cond, size: m.width, addr), ops, terminator: true)
        }
        return true
    }
}
