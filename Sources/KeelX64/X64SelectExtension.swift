// Integer extensions that need no instruction of their own (see
// X64Selector.swift for the selector it serves):
//
// - the extension of a constant is the extended constant (`mov $imm`);
// - a load whose only use is an extension loads the extended value itself:
//   x86 loads sign- or zero-extend bytes, halves and words to 32 or 64 bits
//   as they read them, so `loadub` + `extub` is one `movzbl`, `loadsw` +
//   `extsw` one `movslq`. The load then defines the extension's register
//   and the extension selects to nothing (`absorbed`).
//
// The combined load, for a load of k bits and an extension of its low e
// bits (signed or not) to class C: e ≤ k reads just those e bits with the
// extension's signedness (little-endian: they are at the same address); a
// wider extension of a narrower load keeps the load's own extension when
// both agree or the load's is unsigned (the extended value then has a 0 top
// bit), and a sign-extending load under `extuw` is the 32-bit form, whose
// write clears the upper half. Other pairs keep both instructions.
import KeelCodegen
import KeelIR

extension X64Selector {
    /// Bits and signedness an integer load reads (nil: `loadl`/`loadr`, 64 bits, no extension).
    static func loadWidth(_ op: Opcode) -> (bits: Int, signed: Bool)? {
        switch op {
        case .loadsb: return (8, true)
        case .loadub: return (8, false)
        case .loadsh: return (16, true)
        case .loaduh: return (16, false)
        case .loadsw: return (32, true)
        case .loaduw: return (32, false)
        default: return nil
        }
    }

    /// Bits and signedness an extension reads.
    static func extensionWidth(_ op: Opcode) -> (bits: Int, signed: Bool)? {
        switch op {
        case .extsb: return (8, true)
        case .extub: return (8, false)
        case .extsh: return (16, true)
        case .extuh: return (16, false)
        case .extsw: return (32, true)
        case .extuw: return (32, false)
        default: return nil
        }
    }

    static func loadKind(bits: Int, signed: Bool) -> X64LoadKind {
        switch (bits, signed) {
        case (8, true): return .sb
        case (8, false): return .ub
        case (16, true): return .sh
        case (16, false): return .uh
        case (32, true): return .sw
        default: return .uw
        }
    }

    /// The one load that reads what `load` then `ext` compute, with its result size; nil when there is none.
    static func extendedLoad(_ load: Instruction, _ ext: Instruction) -> (X64LoadKind, resultSize: Int)? {
        guard let (e, extSigned) = extensionWidth(ext.op), load.type == .w || load.type == .l,
              load.op != .loadr else { return nil }
        let size = ext.type == .w ? 4 : 8
        let (k, loadSigned) = loadWidth(load.op) ?? (64, false)
        if e <= k { return (loadKind(bits: e, signed: extSigned), size) }
        if loadSigned == extSigned || !loadSigned { return (loadKind(bits: k, signed: loadSigned), size) }
        // Sign-extended to 32 bits, then zero-extended to 64: the 32-bit form writes exactly that.
        if e == 32 && size == 8 { return (loadKind(bits: k, signed: true), 4) }
        return nil
    }

    /// Plans, for extension `ins`, that the load defining its operand loads the extended value instead.
    mutating func planExtendedLoad(_ ins: Instruction) {
        guard let d = ins.result.temp, let t = ins.a.temp, useCount[t.int] == 1, defIndex[t.int] >= 0 else { return }
        let load = f.blocks[Int(defBlock[t.int])].instructions[Int(defIndex[t.int])]
        guard load.op.isLoad, Self.extendedLoad(load, ins) != nil else { return }
        loadInto[t.int] = Int32(d.int)
        absorbed[d.int] = true
    }

    /// For load `ins`: the register it defines and how it loads, when an extension was folded into it.
    func extendedLoadTarget(_ ins: Instruction) -> (VReg, X64LoadKind, resultSize: Int)? {
        guard let t = ins.result.temp, loadInto[t.int] >= 0 else { return nil }
        let e = Int(loadInto[t.int])
        let ext = f.blocks[Int(defBlock[e])].instructions[Int(defIndex[e])]
        guard let (kind, size) = Self.extendedLoad(ins, ext) else { return nil }
        return (VReg(e), kind, size)
    }

    /// The constant an extension of constant `r` computes, for an `op` with result class `cls`.
    func extendedConstant(_ op: Opcode, _ r: Ref, _ cls: BaseType) -> Int64? {
        guard let c = f.constant(r), case .integer(let v) = c, let (e, signed) = Self.extensionWidth(op) else { return nil }
        let low = UInt64(bitPattern: v) & (UInt64.max >> (64 - e))
        var x = low
        if signed && low >> (e - 1) & 1 == 1 { x |= ~(UInt64.max >> (64 - e)) }
        // A word result keeps the low 32 bits (movImm of a w value holds them zero-extended).
        if cls == .w { x &= 0xffff_ffff }
        return Int64(bitPattern: x)
    }
}
