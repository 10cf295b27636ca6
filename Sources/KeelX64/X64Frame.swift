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
        var cursor: Int32 = 0
        for r in X64Reg.calleeSaved where allocation.usedCalleeSaved.contains(r) {
            cursor += 8
            saved.append((r, -cursor))
        }
        for _ in allocation.spillSlotClasses {
            cursor += 8
            spillOffsets.append(-cursor)
        }
        for slot in function.allocSlots {
            cursor += slot.size
            cursor = (cursor + slot.align - 1) / slot.align * slot.align
            allocOffsets.append(-cursor)
        }
        size = (cursor + 15) & ~15
    }
}
