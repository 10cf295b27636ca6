// Contract: the frame-flow check on small hand-written functions, one per
// failure kind, plus a clean one with a loop, GNU local labels and a
// run-time allocation, so each case of `FrameFlowFailure` is shown to be
// reported at the right line and register (the IL suite shows few of them).
import Testing

@Suite struct FrameFlowCaseTests {
    /// The failures for `body` wrapped as function `f` (body line k, from 0, is text line 4 + k).
    func failures(_ body: [String]) -> [FrameFlowFailure] {
        let text = (["\t.text", "\t.type f, @function", "f:"] + body.map { "\t" + $0 } + ["\t.size f, .-f"])
            .joined(separator: "\n")
        let fs = FrameFlowFunction.split(text)
        #expect(fs.count == 1)
        return fs.flatMap { FrameFlowCheck($0).failures }
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
        #expect(failures(body) == [.notRestored(function: "f", line: 4 + 8, register: ModelRegister(12), holds: .other)])
    }

    @Test func onePathClobberingIsSeenAfterTheJoin() {
        let body = Self.prologue + ["jne .Lbb1", "movq $1, %r13", ".Lbb1:"] + Self.epilogue
        #expect(failures(body) == [.notRestored(function: "f", line: 4 + 10, register: ModelRegister(13), holds: .other)])
    }

    @Test func aMisalignedCallIsReported() {
        let body = Self.prologue + ["pushq %rax", "call g", "popq %rax"] + Self.epilogue
        #expect(failures(body) == [.misalignedCall(function: "f", line: 4 + 6, found: .offset(-32))])
    }

    @Test func aReturnWithoutLeaveIsReported() {
        let body = Self.prologue + ["movq -8(%rbp), %rbx", "ret"]
        #expect(Set(failures(body)) == [
            .notRestored(function: "f", line: 4 + 6, register: ModelRegister(5), holds: .address(-8)),
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

    @Test func messagesNameFunctionLineAndRegister() {
        let m = FrameFlowFailure.notRestored(function: "f", line: 12, register: ModelRegister(3), holds: .caller(ModelRegister(12)))
        #expect(m.description == "f, line 12: ret with callee-saved %rbx holding the caller's %r12, not the caller's %rbx")
    }
}
