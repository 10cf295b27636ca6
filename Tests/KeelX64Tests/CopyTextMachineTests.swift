// Contract: the parallel-copy text judge (CopyTextCheck.judge over
// CopyTextMachine) on hand-written texts, so that its verdicts on the
// emitter's output can be trusted: a correct swap through r11 and a
// cell-to-cell move through push/pop pass; a swap without scratch, a
// clobbered bystander, a truncating movl, an unbalanced push and an
// unreadable line are each reported as their own case, at the right place.
import KeelCodegen
import Testing
@testable import KeelX64

struct CopyTextMachineTests {
    let point = ProgramPoint(before: MInst(index: 3))
    func r(_ n: Int) -> Location { .reg(PReg(n)) }
    func s(_ n: Int) -> Location { .stack(SpillSlot(index: UInt32(n))) }

    func judge(_ text: String, _ moves: [CopyTextCheck.Move]) -> [CopyTextFailure] {
        CopyTextCheck.judge(text: text, moves: moves, spillOffsets: [-8, -16], function: "f", point: point)
    }

    @Test func correctTextsPass() {
        #expect(judge("\tmovq %rax, %r11\n\tmovq %rcx, %rax\n\tmovq %r11, %rcx\n",
                      [(r(0), r(1)), (r(1), r(0))]).isEmpty)
        #expect(judge("\tpushq -8(%rbp)\n\tpopq -16(%rbp)\n", [(s(0), s(1))]).isEmpty)
        #expect(judge("\tmovsd -8(%rbp), %xmm2\n\tmovaps %xmm1, %xmm3\n", [(s(0), r(18)), (r(17), r(19))]).isEmpty)
    }

    @Test func wrongTextsAreReported() {
        #expect(judge("\tmovq %rax, %rcx\n\tmovq %rcx, %rax\n", [(r(0), r(1)), (r(1), r(0))])
            == [.wrongDestination(function: "f", point: point, place: .reg(.rax),
                                  expected: CopySymbol(origin: .reg(.rcx)), found: CopySymbol(origin: .reg(.rax)))])
        #expect(judge("\tmovq %rax, %rdx\n\tmovq %rdx, %rcx\n", [(r(0), r(1))])
            == [.clobbered(function: "f", point: point, place: .reg(.rdx),
                           expected: CopySymbol(origin: .reg(.rdx)), found: CopySymbol(origin: .reg(.rax)))])
        #expect(judge("\tmovl %eax, %ecx\n", [(r(0), r(1))])
            == [.wrongDestination(function: "f", point: point, place: .reg(.rcx),
                                  expected: CopySymbol(origin: .reg(.rax)),
                                  found: CopySymbol(origin: .reg(.rax), truncated: true))])
        #expect(judge("\tpushq -8(%rbp)\n\tmovq -8(%rbp), %rcx\n", [(s(0), r(1))])
            == [.unbalancedStack(function: "f", point: point, pending: 1)])
        #expect(judge("\tmovq 8(%rsp), %rcx\n", [(s(0), r(1))])
            == [.unreadableLine(function: "f", point: point, line: "\tmovq 8(%rsp), %rcx")])
        #expect(judge("\tmovsd %xmm1, -8(%rbp)\n\tmovsd -8(%rbp), %xmm0\n", [(r(17), r(16))])
            == [.clobbered(function: "f", point: point, place: .cell(-8),
                           expected: CopySymbol(origin: .cell(-8)), found: CopySymbol(origin: .reg(.xmm(1))))])
        let swap = judge("\tmovq %rax, %rcx\n\tmovq %rcx, %rax\n", [(r(0), r(1)), (r(1), r(0))])
        #expect(swap.first?.description
            == "$f, before i3: %rax should hold ⟨%rcx⟩ (its source) but holds ⟨%rax⟩")
    }
}
