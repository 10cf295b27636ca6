// Contract: the emitted-code frame check (KeelCodegen, via X64ReadBack) over the final emitted text of every
// function of the IL suite: the unaltered output passes (callee-saved
// registers hold the caller's values at every ret and tail jump, %rsp balances, calls are
// aligned); and three planted frame bugs, each altered into the text of every
// function that has a site for it, are reported at that function and at the
// lines the bug reaches: a prologue save removed, two restore offsets of one
// epilogue swapped, a stack-argument pop after a call dropped.
import KeelCodegen
import Testing
@testable import KeelX64

@Suite struct FrameFlowTests {
    static let corpus: [(name: String, text: String)] = (try? FrameFlowCorpus.assemblies()) ?? []

    @Test func theSuiteOutputKeepsEveryFrame() throws {
        #expect(Self.corpus.count == (try FrameFlowCorpus.assemblies()).count)
        var functions = 0, returns = 0, calls = 0, allocations = 0
        for (name, text) in Self.corpus {
            let report = checkEmittedText(text)
            let lines = X64ReadBack.functions(in: text).flatMap(\.lines)
            // Every ret and tail jump of the text is reached (none skipped as unreachable).
            #expect(report.returns == lines.filter(\.isFunctionExit).count, "\(name)")
            allocations += lines.filter { $0.mnemonic == "subq" && $0.rawOperands.first?.hasPrefix("%") == true }.count
            functions += report.functions
            returns += report.returns
            calls += report.calls
            for failure in report.failures { Issue.record("\(name): \(failure)") }
        }
        print("frame flow: \(Self.corpus.count) programs, \(functions) functions, \(returns) returns, \(calls) calls checked, \(allocations) run-time allocations followed")
        #expect(functions > 100 && returns > 100)
    }

    func check(_ name: String, in text: String) -> (EmittedFunction, [EmittedCodeFailure]) { checkEmittedFunction(name, in: text) }

    @Test func aRemovedPrologueSaveIsReportedAtEveryReturn() {
        var mutations = 0
        for (program, text) in Self.corpus {
            for f in X64ReadBack.functions(in: text) {
                for save in FrameFlowMutation.prologueSaves(f) {
                    let mutated = FrameFlowMutation.removing(line: save.line, from: text)
                    let (g, failures) = check(f.name, in: mutated)
                    let rets = g.lines.filter(\.isFunctionExit).map(\.number)
                    guard !rets.isEmpty else { continue }
                    // Each ret restores the register from a cell nothing wrote: whatever the caller's frame left there.
                    let expected = Set(rets.map {
                        EmittedCodeFailure.notRestored(function: f.name, line: $0, register: save.register.number,
                                                       holds: .initial(.cell(save.cell)))
                    })
                    #expect(Set(failures) == expected, "\(program) \(f.name) without the save of \(save.register): \(failures)")
                    mutations += 1
                }
            }
        }
        print("frame flow: \(mutations) removed prologue saves reported")
        #expect(mutations > 20)
    }

    @Test func swappedRestoreOffsetsAreReportedAtThatReturn() {
        var mutations = 0
        for (program, text) in Self.corpus {
            for f in X64ReadBack.functions(in: text) {
                guard let (restores, ret) = FrameFlowMutation.firstEpilogue(f) else { continue }
                let a = restores[0], b = restores[1]
                let mutated = FrameFlowMutation.swappingOffsets(a, b, in: text)
                let (_, failures) = check(f.name, in: mutated)
                let ra = ModelRegister.named(a.register.dropFirst())!, rb = ModelRegister.named(b.register.dropFirst())!
                let expected: Set<EmittedCodeFailure> = [
                    .notRestored(function: f.name, line: ret, register: ra.number, holds: .initial(.register(rb.number))),
                    .notRestored(function: f.name, line: ret, register: rb.number, holds: .initial(.register(ra.number))),
                ]
                #expect(Set(failures) == expected, "\(program) \(f.name) with \(a.register)/\(b.register) swapped: \(failures)")
                mutations += 1
            }
        }
        print("frame flow: \(mutations) swapped restore offsets reported")
        #expect(mutations > 10)
    }

    @Test func aDroppedStackArgumentPopIsReportedWhereItIsFelt() {
        var mutations = 0
        for (program, text) in Self.corpus {
            for f in X64ReadBack.functions(in: text) {
                for pop in FrameFlowMutation.stackArgumentPops(f) {
                    let mutated = FrameFlowMutation.removing(line: pop, from: text)
                    let (g, failures) = check(f.name, in: mutated)
                    // The line after the dropped one now has number `pop`; everything from there on feels it.
                    let start = g.lines.firstIndex { $0.number == pop }!
                    let reach = FrameFlowMutation.reachable(in: g, from: start)
                    let reachedLines = Set(reach.map { g.lines[$0].number })
                    let leaves = reach.filter { g.lines[$0].text == "leave" }.map { g.lines[$0].number }
                    let reportedLeaves = failures.compactMap { failure -> Int? in
                        if case .unbalancedAdjustments(_, let l, _, _) = failure { return l }
                        return nil
                    }
                    #expect(!failures.isEmpty && Set(reportedLeaves) == Set(leaves),
                            "\(program) \(f.name) without line \(pop): \(failures)")
                    for failure in failures {
                        var expectedKind = false
                        if case .unbalancedAdjustments = failure { expectedKind = true }
                        if case .misalignedCall = failure { expectedKind = true }
                        #expect(expectedKind && failure.function == f.name && failure.line.map(reachedLines.contains) == true,
                                "\(program) \(f.name) without line \(pop): unexpected \(failure)")
                    }
                    mutations += 1
                }
            }
        }
        print("frame flow: \(mutations) dropped stack-argument pops reported")
        #expect(mutations > 3)
    }
}
