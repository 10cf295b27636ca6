import KeelCodegen
import KeelIR
import Testing
@testable import KeelX64

/// Instruction selection on small functions: which payloads and operand
/// constraints come out, and that the machine CFG keeps the allocator's rules.
struct SelectionTests {
    func select(_ text: String, function index: Int = 0) throws -> (X64Function, Module) {
        var module = try Module(parsing: text)
        let problems = constructSSA(&module)
        #expect(problems.isEmpty, "\(problems)")
        let f = try selectInstructions(module.functions[index], in: module)
        return (f, module)
    }

    func payloads(_ f: X64Function) -> [X64Inst] { f.machine.instructions.map(\.payload) }

    func operands(_ f: X64Function, of predicate: (X64Inst) -> Bool) -> [MachineOperand] {
        guard let i = f.machine.instructions.firstIndex(where: { predicate($0.payload) }) else { return [] }
        return Array(f.machine.operands(of: MInst(i)))
    }

    @Test func immediateOperandAndTwoAddressForm() throws {
        let (f, _) = try select("""
            function w $f(w %a) {
            @start
                %x =w add %a, 7
                ret %x
            }
            """)
        #expect(payloads(f).contains(.aluImm(.add, size: 4, imm: 7)))
        let ops = operands(f) { if case .aluImm = $0 { return true } else { return false } }
        #expect(ops.count == 2)
        #expect(ops[1].kind == .def && ops[1].constraint == .reuse(0))
    }

    @Test func largeConstantIsMaterialized() throws {
        let (f, _) = try select("""
            function l $f(l %a) {
            @start
                %x =l add %a, 81985529216486895
                ret %x
            }
            """)
        #expect(payloads(f).contains(.movImm(size: 8, imm: 81985529216486895)))
        #expect(payloads(f).contains(.alu(.add, size: 8)))
    }

    @Test func divisionUsesRaxAndClobbersRdxEarly() throws {
        let (f, _) = try select("""
            function w $f(w %a, w %b) {
            @start
                %q =w rem %a, %b
                ret %q
            }
            """)
        let ops = operands(f) { if case .div(signed: true, size: 4) = $0 { return true } else { return false } }
        #expect(ops.count == 4)
        #expect(ops[0].kind == .use && ops[0].constraint == .fixed(X64Reg.rax))
        #expect(ops[1].kind == .use && ops[1].constraint == .reg)
        // The remainder comes out of rdx, written by cqto before the divisor is read.
        #expect(ops[3].vreg.int < f.machine.vregClasses.count)
        let rdxDef = ops.first { $0.kind == .def && $0.constraint == .fixed(X64Reg.rdx) }
        #expect(rdxDef?.position == .early)
    }

    @Test func shiftCountIsInRcx() throws {
        let (f, _) = try select("""
            function l $f(l %a, w %n) {
            @start
                %x =l shl %a, %n
                ret %x
            }
            """)
        let ops = operands(f) { if case .shift(.shl, size: 8) = $0 { return true } else { return false } }
        #expect(ops.count == 3)
        #expect(ops[1].constraint == .fixed(X64Reg.rcx))
        #expect(ops[2].constraint == .reuse(0))
    }

    @Test func comparisonFusesWithBranchWhenOnlyUse() throws {
        let (f, _) = try select("""
            function w $f(w %a) {
            @start
                %c =w csltw %a, 10
                jnz %c, @yes, @no
            @yes
                ret 1
            @no
                ret 0
            }
            """)
        #expect(payloads(f).contains(.cmpImmJump(.l, size: 4, imm: 10)))
        #expect(!payloads(f).contains { if case .cmpImmSet = $0 { return true } else { return false } })
    }

    @Test func comparisonWithOtherUsesIsMaterialized() throws {
        let (f, _) = try select("""
            function w $f(w %a, w %b) {
            @start
                %c =w cultw %a, %b
                jnz %c, @yes, @no
            @yes
                ret %c
            @no
                ret 0
            }
            """)
        #expect(payloads(f).contains(.cmpSet(.b, size: 4)))
        #expect(payloads(f).contains(.jnz(size: 4)))
    }

    @Test func constantFirstOperandSwapsTheCondition() throws {
        let (f, _) = try select("""
            function w $f(l %a) {
            @start
                %c =w csltl 5, %a
                ret %c
            }
            """)
        // 5 < a  ⇔  a > 5
        #expect(payloads(f).contains(.cmpImmSet(.g, size: 8, imm: 5)))
    }

    @Test func callArgumentsResultAndClobbers() throws {
        let (f, _) = try select("""
            function l $f(l %p, d %x) {
            @start
                %r =l call $g(l %p, d %x, w 3)
                ret %r
            }
            """)
        guard let i = f.machine.instructions.firstIndex(where: { if case .call = $0.payload { return true } else { return false } }) else {
            Issue.record("no call")
            return
        }
        let inst = f.machine.instructions[i]
        let ops = Array(f.machine.operands(of: MInst(i)))
        let fixed = ops.compactMap { op -> PReg? in if case .fixed(let r) = op.constraint, op.kind == .use { return r } else { return nil } }
        #expect(fixed == [X64Reg.rdi, X64Reg.xmm(0), X64Reg.rsi])
        #expect(ops.contains { $0.kind == .def && $0.constraint == .fixed(X64Reg.rax) })
        #expect(inst.clobbers == X64Reg.sysV.callerSaved)
    }

