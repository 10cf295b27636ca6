import KeelIR

/// How one program fared in a differential run.
public enum FailureKind: String, Sendable, CaseIterable {
    /// The program does not parse or verify (a generator bug, or a bad reproducer).
    case invalidProgram = "invalid-program"
    /// Keel reported diagnostics compiling a verified program.
    case compileError = "compile-error"
    /// The C compiler rejected Keel's assembly, or could not link it.
    case assemblerError = "assembler-error"
    /// The native program was killed by a signal.
    case crash
    /// The native program ran past the time limit.
    case timeout
    /// The interpreter stopped with a runtime error (generated programs never should).
    case interpreterError = "interpreter-error"
    /// Native and interpreted runs printed different output or exited differently.
    case mismatch
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
        guard writeFile(assembly, to: asmPath) else {
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
        if native.timedOut {
            return DifferentialOutcome(failure: .timeout, detail: "no exit after \(timeoutMilliseconds) ms")
        }
        if let signal = native.signal {
            return DifferentialOutcome(failure: .crash, detail: "killed by signal \(signal)")
        }
        let interpreted = Pipeline.interpret(module)
        if let error = interpreted.error {
            return DifferentialOutcome(failure: .interpreterError, detail: error)
        }
        if interpreted.output != native.stdout || interpreted.status != native.status {
            return DifferentialOutcome(failure: .mismatch, detail: """
                native (exit \(native.status)):
                \(String(decoding: native.stdout, as: UTF8.self))
                interpreter (exit \(interpreted.status ?? -1)):
                \(String(decoding: interpreted.output, as: UTF8.self))
                """)
        }
        return DifferentialOutcome(failure: nil, detail: "")
    }
}
