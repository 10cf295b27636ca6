import Foundation
import KeelCodegen
import KeelAnalysis
import KeelDriver
import KeelIR
import KeelTestSupport
@testable import KeelArm64
import Testing

/// The emitted-code checks on arm64: every function of the programs arm64
/// runs, read back by Arm64ReadBack and judged (frames, calls, copies), and
/// planted faults in hand-written text that the checks must report.
struct Arm64ReadBackTests {
    /// Each function of `source` compiled for arm64, read back and judged.
    static func report(_ source: String, name: String) throws -> EmittedCodeReport {
        var module = try Module(parsing: source, fileName: name + ".ssa")
        _ = try FrontHalf.run(&module, upTo: .simplified, options: VerifierOptions(strictCallSignatures: false))
        let target = Arm64Target()
        var generator = CodeGenerator(target: target)
        var writer = target.makeWriter(for: module)
        let abi = target.moduleABI(module)
        var report = EmittedCodeReport()
        for f in module.functions {
            let c = try generator.prepare(f, in: module, abi: abi)
            writer.function(c.selected, c.allocation, c.frame, sequencer: c.sequencer)
            let (emitted, convention) = try #require(writer.readBackLastFunction())
            report.add(checkEmittedCode(emitted, convention: convention))
        }
        return report
    }

    @Test func everyListedProgramPassesTheEmittedCodeChecks() throws {
        var total = EmittedCodeReport()
        for name in Arm64ProgramTests.listedNames() {
            let source = try String(contentsOf: ILPrograms.directory.appendingPathComponent(name + ".ssa"), encoding: .utf8)
            let r = try Self.report(source, name: name)
            #expect(r.failures.isEmpty, "\(name): \(r.failures)")
            total.add(r)
        }
        // The reader saw what the checks judge (not an empty model that passes trivially).
        #expect(total.returns > 50 && total.calls > 100 && total.copies > 100, "\(total.returns) returns, \(total.calls) calls, \(total.copies) copies")
    }

    /// A function in the emitter's shape: saves x19, calls, restores.
    static let good = """
        \tsub sp, sp, #32
        \tstp x29, x30, [sp]
        \tmov x29, sp
        \tstr x19, [x29, #24]
        \tmov x19, x0
        \tbl g
        \tadd w0, w19, w0
        \tldr x19, [x29, #24]
        \tmov sp, x29
        \tldp x29, x30, [sp]
        \tadd sp, sp, #32
        \tret

        """

    static func failures(_ text: String) -> [EmittedCodeFailure] {
        let f = Arm64ReadBack.function(named: "f", text: Array(text.utf8), bodyStack: -32, copies: [])
        return checkEmittedCode(f, convention: Arm64ReadBack.convention).failures
    }

    @Test func theEmittersShapePasses() {
        #expect(Self.failures(Self.good).isEmpty)
    }

    @Test func aMissingRestoreIsReported() {
        let bad = Self.good.replacingOccurrences(of: "\tldr x19, [x29, #24]\n", with: "")
        #expect(Self.failures(bad).contains { if case .notRestored(_, _, 19, _) = $0 { true } else { false } })
    }

    @Test func aLostReturnAddressIsReported() {
        let bad = Self.good.replacingOccurrences(of: "\tldp x29, x30, [sp]\n", with: "\tldr x29, [sp]\n")
        #expect(Self.failures(bad).contains { if case .notRestored(_, _, 30, _) = $0 { true } else { false } })
    }

    @Test func anUnbalancedStackIsReported() {
        let bad = Self.good.replacingOccurrences(of: "\tadd sp, sp, #32\n", with: "\tadd sp, sp, #16\n")
        #expect(Self.failures(bad).contains { if case .stackPointerAtReturn = $0 { true } else { false } })
    }

    @Test func aMisalignedCallIsReported() {
        let bad = Self.good.replacingOccurrences(of: "\tbl g\n", with: "\tsub sp, sp, #8\n\tbl g\n\tadd sp, sp, #8\n")
        #expect(Self.failures(bad).contains { if case .misalignedCall = $0 { true } else { false } })
    }

    /// A tail call's branch is judged as a return: after the epilogue it
    /// passes; before the restores, x19 and the frame are reported; a branch
    /// through another register than x10 is not in the model.
    @Test func aTailBranchIsJudgedAsAReturn() {
        let direct = Self.good.replacingOccurrences(of: "\tret\n", with: "\tb h\n")
        let indirect = Self.good.replacingOccurrences(of: "\tret\n", with: "\tbr x10\n")
        #expect(Self.failures(direct).isEmpty && Self.failures(indirect).isEmpty)
        let early = Self.good.replacingOccurrences(of: "\tldr x19, [x29, #24]\n", with: "\tb h\n")
        #expect(Self.failures(early).contains { if case .notRestored(_, _, 19, _) = $0 { true } else { false } })
        #expect(Self.failures(early).contains { if case .stackPointerAtReturn = $0 { true } else { false } })
        let other = Self.good.replacingOccurrences(of: "\tret\n", with: "\tbr x3\n")
        #expect(Self.failures(other).contains { if case .unmodelled = $0 { true } else { false } })
    }

    @Test func anUnknownInstructionIsReported() {
        let bad = Self.good.replacingOccurrences(of: "\tbl g\n", with: "\tsvc #0\n")
        #expect(Self.failures(bad).contains { if case .unmodelled = $0 { true } else { false } })
    }

    @Test func aWrongParallelCopyIsReported() {
        // A swap of x0 and x1 written without the scratch register.
        let text = Self.good.replacingOccurrences(of: "\tmov x19, x0\n", with: "\tmov x0, x1\n\tmov x1, x0\n")
        let bytes = Array(text.utf8)
        let first = text.range(of: "\tmov x0, x1")!.lowerBound.utf16Offset(in: text)
        let end = text.range(of: "\tbl g")!.lowerBound.utf16Offset(in: text)
        let f = Arm64ReadBack.function(named: "f", text: bytes, bodyStack: -32,
                                       copies: [(bytes: first..<end, moves: [(.register(1), .register(0)), (.register(0), .register(1))],
                                                 point: "before i1")])
        let failures = checkEmittedCode(f, convention: Arm64ReadBack.convention).failures
        #expect(failures.contains { if case .copyWrongDestination = $0 { true } else { false } })
    }
}
