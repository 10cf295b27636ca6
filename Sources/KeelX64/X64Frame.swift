/// Frame layout of a function (rbp-based).
///
/// Layout below the saved rbp: the callee-saved registers the allocator used,
/// then one 8-byte cell per spill slot, then the static `alloc` slots at
/// their alignment; the total is rounded to 16 so rsp stays 16-byte aligned
/// at calls (rbp itself is 16-aligned after `push %rbp`). Slots do not share
/// memory yet (sharing by liveness comes later).
import KeelCodegen

public struct X64Frame: Sendable {
    /// Callee-saved registers to save, with their rbp offsets.
    public var saved: [(PReg, Int32)] = []
    public var spillOffsets: [Int32] = []
    public var allocOffsets: [Int32] = []
    /// Bytes subtracted from rsp in the prologue.
    public var size: Int32 = 0

    public init(function: X64Function, allocation: AllocationResult) {
        // Int arithmetic, clamped at the end: absurd slot sizes must not trap.
        var cursor = 0
        for r in X64Reg.calleeSaved where allocation.usedCalleeSaved.contains(r) {
            cursor += 8
            saved.append((r, Int32(clamping: -cursor)))
        }
        for _ in allocation.spillSlotClasses {
            cursor += 8
            spillOffsets.append(Int32(clamping: -cursor))
        }
        for slot in function.allocSlots {
            let align = max(1, Int(slot.align))
            cursor += Int(slot.size)
            cursor = (cursor + align - 1) / align * align
            allocOffsets.append(Int32(clamping: -cursor))
        }
        size = Int32(clamping: (cursor + 15) & ~15)
    }
}
