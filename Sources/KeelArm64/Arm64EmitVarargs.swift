// The text of `vastart` and `vaarg` for the Linux AAPCS64 va_list (§B.4,
// "Appendix: variable argument lists"):
//
//     struct va_list { void *__stack;   // 0: the next stack argument
//                      void *__gr_top;  // 8: end of the saved x0–x7
//                      void *__vr_top;  // 16: end of the saved v0–v7 (16 bytes each)
//                      int __gr_offs;   // 24: -(bytes of x registers left), 0 when none
//                      int __vr_offs; } // 28: -(bytes of v registers left)
//
// `vaarg` reads from the register save area while the class's offset is
// negative (it reaches 0 exactly: one 8- or 16-byte step per argument),
// then from `__stack` in 8-byte steps. x16 and x17 are its temporaries
// (free inside one instruction), so only the result is written late.
import KeelCodegen

extension Arm64Emitter {
    mutating func emitVAStart(ap: String, saveSlot: Int32, grOffset: Int32, vrOffset: Int32, namedStack: Int32) {
        let save = frameOffset(frame.allocOffsets[Int(saveSlot)])
        addImmediate("x16", "x29", Int64(frame.arm64Total) + Int64(namedStack))
        line("str x16, [\(ap)]")
        addImmediate("x16", "x29", save + 64)
        line("str x16, [\(ap), #8]")
        addImmediate("x16", "x29", save + 192)
        line("str x16, [\(ap), #16]")
        loadImmediate("x16", Int64(grOffset))
        line("str w16, [\(ap), #24]")
        loadImmediate("x16", Int64(vrOffset))
        line("str w16, [\(ap), #28]")
    }

    mutating func emitVAArg(ap: String, dest: String, float: Bool) {
        let offs = float ? 28 : 24, top = float ? 16 : 8, step = float ? 16 : 8
        line("ldrsw x16, [\(ap), #\(offs)]")
        line("cmp x16, #0")
        line("b.ge 1f")
        line("ldr x17, [\(ap), #\(top)]")
        line("add x17, x17, x16")
        line("add w16, w16, #\(step)")
        line("str w16, [\(ap), #\(offs)]")
        line("b 2f")
        out += "1:\n"
        line("ldr x17, [\(ap)]")
        line("add x16, x17, #8")
        line("str x16, [\(ap)]")
        out += "2:\n"
        line("ldr \(dest), [x17]")
    }
}
