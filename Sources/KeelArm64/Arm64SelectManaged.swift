// Selection of what the managed runtime asks of compiled code on arm64
// (docs/runtime.md): the inline nursery allocation of `keel_alloc` and the
// card-marking write barrier of `storer`. Safepoints and their stack maps
// are the call's (`SafepointPolicy`, KeelCodegen's StackMaps.swift); both
// instructions here keep the allocator's view of the operation they expand:
// the allocation is the call it replaces, the barrier touches only x16/x17.
import KeelCodegen
import KeelIR

extension Arm64Selector {
    /// `call $keel_alloc(l $layout, l N)` with a layout of the module and a
    /// small constant N: one `.allocate`, the bump pointer inline and the
    /// runtime call only when the nursery is full. To the allocator it is
    /// the call — a safepoint clobbering the caller-saved registers with its
    /// result in x0 — so references are in their slots whichever path runs.
    mutating func selectInlineAllocation(_ ins: Instruction, _ site: CallSite) throws(SelectionError) -> Bool {
        guard let (layout, words) = safepoints.inlineAllocation(ins, site, in: f) else { return false }
        let d = ins.result.temp.map { VReg($0.int) } ?? newVReg(.l)
        mf.append(.allocate(layout: layout, words: Int32(words)), [.def(d, .fixed(Arm64Reg.x(0)))],
                  clobbers: Arm64Reg.aapcs64.callerSaved, safepoint: true)
        return true
    }

    /// The write barrier of a `storer` to `address` (selected as `addr`
    /// reading `regs`): the card of the field is marked dirty. A frame slot
    /// or a symbol (a global reference cell) is not in the heap, whose cards
    /// are all the table covers; both are roots scanned at every collection.
    mutating func cardMark(_ address: Ref, _ addr: Arm64Address, _ regs: [VReg]) {
        if case .slot = addr { return }
        if f.constant(address) != nil { return }
        mf.append(.cardMark(addr), regs.map { .use($0) })
    }
}
