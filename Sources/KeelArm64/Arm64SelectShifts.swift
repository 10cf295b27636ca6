// Shifted register operands (see Arm64Selector.swift): an `add`, `sub`,
// `and`, `or` or `xor` whose operand is a `shl` by a constant, used only
// there, takes it as `op d, a, b, lsl #k` and the `shl` is not selected.
//
// Expects use counts and the address and madd plans (an `add` already
// folded into addressing or fused with a `mul` is left alone). For `sub`
// only the second operand may be shifted; the others commute.
import KeelCodegen
import KeelIR

extension Arm64Selector {
    mutating func planShiftedOperands() {
        let f = self.f
        var shifts: [Int: (value: Ref, amount: UInt8, type: BaseType)] = [:]
        for b in f.blocks {
            for ins in b.instructions where ins.type == .w || ins.type == .l {
                if ins.op == .shl, let t = ins.result.temp, useCount[t.int] == 1, !absorbed[t.int], ins.a.temp != nil,
                   let k = f.constant(ins.b), case .integer(let v) = k, v > 0, v < (ins.type == .l ? 64 : 32) {
                    shifts[t.int] = (ins.a, UInt8(v), ins.type)
                    continue
                }
                guard [.add, .sub, .and, .or, .xor].contains(ins.op), let t = ins.result.temp, !absorbed[t.int],
                      fusedMultiply[Int32(t.int)] == nil, offsetBase[t.int] < 0, ins.a != ins.b else { continue }
                let candidates = ins.op == .sub ? [(ins.b, ins.a)] : [(ins.b, ins.a), (ins.a, ins.b)]
                for (shifted, other) in candidates {
                    guard let s = shifted.temp, let form = shifts[s.int], form.type == ins.type else { continue }
                    shiftedOperand[Int32(t.int)] = (other, form.value, form.amount)
                    absorbed[s.int] = true
                    shifts[s.int] = nil
                    break
                }
            }
        }
    }
}
