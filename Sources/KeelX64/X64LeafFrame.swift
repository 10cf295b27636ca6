// Whether a function can run without a frame pointer: no
// `push %rbp; mov %rsp, %rbp` on entry and no `leave` before `ret`, as QBE
// writes its leaves; frame cells are then addressed from rsp.
//
// A frame pointer costs three instructions per call of a small leaf
// (is_alpha in Benchmarks/c/words.c runs once per character; the struct
// helpers of Benchmarks/c/structs.c once per iteration). It is needed to
// keep rbp chained for the collector's frame walk, which starts at a call
// into the runtime (a function that never calls is never in that chain),
// and where rsp moves in the body (a cell's rsp offset would change).
//
// Layout: the frameless prologue lowers rsp by `leafAdjust` = the frame
// size + 8 (0 for an empty frame), so that where rbp would be — 8 below the
// entry rsp — is rsp + leafAdjust - 8, and every cell keeps the
// entry-relative address it has with a frame pointer (spill, stack and
// save cells below it, incoming stack arguments above): the frame layout
// and the emitted-code checks see the same frame. The epilogue raises rsp
// by the same amount before `ret`.
//
// Guarantees: true only if no instruction calls (calls, inline allocation
// with its slow call, safepoints), moves rsp (outgoing stack arguments,
// dynamic `alloc`) or starts a `va_list`, and there is no variadic save area.
import KeelCodegen

extension X64Function {
    public func isFrameless(_ frame: X64Frame) -> Bool {
        guard variadicSaveSlot == nil else { return false }
        for inst in machine.instructions {
            if !inst.clobbers.isEmpty || inst.isSafepoint { return false }
            switch inst.payload {
            case .call, .allocate, .vaStart, .vaArg, .adjustStack, .storeOutgoing, .copyToOutgoing, .dynamicAlloc:
                return false
            default:
                continue
            }
        }
        return true
    }

    /// How far a frameless prologue lowers rsp.
    static func leafAdjust(_ frame: X64Frame) -> Int64 {
        frame.size > 0 ? Int64(frame.size) + 8 : 0
    }
}
