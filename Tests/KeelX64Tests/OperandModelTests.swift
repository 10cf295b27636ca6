// Contract: the register model of AT&T lines (KeelX64/X64TextModel.swift)
// and the path comparison (OperandComparison.swift) on hand-written lines
// and declarations, independent of the selector and the emitter: implicit
// registers, address registers, zeroing idioms, partial paths through
// local labels, and early/late ordering.
import KeelCodegen
import Testing
@testable import KeelX64

struct OperandModelTests {
    func effect(_ line: String) throws -> ModelEffect {
        guard case .instruction(let m, let ops) = try ModelLine.parse(line) else { throw ModelParseError.badOperand(line) }
        return try ModelEffect(mnemonic: m, operands: ops)
    }

    @Test func implicitRegisters() throws {
        #expect(try effect("cqto") == ModelEffect(reads: [.rax], writes: [.rdx]))
        #expect(try effect("cltd") == ModelEffect(reads: [.rax], writes: [.rdx]))
        #expect(try effect("idivl %ecx") == ModelEffect(reads: [.rax, .rdx, .rcx], writes: [.rax, .rdx]))
        #expect(try effect("divq %r9") == ModelEffect(reads: [.rax, .rdx, .r9], writes: [.rax, .rdx]))
        #expect(try effect("shlq %cl, %rdx") == ModelEffect(reads: [.rcx, .rdx], writes: [.rdx]))
        #expect(try effect("shrq %rsi") == ModelEffect(reads: [.rsi], writes: [.rsi]))
        #expect(try effect("leave") == ModelEffect(reads: [.rbp], writes: [.rsp, .rbp]))
        let call = try effect("call *%rbx")
        #expect(call.reads == [.rbx, .rsp])
        #expect(ModelRegisterSet(call.writes) == SysVModel.callerSaved)
        #expect(call.abiReads.contains(.rdi) && call.abiReads.contains(.xmm(7)) && !call.abiReads.contains(.xmm(8)))
        #expect(try effect("ret").abiReads == SysVModel.returnRegisters)
    }

    /// A tail call's jump leaves the function, and the callee reads the argument registers.
    @Test func tailJumpsLeaveAndReadTheArguments() throws {
        let direct = try effect("jmp g")
        #expect(direct.flow == .stop && direct.abiReads == SysVModel.argumentRegisters)
        let indirect = try effect("jmp *%r10")
        #expect(indirect.flow == .stop && indirect.reads == [.r10] && indirect.abiReads == SysVModel.argumentRegisters)
        #expect(try effect("jmp .Lbb3").flow == .branch(".Lbb3", conditional: false))
        #expect(try effect("jmp 1f").flow == .branch("1f", conditional: false))
        #expect(try effect("jne g").abiReads == ModelRegisterSet())
    }

    @Test func operandsAndWidths() throws {
        #expect(try effect("movq 8(%rax,%rcx,4), %rdx") == ModelEffect(reads: [.rax, .rcx], writes: [.rdx]))
        #expect(try effect("movl %eax, (%rdi)") == ModelEffect(reads: [.rax, .rdi]))
        #expect(try effect("movb %r11b, -3(%rsp)") == ModelEffect(reads: [.r11, .rsp]))
        #expect(try effect("movq %fs:0, %r8") == ModelEffect(writes: [.r8]))
        #expect(try effect("leaq x@tpoff-8(%r8), %r8") == ModelEffect(reads: [.r8], writes: [.r8]))
        #expect(try effect("movsd .Lfp0_1(%rip), %xmm3") == ModelEffect(writes: [.xmm(3)]))
        #expect(try effect("movq 4096, %r10") == ModelEffect(writes: [.r10]))
        #expect(try effect("sete %sil") == ModelEffect(writes: [.rsi]))
        #expect(try effect("cvttsd2siq %xmm2, %r12") == ModelEffect(reads: [.xmm(2)], writes: [ModelRegister(12)]))
        #expect(try effect("imull $7, %r9d") == ModelEffect(reads: [.r9], writes: [.r9]))
        #expect(try effect("ucomisd %xmm1, %xmm0") == ModelEffect(reads: [.xmm(1), .xmm(0)]))
    }

