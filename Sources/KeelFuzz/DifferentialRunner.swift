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

/// The result of a differential run: nil kind means both runs agreed.
public struct DifferentialOutcome: Sendable {
    public var failure: FailureKind?
    /// What went wrong, for a report (empty when clean).
    public var detail: String
}

/// Runs one IL program two ways and compares: compiled in-process by
/// KeelX64 and linked with `cc` (-O0, no debug info) into a native
/// executable run under a timeout, and interpreted by KeelInterp. Any
/// difference in standard output or exit status, crash, timeout or error
/// along the way is a failure of a precise kind.
public struct DifferentialRunner: Sendable {
    /// Where assembly and executables are written (files are removed after each run).
    public var workDirectory: String
    public var timeoutMilliseconds = 10_000
    public var compiler = "cc"
    /// A QBE-compatible compiler (`qbe`) run on the program after SSA
    /// construction as a third opinion; nil: none.
    public var referenceCompiler: String?

    public init(workDirectory: String) { self.workDirectory = workDirectory }

    /// Runs `source`; `name` keeps the scratch files of concurrent runs apart.
    public func run(_ source: [UInt8], name: String) -> DifferentialOutcome {
        let module: Module
        switch Pipeline.check(source, fileName: name + ".ssa", options: Pipeline.interpreterOptions) {
        case .success(let m): module = m
        case .failure(let d): return DifferentialOutcome(failure: .invalidProgram, detail: d.description)
        }
        let assembly: [UInt8]
        switch Pipeline.compile(module) {
        case .success(let a): assembly = a
        case .failure(let d): return DifferentialOutcome(failure: .compileError, detail: d.description)
        }
        let base = workDirectory + "/" + name
        let asmPath = base + ".s", exePath = base + ".exe"
        defer { unlinkPath(asmPath); unlinkPath(exePath) }
        guard FileIO.writeFile(assembly, to: asmPath) else {
            return DifferentialOutcome(failure: .assemblerError, detail: "cannot write \(asmPath)")
        }
        let native: ChildProcess.Result
        do {
            let cc = try ChildProcess.run([compiler, "-O0", "-o", exePath, asmPath], scratch: base + ".cc",
                                          timeoutMilliseconds: 60_000)
            guard cc.status == 0 else {
                return DifferentialOutcome(failure: .assemblerError, detail: String(decoding: cc.stderr, as: UTF8.self))
            }
            native = try ChildProcess.run([exePath], scratch: base + ".run", timeoutMilliseconds: timeoutMilliseconds)
        } catch {
            return DifferentialOutcome(failure: .assemblerError, detail: error.description)
        }
        // The interpreter decides whether the program is defined at all: a
        // crash of a program that also fails there (hlt, a wild load) is no
        // compiler bug, and the shrinker must not drift towards one.
        let interpreted = Pipeline.interpret(module)
        if let error = interpreted.error {
            return DifferentialOutcome(failure: .interpreterError, detail: error)
        }
        if native.timedOut {
            return DifferentialOutcome(failure: .timeout, detail: "no exit after \(timeoutMilliseconds) ms")
        }
        if let signal = native.signal {
            return DifferentialOutcome(failure: .crash, detail: "killed by signal \(signal)")
        }
        if interpreted.output != native.stdout || interpreted.status != native.status {
            return DifferentialOutcome(failure: .mismatch,
                                       detail: Self.difference("native", native.status, native.stdout, interpreted))
        }
        if let referenceCompiler {
            return compareWithReference(module, referenceCompiler, base: base, expected: interpreted)
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
            let compiled = try ChildProcess.run([referenceCompiler, "-o", asmPath, ilPath], scratch: base + ".ref",
                                                timeoutMilliseconds: 60_000)
            let cc = compiled.status == 0
                ? try ChildProcess.run([compiler, "-O0", "-o", exePath, asmPath], scratch: base + ".refcc",
                                       timeoutMilliseconds: 60_000) : compiled
            guard cc.status == 0 else {
                // The reference cannot compile it: no opinion.
                return DifferentialOutcome(failure: nil, detail: "")
            }
            let run = try ChildProcess.run([exePath], scratch: base + ".refrun", timeoutMilliseconds: timeoutMilliseconds)
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
