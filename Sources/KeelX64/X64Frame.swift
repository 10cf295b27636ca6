import KeelCodegen

// x86-64's frame: the target-independent `FrameLayout` below rbp, with the
// callee-saved registers in `X64Reg.calleeSaved` order and the stack
// aligned to 16 (rbp itself is 16-aligned after `push %rbp`, so rsp stays
// 16-aligned at calls). Stack slots are `X64Function.allocSlots`: static
// `alloc` slots (alloc4/8/16), aggregate buffers (capped at 16-byte
// alignment) and the variadic register save area, which always escapes.
public typealias X64Frame = FrameLayout

extension FrameLayout {
    /// The frame with spill slots shared as `SpillSlotSharing` says and stack
    /// slots as `AllocSlotLifetimes` says (each computed here).
    public init(function: X64Function, allocation: AllocationResult) {
        self.init(function: function, allocation: allocation,
                  spillSlots: SpillSlotSharing(function: function.machine, allocation: allocation),
                  allocSlots: AllocSlotLifetimes(function: function))
    }

    public init(function: X64Function, allocation: AllocationResult, spillSlots: SpillSlotSharing,
                allocSlots lifetimes: AllocSlotLifetimes) {
        self.init(saveOrder: X64Reg.calleeSaved, allocation: allocation, spillSlots: spillSlots,
                  stackSlots: function.stackSlots, lifetimes: lifetimes)
    }

    /// The frame size with one cell per spill slot and every stack slot on its own (the layout before sharing).
    public static func unsharedSize(function: X64Function, allocation: AllocationResult) -> Int {
        unsharedSize(saveOrder: X64Reg.calleeSaved, allocation: allocation, stackSlots: function.stackSlots)
    }
}

extension AllocSlotLifetimes {
    /// The lifetimes of an x86-64 function's stack slots.
    public init(function fn: X64Function) {
        self.init(function: fn.machine, slots: fn.stackSlots)
    }
}

extension X64Function {
    /// The function's stack slots as the target-independent slot analyses see them.
    public var stackSlots: StackSlots {
        StackSlots(sizes: allocSlots, escaping: variadicSaveSlot.map { [$0] } ?? [])
    }
}

/// The stack-slot check (KeelCodegen/StackSlotCheck.swift) on an x86-64 function.
public func checkStackSlots(function fn: X64Function, allocation: AllocationResult, frame: X64Frame) -> [StackSlotError] {
    checkStackSlots(function: fn.machine, slots: fn.stackSlots, allocation: allocation, frame: frame,
                    registers: X64Reg.sysV)
}
