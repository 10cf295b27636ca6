import KeelFuzz
import KeelRandom
import KeelSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A seeded campaign of generated KeelLisp programs (`keel fuzz --lisp`):
/// program i comes from `SplitMix64.derive(seed, i)`; every `gcStressEvery`-th
/// runs under KEEL_GC_STRESS=1. A failing program is saved (and shrunk) with
/// the command that reproduces it.
public enum LispCampaign {
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        public var count = 100
        public var jobs = 2
        /// Where failing programs go; nil: a temporary directory, kept when something failed.
        public var saveDirectory: String?
        /// One program in this many runs under KEEL_GC_STRESS=1 (0: none).
        public var gcStressEvery = 4
        public var shrink = true
        public var timeoutMilliseconds = 10_000
        public init() {}
    }

    public struct Failure: Sendable {
        public var index: Int
        public var programSeed: UInt64
        public var kind: LispFailureKind
        public var detail: String
        public var gcStress: Bool
        public var reproducer: String?
        public var shrunk: String?
        /// The command that runs the saved program again.
        public var command: String {
            "keel fuzz --lisp --reproduce \(shrunk ?? reproducer ?? "?")" + (gcStress ? " --gc-stress" : "")
        }
    }

    public struct Summary: Sendable {
        public var programs: Int
        public var failures: [Failure]
        public var seconds: Double
    }

    public static func programSeed(campaign seed: UInt64, index: Int) -> UInt64 { SplitMix64.derive(seed, index) }

    public static func run(_ options: Options, runtimeObjects: [String]) -> Summary {
        let start = FileIO.monotonicNanoseconds()
        guard let scratch = temporaryDirectory("keel-lispfuzz-") else {
            return Summary(programs: 0, failures: [Failure(index: 0, programSeed: 0, kind: .linkError,
                                                           detail: "cannot create a temporary directory", gcStress: false)],
                           seconds: 0)
        }
        var runner = LispDifferentialRunner(workDirectory: scratch, runtimeObjects: runtimeObjects)
        runner.timeoutMilliseconds = options.timeoutMilliseconds
        let save = options.saveDirectory ?? scratch
        if options.saveDirectory != nil { mkdir(save, 0o755) }
        let results: [Failure?] = parallelMap(count: options.count, jobs: options.jobs) { [runner] i in
            let seed = programSeed(campaign: options.seed, index: i)
            let stress = options.gcStressEvery > 0 && i % options.gcStressEvery == options.gcStressEvery - 1
            return examine(LispProgramGenerator.generate(seed: seed), index: i, seed: seed, gcStress: stress,
                           runner: runner, shrink: options.shrink, base: save + "/lisp-\(seed)")
        }
        let failures = results.compactMap { $0 }
        if failures.isEmpty && options.saveDirectory == nil { rmdir(scratch) }
        return Summary(programs: options.count, failures: failures,
                       seconds: Double(FileIO.monotonicNanoseconds() - start) / 1e9)
    }

    /// Runs one program; on failure saves it as BASE-KIND.clj and its shrunk form as BASE-KIND.min.clj.
    public static func examine(_ text: String, index: Int, seed: UInt64, gcStress: Bool, runner: LispDifferentialRunner,
                               shrink: Bool, base: String) -> Failure? {
        let outcome = runner.run(text, name: "p\(index)", gcStress: gcStress)
        guard let kind = outcome.failure else { return nil }
        var failure = Failure(index: index, programSeed: seed, kind: kind, detail: outcome.detail, gcStress: gcStress)
        let path = base + "-\(kind.rawValue).clj"
        if FileIO.writeFile(Array(text.utf8), to: path) { failure.reproducer = path }
        if shrink && kind != .invalidProgram {
            var step = 0
            let small = LispShrinker.shrink(text, budget: 300) { candidate in
                step += 1
                return runner.run(candidate, name: "p\(index)s\(step)", gcStress: gcStress).failure == kind
            }
            let smallPath = base + "-\(kind.rawValue).min.clj"
            if small != text, FileIO.writeFile(Array(small.utf8), to: smallPath) { failure.shrunk = smallPath }
        }
        return failure
    }

    /// Runs the program in `path` (a reproducer) and shrinks it if it fails.
    public static func reproduce(path: String, gcStress: Bool, runtimeObjects: [String], shrink: Bool) -> Failure? {
        guard let bytes = try? FileIO.readFile(path), let scratch = temporaryDirectory("keel-lispfuzz-") else {
            return Failure(index: 0, programSeed: 0, kind: .invalidProgram, detail: "\(path): cannot be read", gcStress: gcStress)
        }
        let runner = LispDifferentialRunner(workDirectory: scratch, runtimeObjects: runtimeObjects)
        let base = path.hasSuffix(".clj") ? String(path.dropLast(4)) : path
        let result = examine(String(decoding: bytes, as: UTF8.self), index: 0, seed: 0, gcStress: gcStress,
                             runner: runner, shrink: shrink, base: base)
        rmdir(scratch)
        return result
    }
}

/// A fresh private directory under $TMPDIR (or /tmp).
func temporaryDirectory(_ prefix: String) -> String? {
    let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array((base + "/" + prefix + "XXXXXX").utf8CString)
    guard mkdtemp(&template) != nil else { return nil }
    return String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

func unlinkFile(_ path: String) { unlink(path) }
