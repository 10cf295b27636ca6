// Addressing modes: which address arithmetic folds into the memory operands
// of the loads and stores that use it (see Arm64Selector.swift).
//
// Expects use counts (`useCount`, `addressUses`) from `countUses`. Decides,
// for each `add`/`sub` of class `l` whose result only loads and stores use
// as their address:
// - `base ± c` (c a 32-bit constant) → `[base, #c]` (any c: the emitter
//   falls back to x17 for offsets no encoding takes), or `[x29, #slot+c]`
//   when base is a static slot;
// - `base + index` → `[base, index]`, where an index defined only for this
//   use as `x · w` or `x << log2 w` (w the width of every access through the
//   address, as the hardware scales by exactly that) becomes
//   `[base, x, lsl #log2 w]`, and an index defined only for this use as
//   `extsw`/`extuw y` becomes `[base, wy, sxtw|uxtw #k]`.
// Such an `add` (and the index computation it swallows) is not selected;
// an `add` with other uses is selected and still folded where it is an address.
import KeelCodegen
import KeelIR

/// A `[base, index, extend #shift]` address: base and index temps.
struct IndexedAddress {
    var base: Int
    var index: Int
    var shift: UInt8
    var extend: Arm64IndexExtend
}

extension Arm64Selector {
    mutating func planAddresses() {
        let f = self.f
        // The width of every access through each address temp (0: none yet, -1: mixed).
        var width = [Int](repeating: 0, count: f.temps.count)
        var defs: [Int: Instruction] = [:]
        for b in f.blocks {
            for ins in b.instructions {
                if let t = ins.result.temp, [.mul, .shl, .extsw, .extuw].contains(ins.op) { defs[t.int] = ins }
                let address = ins.op.isLoad ? ins.a.temp : ins.op.isStore && ins.a != ins.b ? ins.b.temp : nil
                if let t = address, let w = ins.op.memoryWidth {
                    width[t.int] = width[t.int] == 0 || width[t.int] == w ? w : -1
                }
            }
        }
        for b in f.blocks {
            for ins in b.instructions where (ins.op == .add || ins.op == .sub) && ins.type == .l {
                guard let t = ins.result.temp else { continue }
                let addressOnly = addressUses[t.int] > 0 && addressUses[t.int] == useCount[t.int]
                var (base, c) = (ins.a, ins.b)
                if ins.op == .add, f.constant(base) != nil { swap(&base, &c) }
                // (Int32 first: negating Int64.min would trap.)
                if let bt = base.temp, let k = f.constant(c), case .integer(let v) = k,
                   let off = Int32(exactly: v).flatMap({ ins.op == .add ? $0 : $0 == Int32.min ? nil : -$0 }) {
                    offsetBase[t.int] = Int32(bt.int)
                    offsetValue[t.int] = Int64(off)
                    absorbed[t.int] = addressOnly
                    continue
                }
                guard ins.op == .add, addressOnly, let a = ins.a.temp, let i = ins.b.temp, a != i,
                      fusedMultiply[Int32(t.int)] == nil else { continue }
                var form = IndexedAddress(base: a.int, index: i.int, shift: 0, extend: .none)
                // The scaled index may be either operand.
                for (bs, ix) in [(a, i), (i, a)] {
                    if let scaled = scaledIndex(ix.int, width: width[t.int], defs) {
                        form = IndexedAddress(base: bs.int, index: scaled.index, shift: scaled.shift, extend: scaled.extend)
                        absorbed[ix.int] = true
                        break
                    }
                }
                indexedForm[Int32(t.int)] = form
                absorbed[t.int] = true
            }
        }
    }

    /// `x · w`, `x << log2 w` or `ext y` (used only here) as the index of an access of `width` bytes.
    func scaledIndex(_ t: Int, width: Int, _ defs: [Int: Instruction])
        -> (index: Int, shift: UInt8, extend: Arm64IndexExtend)? {
        guard useCount[t] == 1, let d = defs[t], d.type == .l, width > 0, let x = d.a.temp else { return nil }
        let log = UInt8(width.trailingZeroBitCount)
        switch d.op {
        case .mul:
            guard let k = f.constant(d.b), case .integer(let v) = k, v == Int64(width), width > 1 else { return nil }
            return (x.int, log, .lsl)
        case .shl:
            guard let k = f.constant(d.b), case .integer(let v) = k, v == Int64(log), log > 0 else { return nil }
            return (x.int, log, .lsl)
        case .extsw:
            return (x.int, 0, .sxtw)
        case .extuw:
            return (x.int, 0, .uxtw)
        default:
            return nil
        }
    }

    /// A memory operand for address `r`, and the registers it reads (base, then index).
    mutating func address(_ r: Ref) throws(SelectionError) -> (Arm64Address, [VReg]) {
        guard let t = r.temp else { return (.base(0), [try value(r, .l)]) }
        if staticSlot[t.int] >= 0 { return (.slot(staticSlot[t.int], 0), []) }
        if let form = indexedForm[Int32(t.int)] {
            return (.indexed(shift: form.shift, extend: form.extend), [VReg(form.base), VReg(form.index)])
        }
        let base = Int(offsetBase[t.int])
        if base >= 0, let off = Int32(exactly: offsetValue[t.int]) {
            if staticSlot[base] >= 0 { return (.slot(staticSlot[base], off), []) }
            return (.base(off), [VReg(base)])
        }
        return (.base(0), [VReg(t.int)])
    }
}