    @Test func variadicCallSetsAl() throws {
        let (f, _) = try select("""
            function $f(l %fmt, d %x) {
            @start
                call $printf(l %fmt, ..., d %x)
                ret
            }
            """)
        #expect(payloads(f).contains(.movImm(size: 4, imm: 1)))
        let ops = operands(f) { if case .call = $0 { return true } else { return false } }
        #expect(ops.contains { $0.constraint == .fixed(X64Reg.rax) && $0.kind == .use })
    }

    @Test func stackArgumentsAdjustRsp() throws {
        let (f, _) = try select("""
            function $f(l %a) {
            @start
                call $g(l %a, l %a, l %a, l %a, l %a, l %a, l %a, l %a, l %a)
                ret
            }
            """)
        let p = payloads(f)
        #expect(p.contains(.adjustStack(-32)))
        #expect(p.contains(.adjustStack(32)))
        #expect(p.contains(.storeOutgoing(offset: 16, float: false)))
    }

    @Test func commutativeOperationOverwritesTheOperandThatDies() throws {
        // %t dies at the and, %a lives on: the and reuses %t's register, so no copy of %a is needed.
        let (f, module) = try select("""
            function w $f(w %a, w %b) {
            @start
                %t =w xor %b, 5
                %u =w and %a, %t
                %r =w add %u, %a
                ret %r
            }
            """)
        let t = module.functions[0].temps.firstIndex { $0.name == "t" }!
        let ops = operands(f) { if case .alu(.and, size: 4) = $0 { return true } else { return false } }
        #expect(ops.count == 3 && ops[0].vreg == VReg(t) && ops[2].constraint == .reuse(0))
    }

    @Test func staticAllocBecomesSlotAddressing() throws {
        let (f, _) = try select("""
            function w $f() {
            @start
                %p =l alloc8 24
                storew 5, %p
                %v =w loadw %p
                ret %v
            }
            """)
        #expect(f.allocSlots.count == 1)
        #expect(f.allocSlots.first?.size == 24)
        #expect(payloads(f).contains(.storeImm(size: 4, imm: 5, .slot(0, 0))))
        #expect(payloads(f).contains(.load(.sw, resultSize: 4, .slot(0, 0))))
    }

    /// Phis become parameters of join blocks; branches into them go through edge blocks.
    @Test func criticalEdgesAreSplitAndJoinsGetParameters() throws {
        let (f, _) = try select("""
            function w $f(w %a) {
            @start
                jnz %a, @join, @other
            @other
                jmp @join
            @join
                %x =w phi @start 1, @other 2
                ret %x
            }
            """)
        let mf = f.machine
        for (i, b) in mf.blocks.enumerated() where !b.params.isEmpty {
            for p in b.predecessors {
                #expect(mf.blocks[p.int].successors.count == 1, "mb\(i) has a predecessor that branches")
            }
        }
        #expect(mf.blocks.contains { $0.params.count == 1 })
        for b in mf.blocks where b.successors.count > 1 {
            for s in b.successors { #expect(mf.blocks[s.int].predecessors.count == 1) }
        }
        // The machine form satisfies the allocator's checks.
        _ = try allocateRegisters(mf, registers: X64Reg.sysV)
    }

    /// `{ l, d }` travels in rdi + xmm0; the callee stores both parts into a frame slot.
    @Test func aggregateParameterInRegistersIsStoredToASlot() throws {
        let (f, _) = try select("""
            type :S = { l, d }
            function l $f(:S %s) {
            @start
                %v =l loadl %s
                ret %v
            }
            """)
        let params = operands(f) { $0 == .parameters }
        #expect(params.map(\.constraint) == [.fixed(X64Reg.rdi), .fixed(X64Reg.xmm(0))])
        #expect(payloads(f).contains(.store(size: 8, float: false, .slot(0, 0))))
        #expect(payloads(f).contains(.store(size: 8, float: true, .slot(0, 8))))
        #expect(f.allocSlots.first?.size == 16)
    }

    /// A MEMORY-class result: the caller passes a slot's address in rdi.
    @Test func largeAggregateResultUsesHiddenPointer() throws {
        let (f, _) = try select("""
            type :B = { l, l, l }
            function l $f() {
            @start
                %b =:B call $g()
                %v =l loadl %b
                ret %v
            }
            """)
        let ops = operands(f) { if case .call = $0 { return true } else { return false } }
        #expect(ops.contains { $0.kind == .use && $0.constraint == .fixed(X64Reg.rdi) })
        #expect(payloads(f).contains(.slotAddress(0, 0)))
    }

    @Test func variadicFunctionSavesRegistersAndReadsArguments() throws {
        let (f, _) = try select("""
            function l $f(w %n, ...) {
            @start
                %ap =l alloc8 24
                vastart %ap
                %x =l vaarg %ap
                ret %x
            }
            """)
        // One named integer register used: gp_offset starts at 8, fp_offset at 48.
        #expect(payloads(f).contains { if case .vaStart(_, 8, 48, 0) = $0 { return true } else { return false } })
        #expect(payloads(f).contains(.vaArg(float: false, size: 8)))
        #expect(f.variadicSaveSlot != nil)
    }

    @Test func unsupportedConstructIsAnError() throws {
        var module = try Module(parsing: """
            function w $f() {
            @start
                %x =w add 1, 2
                ret %x
            }
            """)
        _ = constructSSA(&module)
        module.functions[0].blocks[0].terminator = .none
        #expect(throws: SelectionError.self) { _ = try selectInstructions(module.functions[0], in: module) }
    }
}

extension SelectionError: CustomStringConvertible {
    public var description: String { message }
}
