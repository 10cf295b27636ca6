import KeelFuzz
import KeelLisp
import KeelSystem

/// How one KeelLisp program fared against the evaluator.
public enum LispFailureKind: String, Sendable, CaseIterable {
    /// The evaluator's reader or analyzer rejected it (a generator bug).
    case invalidProgram = "invalid-program"
    /// The evaluator met something it does not model: no verdict.
    case unsupported = "evaluator-unsupported"
    /// The compiler rejected a program the evaluator ran.
    case compileError = "compile-error"
    /// cc could not assemble or link the compiler's output.
    case linkError = "link-error"
    /// The executable was killed by a signal.
    case crash
    /// The executable ran past the time limit.
    case timeout
    /// Output, exit status or the first line of stderr differ.
    case mismatch
}

public struct LispOutcome: Sendable {
    public var failure: LispFailureKind?
    public var detail: String
}

/// Runs one program both ways: the evaluator (LispEvaluator), and natively
/// as `keel build` does (LispCompiler in process, cc with the runtimes'
/// objects), optionally under KEEL_GC_STRESS=1; then compares standard
/// output, exit status and, after a runtime error, the first line of
/// standard error (the message; the backtrace is the native side's own).
public struct LispDifferentialRunner: Sendable {
    public var workDirectory: String
    /// The objects of Sources/KeelRuntime and Sources/KeelLispRuntime.
    public var runtimeObjects: [String]
    public var timeoutMilliseconds = 10_000
    /// Evaluation steps before the evaluator gives up.
    public var evaluationBudget = 30_000_000

    public init(workDirectory: String, runtimeObjects: [String]) {
        self.workDirectory = workDirectory
        self.runtimeObjects = runtimeObjects
    }

    public func run(_ source: String, name: String, gcStress: Bool) -> LispOutcome {
        let expected: LispEvaluator.Run
        switch LispEvaluator.run(source: source, file: name + ".clj", budget: evaluationBudget) {
        case .success(let r): expected = r
        case .failure(.source(let e)): return LispOutcome(failure: .invalidProgram, detail: e.description)
        case .failure(let e): return LispOutcome(failure: .unsupported, detail: e.description)
        }
        let assembly: [UInt8]
        do {
            assembly = try LispCompiler.assembly(source: source, file: name + ".clj")
        } catch {
            return LispOutcome(failure: .compileError, detail: error.description)
        }
        let base = workDirectory + "/" + name
        let asmPath = base + ".s", exePath = base + ".exe"
        defer { unlinkFile(asmPath); unlinkFile(exePath) }
        guard FileIO.writeFile(assembly, to: asmPath) else {
            return LispOutcome(failure: .linkError, detail: "cannot write \(asmPath)")
        }
        let native: ChildProcess.Result
        do {
            let cc = try ChildProcess.run(["cc", "-o", exePath, asmPath] + runtimeObjects + ["-lm"],
                                          scratch: base + ".cc", timeoutMilliseconds: 60_000)
            guard cc.status == 0 else {
                return LispOutcome(failure: .linkError, detail: String(decoding: cc.stderr, as: UTF8.self))
            }
            let command = gcStress ? ["/usr/bin/env", "KEEL_GC_STRESS=1", exePath] : [exePath]
            native = try ChildProcess.run(command, scratch: base + ".run", timeoutMilliseconds: timeoutMilliseconds)
        } catch {
            return LispOutcome(failure: .linkError, detail: error.description)
        }
        let under = gcStress ? " (KEEL_GC_STRESS=1)" : ""
        if native.timedOut { return LispOutcome(failure: .timeout, detail: "no exit after \(timeoutMilliseconds) ms" + under) }
        if let signal = native.signal {
            return LispOutcome(failure: .crash, detail: "killed by signal \(signal)\(under)\n" + String(decoding: native.stderr, as: UTF8.self))
        }
        let stdout = String(decoding: native.stdout, as: UTF8.self)
        let stderr = String(decoding: native.stderr, as: UTF8.self)
        let firstError = stderr.isEmpty ? nil : String(stderr.split(separator: "\n", omittingEmptySubsequences: false)[0])
        if stdout != expected.output || native.status != expected.status || firstError != expected.error {
            return LispOutcome(failure: .mismatch, detail: """
                native\(under) (exit \(native.status)):
                \(stdout)\(firstError.map { "stderr: " + $0 } ?? "")
                evaluator (exit \(expected.status)):
                \(expected.output)\(expected.error.map { "stderr: " + $0 } ?? "")
                """)
        }
        return LispOutcome(failure: nil, detail: "")
    }
}
