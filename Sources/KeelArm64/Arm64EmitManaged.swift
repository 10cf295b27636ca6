// The text of what the managed runtime asks of arm64 code (docs/runtime.md,
// docs/stack-maps.md): the return-address label and stack-map entry of each
// safepoint, the inline nursery allocation, and the card mark of `storer`.
// Only x16 and x17 serve as temporaries (never allocated: docs/arm64.md),
// except in the allocation, which is a call to the allocator and so owns
// the caller-saved registers it clobbers.
import KeelCodegen
import KeelIR

extension Arm64Emitter {
    /// Labels the return address of safepoint `i` (right after its `bl`) and
    /// writes its map entry: the x29-relative cells of the listed slots (the
    /// frame record is at the bottom of the frame, so they are positive).
    mutating func emitSafepoint(_ i: Int) {
        let frame = self.frame
        let offsets = stackMapSection.offsets(atSafepoint: i) {
            Int32(clamping: frame.arm64Offset(Int64(frame.spillOffsets[$0.int])))
        }
        let label = ".Lsp\(id)_\(safepointCount)"
        out += "\(label):\n"
        stackMaps += StackMapSection.entry(returnAddress: label, offsets: offsets)
        safepointCount += 1
    }

    /// `keel_alloc(layout, words)` with the nursery's bump pointer inline:
    /// p = ptr, q = p + n; if q > limit call keel_alloc, else ptr = q and
    /// write the header (layout, words). The result is in x0 on both paths.
    mutating func emitInlineAllocation(_ i: Int, layout: SymbolID, words: Int32) {
        let bytes = 16 + 8 * Int64(words)
        let layoutName = symbol(layout, 0)
        line("adrp x16, keel_nursery")
        line("add x16, x16, :lo12:keel_nursery")
        line("ldr x0, [x16]")
        addImmediate("x1", "x0", bytes)
        line("ldr x17, [x16, #8]")
        line("cmp x1, x17")
        line("b.hi 1f")
        line("str x1, [x16]")
        line("adrp x17, \(layoutName)")
        line("add x17, x17, :lo12:\(layoutName)")
        line("str x17, [x0]")
        loadImmediate("x17", Int64(words))
        line("str x17, [x0, #8]")
        line("b 2f")
        out += "1:\n"
        line("adrp x0, \(layoutName)")
        line("add x0, x0, :lo12:\(layoutName)")
        loadImmediate("x1", Int64(words))
        line("bl keel_alloc")
        emitSafepoint(i)
        out += "2:\n"
    }

    /// Marks the card of the field at `a` (operands from `k`): its address in
    /// x17, shifted to a card index, added to the table base loaded into x16.
    mutating func emitCardMark(_ a: Arm64Address, baseOperand k: Int) {
        switch a {
        case .base(let off):
            if off == 0 { line("mov x17, \(reg(k))") } else { addImmediate("x17", reg(k), Int64(off)) }
        case .indexed(let shift, let extend):
            switch extend {
            case .none, .lsl: line("add x17, \(reg(k)), \(reg(k + 1))" + (shift == 0 ? "" : ", lsl #\(shift)"))
            case .sxtw, .uxtw:
                line("add x17, \(reg(k)), \(reg(k + 1, 4)), \(extend == .sxtw ? "sxtw" : "uxtw")"
                     + (shift == 0 ? "" : " #\(shift)"))
            }
        case .slot:
            return  // a frame cell: not in the heap (the selector writes no barrier for it)
        }
        line("lsr x17, x17, #9")
        line("adrp x16, keel_card_table")
        line("ldr x16, [x16, :lo12:keel_card_table]")
        line("add x16, x16, x17")
        line("mov w17, #1")
        line("strb w17, [x16]")
    }
}
