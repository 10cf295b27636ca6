#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import KeelAnalysis
import KeelDriver
import KeelIR
import KeelRandom
import KeelSystem

/// Robustness fuzzing of `keel check` and `keel il` in process: mutants of
/// corpus files (`InputMutator`) go through parse, SSA construction,
/// verification and compilation. A crash or trap ends the process (that is
/// the failure the caller sees); besides that, a failure is a diagnostic
/// without a message or file, a mutant taking more than `slowSeconds`, or
/// assembly that `cc -c` rejects (checked for every `assembleEvery`-th
/// compiled mutant).
public enum InputFuzzer {
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        public var count = 5000
        /// When set, each mutant is written to DIR/current.ssa before it is
        /// processed (so a crash leaves it behind), and failing ones are kept.
        public var saveDirectory: String?
        public var assembleEvery = 25
        public var slowSeconds = 5.0
        public init() {}
    }

    public struct Summary: Sendable, CustomStringConvertible {
        public var mutants = 0
        public var parsed = 0
        public var verified = 0
        public var compiled = 0
        public var assembled = 0
        public var failures: [String] = []
        /// Diagnostics of the code generator for verified mutants (first few):
        /// not failures, but constructs the verifier accepts and codegen does not.
        public var compileDiagnostics: [String] = []
        public var seconds = 0.0
        public var description: String {
            "mutants: \(mutants)  parsed: \(parsed)  verified: \(verified)  compiled: \(compiled)  "
                + "assembled: \(assembled)  failures: \(failures.count)  time: "
                + String(Double(Int(seconds * 10)) / 10) + " s"
        }
    }

    /// The `.ssa` files named by `paths` (files, or directories scanned one
    /// level deep), followed by a few generated programs.
    public static func loadCorpus(_ paths: [String], generated: Int = 8) -> [[UInt8]] {
        var corpus: [[UInt8]] = []
        for path in paths {
            if let dir = opendir(path) {
                var names: [String] = []
                while let entry = readdir(dir) {
                    let name = entryName(entry)
                    if name.hasSuffix(".ssa") { names.append(name) }
                }
                closedir(dir)
                for name in names.sorted() {
                    if let bytes = try? FileIO.readFile(path + "/" + name) { corpus.append(bytes) }
                }
            } else if let bytes = try? FileIO.readFile(path) {
                corpus.append(bytes)
            }
        }
        for i in 0..<generated {
            corpus.append(Array(ProgramGenerator.generate(seed: SplitMix64.derive(0xC0_FFEE, i)).utf8))
        }
        return corpus
    }

    public static func run(_ options: Options, corpus: [[UInt8]]) -> Summary {
        var summary = Summary()
        guard !corpus.isEmpty else { return summary }
        let start = ChildProcess.monotonicMilliseconds()
        let scratch = makeTemporaryDirectory(prefix: "keel-inputs-")
        defer { if let scratch { removeDirectory(scratch) } }
        if let dir = options.saveDirectory { makeDirectory(dir) }
        var rng = SplitMix64(seed: options.seed)
        for i in 0..<options.count {
            let original = corpus[rng.below(corpus.count)]
            let donor = rng.chance(70) ? original : corpus[rng.below(corpus.count)]
            let mutant = InputMutator.mutate(original, donor: donor, rng: &rng)
            if let dir = options.saveDirectory { FileIO.writeFile(mutant, to: dir + "/current.ssa") }
            let began = ChildProcess.monotonicMilliseconds()
            var assembly: [UInt8]?
            var problem = check(mutant, summary: &summary, assembly: &assembly)
            if problem == nil, summary.compiled % options.assembleEvery == 1, let assembly, let scratch {
                problem = assemble(assembly, in: scratch)
                if problem == nil { summary.assembled += 1 }
            }
            let seconds = Double(ChildProcess.monotonicMilliseconds() - began) / 1000
            if problem == nil && seconds > options.slowSeconds {
                problem = "took \(seconds) s"
            }
            summary.mutants += 1
            if let problem {
                var line = "mutant \(i): \(problem)"
                if let dir = options.saveDirectory {
                    let path = dir + "/mutant-\(options.seed)-\(i).ssa"
                    FileIO.writeFile(mutant, to: path)
                    line += " (saved as \(path))"
                }
                summary.failures.append(line)
            }
        }
        summary.seconds = Double(ChildProcess.monotonicMilliseconds() - start) / 1000
        return summary
    }

    /// Runs the check + il pipeline on one input; returns a problem, or nil
    /// (with the assembly when the mutant compiled).
    static func check(_ mutant: [UInt8], summary: inout Summary, assembly: inout [UInt8]?) -> String? {
        var module = Module()
        do {
            try ILParser.parse(mutant, fileName: "mutant.ssa", into: &module)
        } catch {
            return problem(with: [error])
        }
        summary.parsed += 1
        do {
            _ = try FrontHalf.run(&module, upTo: .simplified, options: Pipeline.checkOptions)
        } catch {
            return problem(with: error.diagnostics)
        }
        summary.verified += 1
        switch Pipeline.compile(module) {
        case .failure(let list):
            if summary.compileDiagnostics.count < 20 {
                summary.compileDiagnostics.append(list.diagnostics.first?.description ?? "")
            }
            return problem(with: list.diagnostics)
        case .success(let asm):
            summary.compiled += 1
            assembly = asm
            return nil
        }
    }

    /// A diagnostic must say what is wrong and where (the file at least).
    static func problem(with diagnostics: [Diagnostic]) -> String? {
        if diagnostics.isEmpty { return "failed without a diagnostic" }
        for d in diagnostics where d.message.isEmpty || d.file.isEmpty {
            return "diagnostic without message or file: \(d)"
        }
        return nil
    }

    static func assemble(_ assembly: [UInt8], in directory: String) -> String? {
        let source = directory + "/mutant.s"
        guard FileIO.writeFile(assembly, to: source) else { return "cannot write \(source)" }
        do {
            let r = try ChildProcess.run(["cc", "-c", "-o", directory + "/mutant.o", source],
                                         scratch: directory + "/cc", timeoutMilliseconds: 60_000)
            return r.status == 0 ? nil : "cc -c rejects the assembly: " + String(decoding: r.stderr.prefix(400), as: UTF8.self)
        } catch {
            return error.description
        }
    }
}
