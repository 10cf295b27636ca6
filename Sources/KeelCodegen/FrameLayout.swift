// Frame layout below a frame pointer, for any target.
//
// Expects a function's register allocation, which spill slots may share a
// cell (`SpillSlotSharing`), the function's own stack slots (sizes and
// alignments, numbered by the target) and which of them interfere
// (`AllocSlotLifetimes`). Layout, downwards from the frame pointer: the
// callee-saved registers the allocation writes, in the target's save order;
// the spill cells (8 bytes each); the stack slots, placed first-fit so that
// slots that never interfere may share bytes. The size is rounded up to the
// target's stack alignment.
//
// Guarantees: the frame is never larger than with one cell per spill slot
// and disjoint stack slots (`unsharedSize`): colouring never uses more cells
// than slots, and slots are placed first-fit in the old order, where the old
// position of each slot is always still free (every earlier slot sits at or
// below its own old position). Alignments above the stack alignment are not
// supported by a frame-pointer-relative frame; targets never ask for them.
public struct FrameLayout: Sendable {
    /// Callee-saved registers to save, with their frame-pointer offsets.
    public var saved: [(PReg, Int32)] = []
    /// The frame-pointer offset of every spill slot; slots sharing a cell share an offset.
    public var spillOffsets: [Int32] = []
    /// The cell of every spill slot (the slot → cell mapping the allocation checker tracks).
    public var spillCells: [Int32] = []
    /// The frame-pointer offset of every stack slot, indexed like the target numbers them.
    public var allocOffsets: [Int32] = []
    /// Bytes below the frame pointer the function reserves.
    public var size: Int32 = 0

    public init(saveOrder: [PReg], allocation: AllocationResult, spillSlots spill: SpillSlotSharing,
                stackSlots: StackSlots, lifetimes: AllocSlotLifetimes, stackAlignment: Int = 16) {
        // Int arithmetic, clamped at the end: absurd slot sizes must not trap.
        var cursor = 0
        for r in saveOrder where allocation.usedCalleeSaved.contains(r) {
            cursor += 8
            saved.append((r, Int32(clamping: -cursor)))
        }
        let cellBase = cursor
        cursor += 8 * spill.cellCount
        spillCells = spill.cellOfSlot
        spillOffsets = spill.cellOfSlot.map { Int32(clamping: -(cellBase + 8 * Int($0) + 8)) }

        // First-fit by depth below the frame pointer: a slot of depth d occupies [fp-d, fp-d+size).
        let base = cursor
        var depth = [Int](repeating: 0, count: stackSlots.sizes.count)
        for (k, slot) in stackSlots.sizes.enumerated() {
            let size = max(0, Int(slot.size))
            let align = max(1, Int(slot.align))
            var d = FrameLayout.roundUp(base + size, align)
            var moved = true
            while moved {
                moved = false
                for j in 0..<k where lifetimes.interfere(j, k) {
                    let other = max(0, Int(stackSlots.sizes[j].size))
                    if d - size < depth[j], depth[j] - other < d {
                        d = FrameLayout.roundUp(depth[j] + size, align)
                        moved = true
                    }
                }
            }
            depth[k] = d
            cursor = max(cursor, d)
        }
        allocOffsets = depth.map { Int32(clamping: -$0) }
        size = Int32(clamping: FrameLayout.roundUp(cursor, stackAlignment))
    }

    /// The frame size with one cell per spill slot and every stack slot on its own (the layout before sharing).
    public static func unsharedSize(saveOrder: [PReg], allocation: AllocationResult,
                                    stackSlots: StackSlots, stackAlignment: Int = 16) -> Int {
        var cursor = 8 * saveOrder.filter { allocation.usedCalleeSaved.contains($0) }.count
        cursor += 8 * allocation.spillSlotClasses.count
        for slot in stackSlots.sizes {
            cursor = roundUp(cursor + max(0, Int(slot.size)), max(1, Int(slot.align)))
        }
        return roundUp(cursor, stackAlignment)
    }

    static func roundUp(_ x: Int, _ a: Int) -> Int { (x + a - 1) / a * a }
}
