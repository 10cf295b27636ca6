import KeelDriver
import KeelIR
import KeelSystem

/// How one program fared in a differential run.
public enum FailureKind: String, Sendable, CaseIterable {
    /// The program does not parse or verify (a generator bug, or a bad reproducer).
    case invalidProgram = "invalid-program"
    /// Keel reported diagnostics compiling a verified program.
    case compileError = "compile-error"
    /// The C compiler rejected Keel's assembly, or could not link it.
    case assemblerError = "assembler-error"
    /// The native program was killed by a signal (the interpreter ran it fine).
    case crash
    /// The native program ran past the time limit (the interpreter finished).
    case timeout
    /// The interpreter stopped with a runtime error (generated programs never should).
    case interpreterError = "interpreter-error"
    /// Native and interpreted runs printed different output or exited differently.
    case mismatch
    /// The program compiled by the reference compiler (e.g. QBE) behaved
    /// differently from the interpreter.
    case referenceMismatch = "reference-mismatch"
}

/// The result of a differential run: nil kind means every run agreed.
public struct DifferentialOutcome: Sendable {
    public var failure: FailureKind?
    /// What went wrong, for a report (empty when clean).
    public var detail: String
    /// The optimization level of the failing compilation; nil when the
    /// failure is the program's own (invalid, interpreter error) or the
    /// reference compiler's.
    public var level: OptimizationLevel?

    public init(failure: FailureKind?, detail: String, level: OptimizationLevel? = nil) {
        self.failure = failure
        self.detail = detail
        self.level = level
    }

    /// The kind and level, as reports and reproducer names spell them: `mismatch-O2`.
    public var name: String {
        guard let failure else { return "clean" }
        return failure.rawValue + (level.map { "-" + $0.flag.dropFirst() } ?? "")
    }
}

/// Runs one IL program several ways and compares: interpreted by KeelInterp
/// right after verification (the oracle: no IR pass has touched it, so it
/// shares no pass's bug), and at each of `levels` optimized, compiled
/// in-process by KeelX64 and linked with `cc` (-O0, no debug info) into a
/// native executable run under a timeout. Any difference in standard output
/// or exit status, crash, timeout or error along the way is a failure of a
/// precise kind, at the level where it happened (the first, in `levels`
/// order).
public struct DifferentialRunner: Sendable {
    /// Where assembly and executables are written (files are removed after each run).
    public var workDirectory: String
    public var timeoutMilliseconds = 10_000
    public var compiler = "cc"
    /// The target compiled for, and how its executables are built and run
    /// (`forTarget`: arm64 links statically with the cross compiler and runs under qemu).
    public var target = Targets.defaultTarget
    public var compilerArguments: [String] = []
    public var launcher: [String] = []
    /// A QBE-compatible compiler (`qbe`) run on the program after SSA
    /// construction as a third opinion; nil: none.
    public var referenceCompiler: String?
    /// The optimization levels each program is compiled at.
    public var levels: [OptimizationLevel] = [.o0, .o2]
    /// Extra inputs of every link (the runtime's objects for `--gc`).
    public var linkInputs: [String] = []
    /// The environments each native executable runs in (VAR=VALUE lists),
    /// each compared with the interpreter: several for `--gc` (plain, and a
    /// collection at every allocation with the heap verified).
    public var environments: [[String]] = [[]]

    public init(workDirectory: String) { self.workDirectory = workDirectory }

    /// Sets the target by its `-t` name and the toolchain that builds and runs its
    /// programs; false for an unknown name.
    public mutating func forTarget(_ name: String) -> Bool {
        guard let entry = Targets.named(name) else { return false }
        target = entry
        if entry.names[0] == "arm64" {
            (compiler, compilerArguments, launcher) = ("aarch64-linux-gnu-gcc", ["-static"], ["qemu-aarch64"])
        }
        return true
    }

    /// Runs `source`; `name` keeps the scratch files of concurrent runs apart.
    public func run(_ source: [UInt8], name: String) -> DifferentialOutcome {
        let module: Module
        switch Pipeline.verify(source, fileName: name + ".ssa") {
        case .success(let m): module = m
        case .failure(let d): return DifferentialOutcome(failure: .invalidProgram, detail: d.description)
        }
        // Interpreted once, before any pass, when the first native run needs
        // it (a compile error needs none: shrinking one must not interpret
        // candidates that loop); each level is compared with it.
        var interpreted: Pipeline.InterpretedRun?
        for level in levels {
            let outcome = run(module, at: level, name: name) {
                if interpreted == nil { interpreted = Pipeline.interpret(module) }
                return interpreted!
            }
            if outcome.failure != nil { return outcome }
        }
        if let referenceCompiler {
            let expected = interpreted ?? Pipeline.interpret(module)
            if expected.error == nil {
                return compareWithReference(module, referenceCompiler, base: workDirectory + "/" + name, expected: expected)
            }
        }
        return DifferentialOutcome(failure: nil, detail: "")
    }