    @Test func zeroingIdiomOnlyWrites() throws {
        #expect(try effect("xorl %edx, %edx") == ModelEffect(writes: [.rdx]))
        #expect(try effect("xorps %xmm4, %xmm4") == ModelEffect(writes: [.xmm(4)]))
        #expect(try effect("xorl %ecx, %edx") == ModelEffect(reads: [.rcx, .rdx], writes: [.rdx]))
    }

    @Test func unknownTextIsAnError() throws {
        #expect(throws: ModelParseError.unknownMnemonic("vpaddd")) { try ModelLine.parse("vpaddd %xmm0, %xmm1, %xmm2") }
        #expect(throws: ModelParseError.badOperand("%foo")) { try ModelLine.parse("movq %foo, %rax") }
        #expect(try ModelLine.parse("1:") == .label("1"))
        #expect(try ModelLine.parse(".loc 1 2 3") == .directive)
    }

    func op(_ n: Int, _ kind: MachineOperand.Kind, _ r: ModelRegister, _ c: MachineOperand.Constraint = .reg,
            early: Bool = false) -> PlacedOperand {
        PlacedOperand(index: n, kind: kind, position: kind == .use ? .early : early ? .early : .late, constraint: c,
                      register: r)
    }

    @Test func earlyAndLateDefs() {
        let text = "cqto\nidivq %rcx\n"
        let division = [op(0, .use, .rax, .fixed(X64Reg.rax)), op(1, .use, .rcx),
                        op(2, .def, .rax, .fixed(X64Reg.rax)), op(3, .def, .rdx, .fixed(X64Reg.rdx), early: true)]
        let p = X64Inst.div(signed: true, size: 8)
        #expect(compareOperands(DeclaredInstruction(payload: p, operands: division, clobbers: .init()), emitted: text).isEmpty)
        var late = division
        late[3].position = .late
        #expect(compareOperands(DeclaredInstruction(payload: p, operands: late, clobbers: .init()), emitted: text) == [
            .lateDefWrittenBeforeUse(p, def: 3, register: .rdx, writtenAt: SequenceLine(index: 0, text: "cqto"), use: 1,
                                     useRegister: .rcx, readAt: SequenceLine(index: 1, text: "idivq %rcx")),
        ])
    }

    /// A register read on one path before any write there is a read of the instruction's input.
    @Test func pathsThroughLocalLabels() {
        let text = "testq %rax, %rax\njs 1f\nmovq %rax, %rcx\n1:\naddq %rcx, %rdx\n"
        let p = X64Inst.hlt
        let ops = [op(0, .use, .rax), op(1, .use, .rdx), op(2, .def, .rdx, .reuse(1))]
        #expect(compareOperands(DeclaredInstruction(payload: p, operands: ops, clobbers: .init()), emitted: text) == [
            .writeNotDeclared(p, register: .rcx, at: SequenceLine(index: 2, text: "movq %rax, %rcx")),
            .readNotDeclared(p, register: .rcx, at: SequenceLine(index: 4, text: "addq %rcx, %rdx")),
        ])
        // A loop back to `1:` terminates and sees the write of the first iteration.
        let loop = "xorl %r11d, %r11d\n1:\nmovq (%rax,%r11), %xmm15\naddq $8, %r11\ncmpq $64, %r11\njb 1b\n"
        #expect(compareOperands(DeclaredInstruction(payload: p, operands: [op(0, .use, .rax)], clobbers: .init()),
                                emitted: loop).isEmpty)
        #expect(compareOperands(DeclaredInstruction(payload: p, operands: [op(0, .use, .rax)], clobbers: .init()),
                                emitted: "addq $8, %r11\n") == [
            .scratchReadBeforeWrite(p, register: .r11, at: SequenceLine(index: 0, text: "addq $8, %r11")),
            .useNeverRead(p, use: 0, register: .rax),
        ])
    }
}
