import KeelCodegen
import KeelIR
import Testing
@testable import KeelX64

/// The emitter prints the allocator's parallel copies as correct sequences:
/// cycles through the scratch register, stack-to-stack moves without one.
struct EmitterTests {
    /// One block: `ret` (no operands), with `edits` placed before it.
    func emit(edits: [Edit], spillSlots: [RegClass]) -> String {
        var mf = MachineFunction<X64Inst>(name: "f")
        _ = mf.beginBlock()
        mf.append(.ret, [], terminator: true)
        mf.setSuccessors([], arguments: [])
        mf.computePredecessors()
        var module = Module()
        let sym = module.symbols.intern("f")
        let fn = X64Function(machine: mf, symbol: sym, linkage: Linkage(), name: "f", file: 0)
        let alloc = AllocationResult(operandLocations: [], blockParamLocations: [[]], edits: edits,
                                     spillSlotClasses: spillSlots, usedCalleeSaved: .empty)
        var e = X64Emitter(fn: fn, alloc: alloc, frame: X64Frame(function: fn, allocation: alloc), module: module, id: 0, fileNumber: 0)
        e.emit()
        return e.out.text
    }

    func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test func swapGoesThroughR11() {
        let before = ProgramPoint(before: MInst(0))
        let text = emit(edits: [
            Edit(at: before, from: .reg(X64Reg.rax), to: .reg(X64Reg.rcx), vreg: VReg(0)),
            Edit(at: before, from: .reg(X64Reg.rcx), to: .reg(X64Reg.rax), vreg: VReg(1)),
        ], spillSlots: [])
        let moves = lines(text).filter { $0.hasPrefix("movq %r") && !$0.contains("%rsp") }
        #expect(moves.count == 3)
        #expect(moves.first?.hasSuffix("%r11") == true)
        #expect(moves.last?.hasPrefix("movq %r11,") == true)
    }

    /// The function is a leaf, so frameless (X64LeafFrame.swift): its cells
    /// are addressed from rsp, lowered by the frame size + 8 (slot 0, at
    /// -8 from where rbp would be, is 8(%rsp); slot 1 is 0(%rsp)).
    @Test func floatCycleUsesXmm15AndSpillMovesUseFrameCells() {
        let before = ProgramPoint(before: MInst(0))
        let text = emit(edits: [
            Edit(at: before, from: .reg(X64Reg.xmm(0)), to: .reg(X64Reg.xmm(1)), vreg: VReg(0)),
            Edit(at: before, from: .reg(X64Reg.xmm(1)), to: .reg(X64Reg.xmm(0)), vreg: VReg(1)),
            Edit(at: before, from: .stack(SpillSlot(0)), to: .stack(SpillSlot(1)), vreg: VReg(2)),
            Edit(at: before, from: .reg(X64Reg.rbx), to: .stack(SpillSlot(0)), vreg: VReg(3)),
        ], spillSlots: [.int, .int])
        let l = lines(text)
        #expect(l.contains("movaps %xmm0, %xmm15") || l.contains("movaps %xmm1, %xmm15"))
        // The slot is read (pushq, which forms its address before rsp moves)
        // before rbx overwrites it; popq forms its address after rsp moves back.
        let push = l.firstIndex(of: "pushq 8(%rsp)")
        let store = l.firstIndex(of: "movq %rbx, 8(%rsp)")
        #expect(push != nil && store != nil)
        if let push, let store { #expect(push < store) }
        #expect(l.contains("popq 0(%rsp)"))
        #expect(l.contains("subq $24, %rsp"))
        #expect(l.contains("addq $24, %rsp"))
        #expect(!l.contains { $0.contains("%rbp") })
    }
}