    /// Optimizes `module` at `level`, compiles, links and runs it, and compares with `expected`.
    func run(_ verified: Module, at level: OptimizationLevel, name: String,
             expected: () -> Pipeline.InterpretedRun) -> DifferentialOutcome {
        func failure(_ kind: FailureKind, _ detail: String) -> DifferentialOutcome {
            DifferentialOutcome(failure: kind, detail: "at \(level.flag): " + detail, level: level)
        }
        let module: Module
        switch Pipeline.optimize(verified, level: level) {
        case .success(let m): module = m
        case .failure(let d): return failure(.compileError, d.description)  // a pass broke the IR
        }
        // A symbol that is neither defined nor emulated is the program's
        // fault, once the passes have deleted what nothing uses.
        if let d = Pipeline.unknownSymbols(module) {
            return DifferentialOutcome(failure: .invalidProgram, detail: d.description)
        }
        let assembly: [UInt8]
        switch Pipeline.compile(module, level: level, target: target) {
        case .success(let a): assembly = a
        case .failure(let d): return failure(.compileError, d.description)
        }
        let base = workDirectory + "/" + name + "-" + level.flag.dropFirst()
        let asmPath = base + ".s", exePath = base + ".exe"
        defer { unlinkPath(asmPath); unlinkPath(exePath) }
        guard FileIO.writeFile(assembly, to: asmPath) else {
            return failure(.assemblerError, "cannot write \(asmPath)")
        }
        do {
            let cc = try ChildProcess.run([compiler] + compilerArguments + ["-O0", "-o", exePath, asmPath] + linkInputs,
                                          scratch: base + ".cc", timeoutMilliseconds: 60_000)
            guard cc.status == 0 else {
                return failure(.assemblerError, String(decoding: cc.stderr, as: UTF8.self))
            }
        } catch {
            return failure(.assemblerError, error.description)
        }
        for environment in environments {
            let outcome = runNative(exePath, environment, base: base, level: level, expected: expected)
            if outcome.failure != nil { return outcome }
        }
        return DifferentialOutcome(failure: nil, detail: "")
    }

    /// Runs the executable in `environment` (through the target's launcher) and compares with the interpreter.
    func runNative(_ exePath: String, _ environment: [String], base: String, level: OptimizationLevel,
                   expected: () -> Pipeline.InterpretedRun) -> DifferentialOutcome {
        let under = environment.isEmpty ? "" : " (" + environment.joined(separator: " ") + ")"
        func failure(_ kind: FailureKind, _ detail: String) -> DifferentialOutcome {
            DifferentialOutcome(failure: kind, detail: "at \(level.flag)\(under): " + detail, level: level)
        }
        let native: ChildProcess.Result
        do {
            let command = launcher + [exePath]
            native = try ChildProcess.run(environment.isEmpty ? command : ["/usr/bin/env"] + environment + command,
                                          scratch: base + ".run", timeoutMilliseconds: timeoutMilliseconds)
        } catch {
            return failure(.assemblerError, error.description)
        }
        // The interpreter decides whether the program is defined at all: a
        // crash of a program that also fails there (hlt, a wild load) is no
        // compiler bug, and the shrinker must not drift towards one.
        let interpreted = expected()
        if let error = interpreted.error {
            return DifferentialOutcome(failure: .interpreterError, detail: error)
        }
        if native.timedOut {
            return failure(.timeout, "no exit after \(timeoutMilliseconds) ms")
        }
        if let signal = native.signal {
            return failure(.crash, "killed by signal \(signal)")
        }
        if interpreted.output != native.stdout || interpreted.status != native.status {
            return failure(.mismatch, Self.difference("native", native.status, native.stdout, interpreted))
        }
        return DifferentialOutcome(failure: nil, detail: "")
    }

    /// How a run's output and status differ from the interpreter's, for a report.
    static func difference(_ who: String, _ status: Int32, _ output: [UInt8], _ expected: Pipeline.InterpretedRun) -> String {
        """
        \(who) (exit \(status)):
        \(String(decoding: output, as: UTF8.self))
        interpreter (exit \(expected.status ?? -1)):
        \(String(decoding: expected.output, as: UTF8.self))
        """
    }

    /// Compiles the SSA form of `module` with `referenceCompiler` and runs it.
    func compareWithReference(_ module: Module, _ referenceCompiler: String, base: String,
                              expected: Pipeline.InterpretedRun) -> DifferentialOutcome {
        let ilPath = base + ".ref.ssa", asmPath = base + ".ref.s", exePath = base + ".ref.exe"
        defer { unlinkPath(ilPath); unlinkPath(asmPath); unlinkPath(exePath) }
        guard FileIO.writeFile(Array(ILPrinter.print(module).utf8), to: ilPath) else {
            return DifferentialOutcome(failure: .assemblerError, detail: "cannot write \(ilPath)")
        }
        do {
            let compiled = try ChildProcess.run([referenceCompiler, "-t", target.names[0], "-o", asmPath, ilPath],
                                                scratch: base + ".ref", timeoutMilliseconds: 60_000)
            let cc = compiled.status == 0
                ? try ChildProcess.run([compiler] + compilerArguments + ["-O0", "-o", exePath, asmPath],
                                       scratch: base + ".refcc", timeoutMilliseconds: 60_000) : compiled
            guard cc.status == 0 else {
                // The reference cannot compile it: no opinion.
                return DifferentialOutcome(failure: nil, detail: "")
            }
            let run = try ChildProcess.run(launcher + [exePath], scratch: base + ".refrun",
                                           timeoutMilliseconds: timeoutMilliseconds)
            if run.stdout != expected.output || run.status != expected.status {
                return DifferentialOutcome(failure: .referenceMismatch,
                                           detail: Self.difference("reference", run.status, run.stdout, expected))
            }
        } catch {
            return DifferentialOutcome(failure: .assemblerError, detail: error.description)
        }
        return DifferentialOutcome(failure: nil, detail: "")
    }
}
