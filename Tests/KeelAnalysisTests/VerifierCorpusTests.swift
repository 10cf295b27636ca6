import Foundation
import KeelIR
import Testing

@testable import KeelAnalysis

/// Verifies every file of QBE's test directory (when `QBE_TEST_DIR` names
/// one): valid QBE programs must verify without error. QBE accepts non-SSA
/// input, so SSA is not required; files already in SSA form are also checked
/// with `requireSSA`.
///
/// QBE does not compare calls with the callee's signature, and four of its
/// tests rely on that (a result taken from a function returning nothing, an
/// `l` result of a `w` function, a call with a missing argument on purpose):
/// those, and only those, are reported.
@Suite struct VerifierCorpusTests {
    static let directory = ProcessInfo.processInfo.environment["QBE_TEST_DIR"]

    @Test(.enabled(if: directory != nil, "set QBE_TEST_DIR to QBE's test directory"))
    func everyCorpusFileVerifies() throws {
        let dir = try #require(Self.directory)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".ssa") || $0.hasSuffix(".qbe") }
            .sorted()
        #expect(!names.isEmpty)
        var ssa = 0
        var signatureMismatches: [String] = []
        for name in names {
            let bytes = try #require(FileManager.default.contents(atPath: dir + "/" + name))
            var module = Module()
            try ILParser.parse(Array(bytes), fileName: name, into: &module)
            let errors = Verifier.errors(module, options: VerifierOptions(requireSSA: false))
            let other = errors.filter { !$0.isCallSignatureMismatch }
            #expect(other.isEmpty, "\(name): \(other.map { $0.message(in: module) }.joined(separator: "\n"))")
            if errors.count > other.count { signatureMismatches.append(name) }
            if Verifier.errors(module).isEmpty { ssa += 1 }
        }
        #expect(signatureMismatches == ["abi1.ssa", "abi4.ssa", "dark.ssa", "tls.ssa"])
        print("QBE corpus: \(ssa) of \(names.count) files verify as SSA")
    }
}

/// Verifies every file of the benchmark directory (`KEEL_BENCH_DIR`, e.g.
/// /work/bench): cproc's output for its own sources, which is in SSA form and
/// must verify with every check on. A file that concatenates several
/// translation units (static functions and string literals defined once per
/// unit) may only have duplicate definitions.
@Suite struct VerifierBenchTests {
    static let directory = ProcessInfo.processInfo.environment["KEEL_BENCH_DIR"]

    @Test(.enabled(if: directory != nil, "set KEEL_BENCH_DIR to the benchmark directory"))
    func everyBenchFileVerifiesAsSSA() throws {
        let dir = try #require(Self.directory)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".ssa") }.sorted()
        #expect(!names.isEmpty)
        for name in names {
            let bytes = try #require(FileManager.default.contents(atPath: dir + "/" + name))
            var module = Module()
            try ILParser.parse(Array(bytes), fileName: name, into: &module)
            let other = Verifier.errors(module).filter {
                if case .duplicateDefinition = $0 { return false }
                return true
            }
            #expect(other.isEmpty, "\(name): \(other.prefix(10).map { $0.message(in: module) }.joined(separator: "\n"))")
        }
    }
}

extension VerificationError {
    var isCallSignatureMismatch: Bool {
        switch self {
        case .callArgumentCount, .callArgumentType, .callReturnType, .callVariadicMarker: return true
        default: return false
        }
    }
}

/// SSA construction and the verifier agree: after `constructSSA`, every QBE
/// test file verifies with `requireSSA` (signature mismatches aside, see above).
@Suite struct VerifierAfterSSAConstructionTests {
    @Test(.enabled(if: VerifierCorpusTests.directory != nil, "set QBE_TEST_DIR to QBE's test directory"))
    func corpusVerifiesAsSSAAfterConstruction() throws {
        let dir = try #require(VerifierCorpusTests.directory)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".ssa") || $0.hasSuffix(".qbe") }
            .sorted()
        for name in names {
            let bytes = try #require(FileManager.default.contents(atPath: dir + "/" + name))
            var module = Module()
            try ILParser.parse(Array(bytes), fileName: name, into: &module)
            #expect(constructSSA(&module).isEmpty, "\(name): SSA construction reported errors")
            let errors = Verifier.errors(module).filter { !$0.isCallSignatureMismatch }
            #expect(errors.isEmpty, "\(name): \(errors.prefix(10).map { $0.message(in: module) }.joined(separator: "\n"))")
        }
    }
}
