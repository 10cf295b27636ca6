// A differential fuzzing campaign: `count` programs generated from seeds
// derived from one campaign seed, each run by `DifferentialRunner` at every
// level of `levels` on `jobs` threads; every failing program is saved (and
// shrunk, keeping its failure kind and level) as a reproducer. With `gc`,
// the programs use references and the runtime, and each native executable
// also runs under GC stress (a collection at every allocation, verified).
import KeelDriver
import KeelRandom
import KeelSystem
public struct Campaign {
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        public var count: Int = 100
        public var jobs: Int = 2
        /// Where reproducers go; nil: the scratch directory (removed at the end unless something failed).
        public var saveDirectory: String?
        public var shrink = true
        public var shrinkBudget = 400
        public var timeoutMilliseconds = 10_000
        /// See `DifferentialRunner.referenceCompiler`.
        public var referenceCompiler: String?
        /// The optimization levels every program is compiled at.
        public var levels: [OptimizationLevel] = [.o0, .o2]
        /// Programs with references (`GCProgramGenerator`), linked with the
        /// runtime built from `runtimeDirectory` and run plainly and under
        /// `gcStressEnvironment`.
        public var gc = false
        public var runtimeDirectory = "Sources/KeelRuntime"
        /// The target's `-t` name (see `DifferentialRunner.forTarget`).
        public var target = Targets.defaultTarget.names[0]
        public init() {}
    }

    /// A collection at every allocation, the heap verified after each, a small nursery.
    public static let gcStressEnvironment = ["KEEL_GC_STRESS=1", "KEEL_GC_VERIFY=1", "KEEL_NURSERY=64K"]

    /// The program a campaign generates from `seed`.
    public static func program(seed: UInt64, _ options: Options) -> String {
        options.gc ? GCProgramGenerator.generate(seed: seed)
            : ProgramGenerator.generate(seed: seed, portable: options.referenceCompiler != nil)
    }

    /// A runner for `options` working in `scratch`; for `gc`, the runtime is built there first.
    static func runner(_ options: Options, scratch: String) -> Result<DifferentialRunner, RuntimeBuildError> {
        var runner = DifferentialRunner(workDirectory: scratch)
        runner.timeoutMilliseconds = options.timeoutMilliseconds
        runner.referenceCompiler = options.referenceCompiler
        runner.levels = options.levels
        _ = runner.forTarget(options.target)
        if options.gc {
            switch RuntimeBuild.objects(runtimeDirectory: options.runtimeDirectory, workDirectory: scratch,
                                        compiler: runner.compiler) {
            case .success(let objects): runner.linkInputs = objects
            case .failure(let e): return .failure(e)
            }
            runner.environments = [[], gcStressEnvironment]
        }
        return .success(runner)
    }

    public struct Failure: Sendable {
        public var index: Int
        /// The generator seed of the failing program (`keel fuzz --program-seed`).
        public var programSeed: UInt64
        public var kind: FailureKind
        /// The level of the failing compilation (nil: the program's own failure).
        public var level: OptimizationLevel?
        public var detail: String
        /// The saved program, and its shrunk form if shrinking was on.
        public var reproducer: String?
        public var shrunk: String?
    }

    public struct Summary: Sendable {
        public var programs: Int
        public var failures: [Failure]
        public var seconds: Double
        public var programsPerSecond: Double { seconds > 0 ? Double(programs) / seconds : 0 }
    }

    /// The program a campaign with seed `seed` generates at position `index`.
    public static func programSeed(campaign seed: UInt64, index: Int) -> UInt64 {
        SplitMix64.derive(seed, index)
    }

    /// Runs one program; on failure saves it as `reproducerBase-KIND.ssa`
    /// (KIND with the level, `mismatch-O2`, when one level failed) and its
    /// shrunk form as `reproducerBase-KIND.min.ssa`. Shrinking compiles at the
    /// failing level only and keeps a candidate that fails the same way there.
    static func examine(_ text: String, index: Int, seed: UInt64, runner: DifferentialRunner, options: Options,
                        reproducerBase: String) -> Failure? {
        let outcome = runner.run(Array(text.utf8), name: "p\(index)")
        guard let kind = outcome.failure else { return nil }
        var failure = Failure(index: index, programSeed: seed, kind: kind, level: outcome.level, detail: outcome.detail)
        let path = reproducerBase + "-\(outcome.name).ssa"
        if FileIO.writeFile(Array(text.utf8), to: path) { failure.reproducer = path }
        if options.shrink && kind != .invalidProgram {
            var shrinking = runner
            if let level = outcome.level { shrinking.levels = [level] }
            var step = 0
            let small = Shrinker.shrink(text, budget: options.shrinkBudget) { candidate in
                step += 1
                let again = shrinking.run(Array(candidate.utf8), name: "p\(index)s\(step)")
                return again.failure == kind && again.level == outcome.level
            }
            let smallPath = reproducerBase + "-\(outcome.name).min.ssa"
            if FileIO.writeFile(Array((small + "\n").utf8), to: smallPath) { failure.shrunk = smallPath }
        }
        return failure
    }

    /// Runs the program in the file at `path` and shrinks it if it fails;
    /// reproducers go to the save directory, or beside the file.
    public static func reproduce(path: String, _ options: Options) -> Failure? {
        guard let bytes = try? FileIO.readFile(path), let scratch = makeTemporaryDirectory(prefix: "keel-fuzz-") else {
            return Failure(index: 0, programSeed: 0, kind: .invalidProgram, detail: "\(path): cannot be read")
        }
        defer { removeDirectory(scratch) }
        let runner: DifferentialRunner
        switch Self.runner(options, scratch: scratch) {
        case .success(let r): runner = r
        case .failure(let e): return Failure(index: 0, programSeed: 0, kind: .assemblerError, detail: e.message)
        }
        let base = path.hasSuffix(".ssa") ? String(path.dropLast(4)) : path
        let name = base.split(separator: "/").last.map(String.init) ?? "repro"
        let target = options.saveDirectory.map { $0 + "/" + name } ?? base
        if let dir = options.saveDirectory { makeDirectory(dir) }
        return examine(String(decoding: bytes, as: UTF8.self), index: 0, seed: 0, runner: runner, options: options,
                       reproducerBase: target)
    }

    public static func run(_ options: Options) -> Summary {
        let start = ChildProcess.monotonicMilliseconds()
        guard let scratch = makeTemporaryDirectory(prefix: "keel-fuzz-") else {
            return Summary(programs: 0, failures: [Failure(index: 0, programSeed: 0, kind: .assemblerError,
                                                           detail: "cannot create a temporary directory")],
                           seconds: 0)
        }
        let runner: DifferentialRunner
        switch Self.runner(options, scratch: scratch) {
        case .success(let r): runner = r
        case .failure(let e):
            return Summary(programs: 0, failures: [Failure(index: 0, programSeed: 0, kind: .assemblerError,
                                                           detail: "the runtime does not build: " + e.message)],
                           seconds: 0)
        }
        let saveDirectory = options.saveDirectory ?? scratch
        if options.saveDirectory != nil { makeDirectory(saveDirectory) }
        let results: [Failure?] = parallelMap(count: options.count, jobs: options.jobs) { [runner] i in
            let seed = programSeed(campaign: options.seed, index: i)
            let text = program(seed: seed, options)
            return examine(text, index: i, seed: seed, runner: runner, options: options,
                           reproducerBase: saveDirectory + "/fuzz-\(seed)")
        }
        let failures = results.compactMap { $0 }
        if failures.isEmpty || options.saveDirectory != nil { removeDirectory(scratch) }
        let seconds = Double(ChildProcess.monotonicMilliseconds() - start) / 1000
        return Summary(programs: options.count, failures: failures, seconds: seconds)
    }
}
