// Contract: the frame-flow check on small hand-written functions, one per
// failure kind, plus a clean one with a loop, GNU local labels and a
// run-time allocation, so each frame case of `EmittedCodeFailure` is shown to be
// reported at the right line and register (the IL suite shows few of them).
import KeelCodegen
import Testing
@testable import KeelX64

@Suite struct FrameFlowCaseTests {
    /// The failures for `body` wrapped as function `f` (body line k, from 0, is text line 4 + k).
    func failures(_ body: [String]) -> [EmittedCodeFailure] {
        let text = (["\t.text", "\t.type f, @function", "f:"] + body.map { "\t" + $0 } + ["\t.size f, .-f"])
            .joined(separator: "\n")
        let fs = X64ReadBack.functions(in: text)
        #expect(fs.count == 1)
        return fs.flatMap { checkEmittedCode($0, convention: X64ReadBack.convention).failures }
    }

    static let prologue = ["endbr64", "pushq %rbp", "movq %rsp, %rbp", "subq $16, %rsp", "movq %rbx, -8(%rbp)"]
    static let epilogue = ["movq -8(%rbp), %rbx", "leave", "ret"]

    @Test func aCleanFunctionWithLoopLocalLabelsAndAllocaPasses() {
        let body = Self.prologue + [
            "movq $0, %rbx", "1:", "addq $8, %r11", "cmpq %r11, %rbx", "jb 1b",
            "addq $15, %rdi", "andq $-16, %rdi", "subq %rdi, %rsp", "movq %rsp, %rax", "call g",
            ".Lbb1:", "movq -8(%rbp), %rcx", "movq %rcx, -8(%rbp)", "jmp .Lbb2", ".Lbb2:",
        ] + Self.epilogue
        #expect(failures(body) == [])
    }

    @Test func aClobberedRegisterIsNamedAtTheReturn() {
        // The ret is body line 8, text line 12.
        let body = Self.prologue + ["movq $1, %r12"] + Self.epilogue
        #expect(failures(body) == [.notRestored(function: "f", line: 4 + 8, register: 12, holds: .computed)])
    }

    @Test func onePathClobberingIsSeenAfterTheJoin() {
        let body = Self.prologue + ["jne .Lbb1", "movq $1, %r13", ".Lbb1:"] + Self.epilogue
        #expect(failures(body) == [.notRestored(function: "f", line: 4 + 10, register: 13, holds: .computed)])
    }

    @Test func aMisalignedCallIsReported() {
        let body = Self.prologue + ["pushq %rax", "call g", "popq %rax"] + Self.epilogue
        #expect(failures(body) == [.misalignedCall(function: "f", line: 4 + 6, found: .offset(-32))])
    }

    @Test func aReturnWithoutLeaveIsReported() {
        let body = Self.prologue + ["movq -8(%rbp), %rbx", "ret"]
        #expect(Set(failures(body)) == [
            .notRestored(function: "f", line: 4 + 6, register: 5, holds: .address(-8)),
            .stackPointerAtReturn(function: "f", line: 4 + 6, found: .offset(-24)),
        ])
    }

    @Test func unknownLabelsAndFallingOffTheEndAreReported() {
        let body = Self.prologue + ["je .Lbb9", "movq -8(%rbp), %rbx"]
        #expect(Set(failures(body)) == [
            .unknownLabel(function: "f", line: 4 + 5, label: ".Lbb9"),
            .fallsOffEnd(function: "f", line: 4 + 6),
        ])
    }

    @Test func aTailJumpIsJudgedAsAReturn() {
        // Clean: restored, frame torn down, then the jump (direct and through %r10).
        let clean = Self.prologue + ["jne .Lbb1", "movq -8(%rbp), %rbx", "leave", "jmp g", ".Lbb1:",
                                     "movq -8(%rbp), %rbx", "leave", "jmp *%r10"]
        #expect(failures(clean) == [])
        // The jump before the restore leaves %rbx clobbered; before `leave`, %rsp off its entry value.
        let early = Self.prologue + ["movq $1, %rbx", "leave", "jmp g"]
        #expect(failures(early) == [.notRestored(function: "f", line: 4 + 7, register: 3, holds: .computed)])
        let noLeave = Self.prologue + ["movq -8(%rbp), %rbx", "jmp g"]
        #expect(Set(failures(noLeave)) == [
            .notRestored(function: "f", line: 4 + 6, register: 5, holds: .address(-8)),
            .stackPointerAtReturn(function: "f", line: 4 + 6, found: .offset(-24)),
        ])
    }

    @Test func messagesNameFunctionLineAndRegister() {
        let m = EmittedCodeFailure.notRestored(function: "f", line: 12, register: 3, holds: .initial(.register(12)))
        #expect(m.message(X64ReadBack.convention)
            == "line 12: return with callee-saved %rbx holding the entry value of %r12, not its entry value")
    }
}
