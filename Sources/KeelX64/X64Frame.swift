// Frame layout of a function (rbp-based).
//
// Expects a selected function and its register allocation. Layout below the
// saved rbp: the callee-saved registers the allocator used, then the spill
// cells (8 bytes each; spill slots whose contents are never live at once
// share a cell, see SpillSlotLiveness.swift), then the static `alloc` slots,
// which share bytes when `AllocSlotLifetimes` says they never interfere. The
// total is rounded to 16 so rsp stays 16-byte aligned at calls (rbp itself
// is 16-aligned after `push %rbp`).
//
// Guarantees: the frame is never larger than with one cell per spill slot
// and disjoint alloc slots (`unsharedSize`): colouring never uses more cells
// than slots, and alloc slots are placed first-fit in the old order, where
// the old position of each slot is always still free (every earlier slot
// sits at or below its own old position). Alignments above 16 are not
// supported by an rbp-relative frame; the selector never asks for them
// (alloc4/8/16, aggregate slots capped at 16).
import KeelCodegen

public struct X64Frame: Sendable {
    /// Callee-saved registers to save, with their rbp offsets.
    public var saved: [(PReg, Int32)] = []
    /// The rbp offset of every spill slot; slots sharing a cell share an offset.
    public var spillOffsets: [Int32] = []
    /// The cell of every spill slot (the slot → cell mapping an allocation checker tracks).
    public var spillCells: [Int32] = []
    /// The rbp offset of every static alloc slot, indexed like `X64Function.allocSlots`.
    public var allocOffsets: [Int32] = []
    /// Bytes subtracted from rsp in the prologue.
    public var size: Int32 = 0

    /// The frame with spill slots shared as `SpillSlotSharing` says and alloc
    /// slots as `AllocSlotLifetimes` says (each computed here).
    public init(function: X64Function, allocation: AllocationResult) {
        self.init(function: function, allocation: allocation,
                  spillSlots: SpillSlotSharing(function: function.machine, allocation: allocation),
                  allocSlots: AllocSlotLifetimes(function: function))
    }

    public init(function: X64Function, allocation: AllocationResult, spillSlots spill: SpillSlotSharing,
                allocSlots lifetimes: AllocSlotLifetimes) {
        // Int arithmetic, clamped at the end: absurd slot sizes must not trap.
        var cursor = 0
        for r in X64Reg.calleeSaved where allocation.usedCalleeSaved.contains(r) {
            cursor += 8
            saved.append((r, Int32(clamping: -cursor)))
        }
        let cellBase = cursor
        cursor += 8 * spill.cellCount
        spillCells = spill.cellOfSlot
        spillOffsets = spill.cellOfSlot.map { Int32(clamping: -(cellBase + 8 * Int($0) + 8)) }

        // First-fit by depth below rbp: a slot of depth d occupies [rbp-d, rbp-d+size).
        let base = cursor
        var depth = [Int](repeating: 0, count: function.allocSlots.count)
        for (k, slot) in function.allocSlots.enumerated() {
            let size = max(0, Int(slot.size))
            let align = max(1, Int(slot.align))
            var d = X64Frame.roundUp(base + size, align)
            var moved = true
            while moved {
                moved = false
                for j in 0..<k where lifetimes.interfere(j, k) {
                    let other = max(0, Int(function.allocSlots[j].size))
                    if d - size < depth[j], depth[j] - other < d {
                        d = X64Frame.roundUp(depth[j] + size, align)
                        moved = true
                    }
                }
            }
            depth[k] = d
            cursor = max(cursor, d)
        }
        allocOffsets = depth.map { Int32(clamping: -$0) }
        size = Int32(clamping: X64Frame.roundUp(cursor, 16))
    }

    /// The frame size with one cell per spill slot and every alloc slot on its own (the layout before sharing).
    public static func unsharedSize(function: X64Function, allocation: AllocationResult) -> Int {
        var cursor = 8 * X64Reg.calleeSaved.filter { allocation.usedCalleeSaved.contains($0) }.count
        cursor += 8 * allocation.spillSlotClasses.count
        for slot in function.allocSlots {
            cursor = roundUp(cursor + max(0, Int(slot.size)), max(1, Int(slot.align)))
        }
        return roundUp(cursor, 16)
    }

    static func roundUp(_ x: Int, _ a: Int) -> Int { (x + a - 1) / a * a }
}
