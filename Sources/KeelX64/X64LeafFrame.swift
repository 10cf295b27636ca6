// Whether a function can run without a frame of its own: no
// `push %rbp; mov %rsp, %rbp` on entry and no `leave` before `ret`, as QBE
// leaves out for such leaves.
//
// A frame costs three instructions per call of a small leaf (is_alpha in
// Benchmarks/c/words.c is called once per character). It is only needed to
// address something through rbp or to keep rbp chained for the collector's
// frame walk, which starts at a call into the runtime: a function that never
// calls is never in that chain.
//
// Guarantees: true only if the frame is empty (no spill or stack slots, no
// callee-saved register to save, no variadic save area) and no instruction
// calls (calls, inline allocation with its slow call), reads incoming stack
// arguments through rbp, moves rsp (outgoing stack arguments, dynamic
// `alloc`) or starts a `va_list`.
import KeelCodegen

extension X64Function {
    public func isFrameless(_ frame: X64Frame) -> Bool {
        guard frame.size == 0, frame.saved.isEmpty, variadicSaveSlot == nil, allocSlots.isEmpty else { return false }
        for inst in machine.instructions {
            if !inst.clobbers.isEmpty || inst.isSafepoint { return false }
            switch inst.payload {
            case .call, .allocate, .stackParameter, .stackParameterAddress, .vaStart, .adjustStack,
                 .storeOutgoing, .copyToOutgoing, .dynamicAlloc, .slotAddress:
                return false
            default:
                continue
            }
        }
        return true
    }
}
