import Testing
@testable import KeelCodegen

// Loop-aware decisions of the allocator's join conventions: what a loop with
// a call keeps in callee-saved registers and what it leaves in slots.
@Suite struct LoopAllocationTests {
    /// entry: x = 42, i0 = 0 · header(i): c = i < 3; br c, body, exit ·
    /// body: call #1(i); i1 = i + 1; jmp header(i1) · exit: ret x + i.
    /// `i` is read in the loop and lives across its call; `x` only passes through.
    func countedLoopWithACall() -> (MachineFunction<ToyOp>, x: VReg, i: VReg) {
        var f = MachineFunction<ToyOp>(name: "loopcall")
        _ = f.beginBlock()
        let x = f.int(), i0 = f.int()
        f.op(.const(42), [.def(x)])
        f.op(.const(0), [.def(i0)])
        f.jmp(MBlock(1), [i0])
        let i = f.int()
        _ = f.beginBlock(params: [i])
        let lim = f.int(), c = f.int()
        f.op(.const(3), [.def(lim)])
        f.op(.cmplt, [.def(c), .use(i), .use(lim)])
        f.br(c, MBlock(2), MBlock(3))
        _ = f.beginBlock()
        let r = f.int(), one = f.int(), i1 = f.int()
        f.call(1, [i], result: r)
        f.op(.const(1), [.def(one)])
        f.op(.add, [.def(i1), .use(i), .use(one)])
        f.jmp(MBlock(1), [i1])
        _ = f.beginBlock()
        let s = f.int()
        f.op(.add, [.def(s), .use(x), .use(i)])
        f.ret(s)
        f.computePredecessors()
        return (f, x, i)
    }

    func block(of e: Edit, in f: MachineFunction<ToyOp>) -> Int {
        f.blocks.firstIndex { $0.instructions.contains(e.point.inst.int) } ?? -1
    }

    @Test func counterLiveAcrossTheCallEntersTheLoopInACalleeSavedRegister() throws {
        let (f, _, i) = countedLoopWithACall()
        let a = try allocateAndCompare(f)
        guard case .reg(let r) = a.blockParamLocations[1][0] else {
            Issue.record("header parameter not in a register"); return
        }
        #expect(!Toy.callerSaved.contains(r))
        // In the loop, the counter only moves into the call's argument register.
        for e in a.edits where [1, 2].contains(block(of: e, in: f)) && e.vreg == i {
            #expect(e.from == .reg(r) && e.to == .reg(Toy.p0), "\(e)")
        }
    }

    @Test func valueOnlyCarriedThroughTheLoopIsStoredBeforeIt() throws {
        let (f, x, _) = countedLoopWithACall()
        let a = try allocateAndCompare(f)
        let moves = a.edits.filter { $0.vreg == x }
        #expect(moves.contains { if case .stack = $0.to { return block(of: $0, in: f) == 0 } else { return false } })
        #expect(!moves.contains { [1, 2].contains(block(of: $0, in: f)) }, "\(moves)")
    }
}
