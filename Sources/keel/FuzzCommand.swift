import ArgumentParser
import KeelFuzz
import KeelIR
import KeelDriver
import KeelLispFuzz
import KeelSystem

/// `keel fuzz`: differential fuzzing of the compiler against the interpreter,
/// or (`--inputs`) robustness fuzzing of the front end with mutated IL.
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Differential fuzzing: generated IL programs, compiled natively and interpreted.",
        discussion: """
            Program number i is generated from a seed derived from --seed and i (--program-seed prints one). \
            Each is checked (parse, SSA, verify) and run by the reference interpreter before any IR pass; \
            then, at each level (-O0 and -O2 unless --level says otherwise), optimized, compiled to \
            assembly in process, assembled and linked with cc -O0 and run with a time limit. A difference \
            in output or exit status, a crash, a timeout, a compile error or an interpreter error is a \
            failure: the program is saved as fuzz-SEED-KIND.ssa (KIND names the level, as in \
            mismatch-O2) and shrunk at that level to fuzz-SEED-KIND.min.ssa, in --save DIR or in a \
            temporary directory that is then kept. keel prints the number of programs, failures, time and \
            programs per second, then each failure with its reproducer paths; the exit status is 1 if \
            anything failed.

            With --inputs, mutants of IL files (--corpus, default the repository's Tests/Programs/il, plus a few generated \
            programs) go through parse, SSA, verify and compile in process; every 25th compiled mutant is \
            assembled with cc -c. A crash ends keel (with --save DIR the input being processed is in \
            DIR/current.ssa); a diagnostic without message or file, a mutant taking over 5 s, or assembly \
            cc rejects is a failure.
            """
    )

    @Option(help: "Campaign seed.")
    var seed: UInt64 = 1

    @Option(help: "Number of programs (default 100) or of mutated inputs with --inputs (default 5000).")
    var count: Int?

    @Option(help: "Target (amd64_sysv, or arm64: linked by aarch64-linux-gnu-gcc -static, run by qemu-aarch64).")
    var target: String = Targets.defaultTarget.names[0]

    @Option(help: "Directory for reproducers (created if missing).")
    var save: String?

    @Option(help: "Programs run at once.")
    var jobs: Int = 2

    @Option(help: "Time limit for each native run, in milliseconds.")
    var timeout: Int = 10_000

    @Flag(help: "Do not shrink failing programs.")
    var noShrink = false

    @Option(help: "Print the program generated from this program seed and exit (no run).")
    var programSeed: UInt64?

    @Flag(help: "With --program-seed: print the program after SSA construction (one definition per temporary, as QBE wants).")
    var ssa = false

    @Option(help: "Also compile each program (after SSA construction) with this QBE-compatible compiler and compare.")
    var reference: String?

    @Option(name: .customLong("level"),
            help: "Optimization level to compile each program at (0, 1 or 2; repeatable; default: 0 and 2).")
    var levels: [Int] = []

    @Option(help: "Run this IL file instead of generated programs (and shrink it if it fails).")
    var reproduce: String?

    @Flag(help: "Generate programs with references (r values), linked with Keel's runtime and also run under KEEL_GC_STRESS=1 KEEL_GC_VERIFY=1.")
    var gc = false

    @Option(help: "With --gc: the directory of the runtime's C sources.")
    var runtime = "Sources/KeelRuntime"

    @Flag(help: "Fuzz the front end and code generator with mutated IL inputs instead.")
    var inputs = false

    @Option(help: "With --inputs (--lisp-mutate): a .ssa (.clj) file or a directory of them to mutate (repeatable; default the repository's Tests/Programs/il or Tests/Programs/lisp).")
    var corpus: [String] = []

    @Flag(help: "Differential fuzzing of KeelLisp: generated programs compiled natively and run by the evaluator (docs/fuzz.md).")
    var lisp = false

    @Flag(name: .customLong("lisp-mutate"), help: "Mutated KeelLisp sources through the compiler in process (default --count 10000).")
    var lispMutate = false

    @Flag(name: .customLong("gc-stress"), help: "With --lisp --reproduce: run under KEEL_GC_STRESS=1.")
    var gcStress = false

    @Option(name: .customLong("gc-stress-every"), help: "With --lisp: one program in this many runs under KEEL_GC_STRESS=1 (0: none).")
    var gcStressEvery = 4

    func run() throws {
        try reporting { try runReporting() }
    }

    func runReporting() throws {
        if lisp || lispMutate { return try runLisp() }
        guard Targets.named(target) != nil else {
            throw ReportedFailure(message: "unknown target '\(target)' (known: \(Targets.names.joined(separator: ", ")))")
        }
        var chosenLevels: [OptimizationLevel] = []
        for n in levels {
            guard let level = OptimizationLevel(rawValue: n) else {
                throw ReportedFailure(message: "unknown optimization level \(n) (known: 0, 1, 2)")
            }
            if !chosenLevels.contains(level) { chosenLevels.append(level) }
        }
        if let programSeed {
            let text = gc ? GCProgramGenerator.generate(seed: programSeed) : ProgramGenerator.generate(seed: programSeed)
            guard ssa else { return print(text, terminator: "") }
            switch Pipeline.verify(Array(text.utf8)) {
            case .success(let module): print(ILPrinter.print(module), terminator: "")
            case .failure(let list): throw ReportedFailure(diagnostics: list.diagnostics)
            }
            return
        }
        if inputs { return try runInputs() }
        var options = Campaign.Options()
        options.seed = seed
        options.count = max(0, count ?? 100)
        options.jobs = max(1, jobs)
        options.saveDirectory = save
        options.shrink = !noShrink
        options.timeoutMilliseconds = timeout
        options.referenceCompiler = reference
        options.gc = gc
        options.runtimeDirectory = runtime
        options.target = target
        if !chosenLevels.isEmpty { options.levels = chosenLevels }
        if let reproduce {
            guard let f = Campaign.reproduce(path: reproduce, options) else { return print("\(reproduce): no failure") }
            report([f])
            throw ExitCode(1)
        }
        let summary = Campaign.run(options)
        print(FileIO.format("programs: %ld  failures: %ld  time: %.1f s  (%.1f programs/s)",
                            summary.programs, summary.failures.count, summary.seconds, summary.programsPerSecond))
        report(summary.failures)
        if !summary.failures.isEmpty { throw ExitCode(1) }
    }

    func report(_ failures: [Campaign.Failure]) {
        for f in failures {
            let level = f.level.map { " at \($0.flag)" } ?? ""
            print("\(f.kind.rawValue)\(level): program seed \(f.programSeed) (index \(f.index))")
            if let r = f.reproducer { print("  reproducer: \(r)") }
            if let s = f.shrunk { print("  shrunk:     \(s)") }
            let detail = f.detail.split(separator: "\n").prefix(6).joined(separator: "\n    ")
            if !detail.isEmpty { print("    " + detail) }
        }
    }

    func runInputs() throws {
        var options = InputFuzzer.Options()
        options.seed = seed
        options.count = max(0, count ?? 5000)
        options.saveDirectory = save
        let summary = InputFuzzer.run(options, corpus: InputFuzzer.loadCorpus(try corpusPaths(default: "Tests/Programs/il")))
        print(summary.description)
        for d in summary.compileDiagnostics { print("codegen rejected a verified mutant: \(d)") }
        for f in summary.failures { print(f) }
        if !summary.failures.isEmpty { throw ExitCode(1) }
    }

    /// The mutation corpus: the paths given, each of which must exist, or
    /// the repository's `directory`, found from keel's own location (as the
    /// runtime sources are), so that any working directory will do.
    func corpusPaths(default directory: String) throws -> [String] {
        for path in corpus where !LispToolchain.isFile(path) {
            throw ValidationError("--corpus \(path): no such file or directory")
        }
        if !corpus.isEmpty { return corpus }
        let root = (try? LispToolchain.sourceRoot()) ?? "."
        return [root + "/" + directory]
    }
}
