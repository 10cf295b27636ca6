import Foundation
import KeelFuzz
import KeelTestSupport
import Testing

/// Mutated and truncated IL through parse, SSA, verify and compile: never a
/// crash (which would end the test process), always a diagnostic or a
/// program, and assembly `cc` accepts for a sample.
@Suite struct InputFuzzTests {
    static let corpusPaths = [KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/il").path,
                              KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/sysv").path]

    @Test func fiveThousandMutantsInProcess() {
        let corpus = InputFuzzer.loadCorpus(Self.corpusPaths)
        #expect(corpus.count > 60)
        var options = InputFuzzer.Options()
        options.seed = 2026
        options.count = 5000
        let summary = InputFuzzer.run(options, corpus: corpus)
        #expect(summary.mutants == 5000)
        #expect(summary.failures.isEmpty, "\(summary.failures)")
        // The mutants must reach every stage, not only the parser.
        #expect(summary.parsed > 500 && summary.compiled > 300 && summary.assembled > 10, "\(summary)")
        print("input fuzzing: \(summary)")
    }

    @Test func mutationIsDeterministic() {
        let sample = Array("function w $f() {\n@start\n\t%x =w add 1, 2\n\tret %x\n}\n".utf8)
        var a = SplitMix64(seed: 3), b = SplitMix64(seed: 3)
        for _ in 0..<50 {
            #expect(InputMutator.mutate(sample, donor: sample, rng: &a) == InputMutator.mutate(sample, donor: sample, rng: &b))
        }
    }

    /// A sample through the real executable: `keel check` and `keel il` end
    /// with status 0 or 1, never a signal or a Swift crash report, and every
    /// error line is a located diagnostic.
    @Test func sampleThroughTheExecutable() throws {
        let corpus = InputFuzzer.loadCorpus(Self.corpusPaths, generated: 2)
        var rng = SplitMix64(seed: 77)
        let located = try Regex(#"^[^:]+:\d+:\d+: (error|warning): .+"#)
        for i in 0..<60 {
            let original = corpus[rng.below(corpus.count)]
            let mutant = InputMutator.mutate(original, donor: original, rng: &rng)
            let command = i % 2 == 0 ? "check" : "il"
            let r = try KeelBinary.run([command, "-"], stdin: Data(mutant), timeout: 30)
            let shown = String(decoding: mutant.prefix(300), as: UTF8.self)
            #expect(!r.timedOut && r.signal == nil && (r.status == 0 || r.status == 1), "\(command) mutant \(i): \(r.stderr)\n\(shown)")
            #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"), "\(r.stderr)")
            for line in r.stderr.split(separator: "\n") {
                #expect(line.wholeMatch(of: located) != nil, "\(command) mutant \(i): unlocated line \(line)")
            }
        }
    }
}
