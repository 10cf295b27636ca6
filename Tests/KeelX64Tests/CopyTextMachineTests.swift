// Contract: the production parallel-copy check (KeelCodegen/
// EmittedCopyCheck.swift, reading x86 text with X64ReadBack) on
// hand-written copies inside a minimal frame, so that its verdicts on the
// emitter's output can be trusted: a correct swap through r11, a
// cell-to-cell move through push/pop and float moves pass; a swap without
// scratch, a clobbered bystander, a truncating movl, an unbalanced push and
// a clobbered cell are each reported as their own case, at the right place.
import KeelCodegen
import Testing
@testable import KeelX64

struct CopyTextMachineTests {
    typealias Move = (from: EmittedPlace, to: EmittedPlace)
    static let prologue = "\tpushq %rbp\n\tmovq %rsp, %rbp\n\tsubq $16, %rsp\n"
    static let epilogue = "\tleave\n\tret\n"
    func r(_ n: Int) -> EmittedPlace { .register(n) }
    /// The spill cell `OFF(%rbp)`: %rbp is entry − 8.
    func c(_ off: Int) -> EmittedPlace { .cell(-8 + off) }

    func judge(_ copy: String, _ moves: [Move]) -> [EmittedCodeFailure] {
        let text = Self.prologue + copy + Self.epilogue
        let start = Self.prologue.utf8.count
        let f = X64ReadBack.function(named: "f", text: Array(text.utf8), bodyStack: -24,
                                     copies: [(start..<start + copy.utf8.count, moves, "before i3")])
        return checkEmittedCode(f, convention: X64ReadBack.convention).failures
    }

    @Test func correctTextsPass() {
        #expect(judge("\tmovq %rax, %r11\n\tmovq %rcx, %rax\n\tmovq %r11, %rcx\n", [(r(0), r(1)), (r(1), r(0))]) == [])
        #expect(judge("\tpushq -8(%rbp)\n\tpopq -16(%rbp)\n", [(c(-8), c(-16))]) == [])
        #expect(judge("\tmovsd -8(%rbp), %xmm2\n\tmovaps %xmm1, %xmm3\n", [(c(-8), r(18)), (r(17), r(19))]) == [])
    }

    @Test func wrongTextsAreReported() {
        #expect(judge("\tmovq %rax, %rcx\n\tmovq %rcx, %rax\n", [(r(0), r(1)), (r(1), r(0))])
            == [.copyWrongDestination(function: "f", point: "before i3", place: r(0), expected: r(1), found: .initial(r(0)))])
        #expect(judge("\tmovq %rax, %rdx\n\tmovq %rdx, %rcx\n", [(r(0), r(1))])
            == [.copyClobbered(function: "f", point: "before i3", place: r(2), found: .initial(r(0)))])
        #expect(judge("\tmovl %eax, %ecx\n", [(r(0), r(1))])
            == [.copyWrongDestination(function: "f", point: "before i3", place: r(1), expected: r(0), found: .computed)])
        #expect(judge("\tpushq -8(%rbp)\n\tmovq -8(%rbp), %rcx\n", [(c(-8), r(1))])
            == [.unbalancedAdjustments(function: "f", line: 6, expected: -24, found: .offset(-32)),
                .copyMovedStack(function: "f", point: "before i3", found: .offset(-32)),
                .copyClobbered(function: "f", point: "before i3", place: .cell(-32), found: .initial(c(-8)))])
        #expect(judge("\tmovsd %xmm1, -8(%rbp)\n\tmovsd -8(%rbp), %xmm0\n", [(r(17), r(16))])
            == [.copyClobbered(function: "f", point: "before i3", place: c(-8), found: .initial(r(17)))])
        let swap = judge("\tmovq %rax, %rcx\n\tmovq %rcx, %rax\n", [(r(0), r(1)), (r(1), r(0))])
        #expect(swap.first?.message(X64ReadBack.convention)
            == "parallel copy before i3: %rax ends holding the value before the copy of %rax, not the value of %rcx")
    }
}
