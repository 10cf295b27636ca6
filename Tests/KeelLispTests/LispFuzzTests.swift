import Foundation
import Testing
import KeelTestSupport
import KeelRandom
import KeelLisp
import KeelLispFuzz

/// The KeelLisp fuzzer: the generator is deterministic and its programs are
/// well formed and within what the evaluator models; a fixed-seed campaign
/// through `keel fuzz --lisp` is clean; mutants never crash the compiler.
@Suite struct LispFuzzTests {
    @Test func generatorIsDeterministic() {
        for seed: UInt64 in [1, 2, 99, 123_456_789] {
            #expect(LispProgramGenerator.generate(seed: seed) == LispProgramGenerator.generate(seed: seed))
        }
        #expect(LispProgramGenerator.generate(seed: 1) != LispProgramGenerator.generate(seed: 2))
    }

    /// Every generated program reads, analyzes and runs in the evaluator
    /// (no invalid program, nothing unsupported), and they use the
    /// features the generator is meant to cover.
    @Test func generatedProgramsAreWellFormed() throws {
        var text = ""
        var errors = 0
        for i in 0..<150 {
            let source = LispProgramGenerator.generate(seed: SplitMix64.derive(2026, i))
            text += source
            let run = try LispEvaluator.run(source: source, file: "g\(i).clj").get()
            if run.error != nil { errors += 1 }
        }
        // Overflow is generated on purpose, but rarely.
        #expect(errors < 40, "\(errors) of 150 programs stopped with an error")
        for feature in ["(loop [", "(recur ", "(fn fact", "& more", "(apply ", "(partial ", "(comp ", "(reduce ",
                        "(filter ", "(map ", "(case ", "(cond ", "{:keys [", "(let [[", "(prn ", "(println ",
                        "(str ", "(sort ", "#{", "(declare ", "9223372036854775807",
                        "#(", "%&", "(fnil ", "(bit-", "(pop ", "(compare ", "[& {:keys ["] {
            #expect(text.contains(feature), "no generated program uses \(feature)")
        }
    }

    @Test func shrinkerKeepsTheFailure() {
        let program = "(defn h1 [x] (+ x 1))\n(defn -main [& args]\n  (println (h1 2) (str \"a\" \"b\"))\n  (prn [1 2 3])\n  0)\n"
        let small = LispShrinker.shrink(program, budget: 200) { $0.contains("(prn [1 2 3])") }
        #expect(small.contains("(prn [1 2 3])"))
        #expect(small.count < program.count / 2, "\(small)")
    }

    /// A small campaign (16 programs) through the executable, one program in four under KEEL_GC_STRESS=1.
    @Test func fixedSeedCampaignIsClean() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("keel-lispfuzz-cache-\(getpid())").path
        let result = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                                        ["KEEL_CACHE=" + cache, KeelBinary.url.path, "fuzz", "--lisp", "--seed", "2026",
                                         "--count", "16", "--jobs", "2", "--no-shrink"], timeout: 600)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("programs: 16  failures: 0"), "\(result.stdout)")
    }

    /// Mutants of generated programs: compiled or rejected at a position, never a backend failure.
    @Test func mutatedGeneratedProgramsNeverBreakTheCompiler() {
        let summary = LispMutationCampaign.run(seed: 7, count: 60, corpus: [], saveDirectory: nil)
        #expect(summary.failures.isEmpty, "\(summary.failures.first ?? "")")
        #expect(summary.compiled >= 3 && summary.rejected >= 20, "\(summary)")
    }
}
