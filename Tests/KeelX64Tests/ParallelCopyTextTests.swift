// Contract: the emitted text of every parallel copy of every function of the
// IL suite means what the copy means (the production copy check, through
// CopyTextCheck), with the driver's
// sequencer: no failure, counts printed. Mutation: the same copies emitted in
// edit order (a sequencer that returns the moves as given, i.e. the emitter
// bypassing `sequentializeParallelCopy`) are reported, at exactly the copies
// whose edit order is wrong by an independent abstract simulation.
import KeelCodegen
import Testing
@testable import KeelX64

struct ParallelCopyTextTests {
    @Test func everyEmittedCopyMeansItsMoves() {
        let corpus = CopyTextCorpus.load()
        var total = CopyTextCounts()
        var failures: [String] = []
        for f in corpus.functions {
            let sequencer = emitterCopySequencer(registers: X64Reg.sysV, spillSlotClasses: f.alloc.spillSlotClasses)
            let r = CopyTextCheck.run(f.fn, f.alloc, f.frame, module: f.module, sequencer: sequencer)
            failures += r.failures.map { "\(f.program).ssa $\($0.function) " + $0.message(X64ReadBack.convention) }
            total.add(r.counts)
        }
        print("parallel-copy text: \(corpus.functions.count) functions, \(total) checked, "
              + "\(failures.count) failures; skipped \(corpus.skipped)")
        for f in failures.prefix(20) { Issue.record("\(f)") }
        #expect(failures.isEmpty)
        #expect(corpus.functions.count > 100)
        #expect(total.multiMove > 0)
        #expect(total.cyclic > 0)
    }

    @Test func editOrderCopiesAreReported() {
        let corpus = CopyTextCorpus.load()
        let editOrder: ParallelCopySequencer = { _, moves in moves }
        var reported = 0, wrongByOracle = 0, multiMove = 0
        var examples: [String] = []
        for f in corpus.functions {
            let r = CopyTextCheck.run(f.fn, f.alloc, f.frame, module: f.module, sequencer: editOrder)
            let reportedPoints = Set(r.failures.compactMap(\.copyPoint))
            let wrongPoints = Set(r.points.filter { CopyTextCheck.editOrderIsWrong($0.value) }.keys)
            multiMove += r.counts.multiMove
            reported += reportedPoints.count
            wrongByOracle += wrongPoints.count
            for p in reportedPoints.subtracting(wrongPoints) {
                let wrongly = r.failures.filter { $0.copyPoint == p }.map { $0.message(X64ReadBack.convention) }
                Issue.record("\(f.program).ssa $\(f.fn.name) \(p): reported, but its edit order is right: \(wrongly)")
            }
            for p in wrongPoints.subtracting(reportedPoints) {
                let moves = r.points[p]!.map { "\($0.from)→\($0.to)" }
                Issue.record("\(f.program).ssa $\(f.fn.name) \(p): edit order is wrong but not reported: \(moves)")
            }
            examples += r.failures.prefix(max(0, 3 - examples.count))
                .map { "\(f.program).ssa $\($0.function) " + $0.message(X64ReadBack.convention) }
        }
        print("parallel-copy text, edit order: \(reported) copies reported of \(multiMove) with 2+ moves; "
              + "\(wrongByOracle) wrong by the abstract oracle")
        for e in examples { print("  e.g. \(e)") }
        #expect(reported > 0)
        #expect(reported == wrongByOracle)
    }
}
