import KeelLisp
import KeelRandom
import KeelSystem

/// `keel fuzz --lisp-mutate`: mutants (LispMutator) of a corpus of KeelLisp
/// programs and of generated ones go through the whole compiler in process
/// (read, analyze, generate IR, verify, optimize, x86-64 assembly). A
/// mutant must compile or be rejected with an error at a position inside
/// it; the backend rejecting a module the front end built is a failure. A
/// crash ends the process: with a save directory the mutant being compiled
/// is in DIR/current.clj.
public enum LispMutationCampaign {
    public struct Summary: Sendable, CustomStringConvertible {
        public var mutants = 0
        public var compiled = 0
        public var rejected = 0
        public var failures: [String] = []
        public var seconds = 0.0
        public var description: String {
            FileIO.format("mutants: %ld  compiled: %ld  rejected with an error: %ld  failures: %ld  time: %.1f s",
                          mutants, compiled, rejected, failures.count, seconds)
        }
    }

    public enum Verdict: Equatable {
        case compiled, rejected
        case failure(String)
    }

    /// Compiles one mutant to assembly.
    public static func check(_ mutant: String) -> Verdict {
        do {
            _ = try LispCompiler.assembly(source: mutant, file: "mutant.clj")
            return .compiled
        } catch .source(let error) {
            let lines = mutant.split(separator: "\n", omittingEmptySubsequences: false).count
            if error.location.line < 1 || error.location.line > lines || error.message.isEmpty {
                return .failure("an error outside the source: \(error)")
            }
            return .rejected
        } catch {
            return .failure("the backend rejected a module the front end built: \(error)")
        }
    }

    public static func run(seed: UInt64, count: Int, corpus: [String], saveDirectory: String?) -> Summary {
        let start = FileIO.monotonicNanoseconds()
        var random = SplitMix64(seed: seed)
        // Generated programs widen the corpus beyond the hand-written tests.
        let sources = corpus + (0..<20).map { LispProgramGenerator.generate(seed: SplitMix64.derive(seed, $0)) }
        var summary = Summary()
        for i in 0..<count {
            let mutant = LispMutator.mutate(sources[i % sources.count], &random)
            if let dir = saveDirectory { _ = FileIO.writeFile(Array(mutant.utf8), to: dir + "/current.clj") }
            summary.mutants += 1
            switch check(mutant) {
            case .compiled: summary.compiled += 1
            case .rejected: summary.rejected += 1
            case .failure(let problem): summary.failures.append("mutant \(i): \(problem)\n\(mutant)")
            }
        }
        summary.seconds = Double(FileIO.monotonicNanoseconds() - start) / 1e9
        return summary
    }
}
