import KeelAnalysis
import KeelDriver
import KeelIR
import KeelInterp

/// The stages `keel il` and `keel interp` run, in process: parse, the
/// `FrontHalf` (build SSA, verify, the IR passes of a level), then compile
/// to assembly or interpret. Each step reports diagnostics as values; none
/// may crash on any input.
public enum Pipeline {
    /// The verifier options of `keel interp`: every called symbol must be
    /// defined or emulated by the interpreter.
    public static let interpreterOptions = VerifierOptions(knownExternals: Set(Interpreter.emulatedFunctions),
                                                           strictCallSignatures: false)
    /// The verifier options of `keel check` and `keel il`.
    public static let checkOptions = VerifierOptions(strictCallSignatures: false)

    /// Parses and takes the module through `FrontHalf` (SSA, verify, the
    /// passes of `level`): what `keel il` does before code generation.
    /// Returns the module, or the error diagnostics (never empty on failure).
    public static func check(_ source: [UInt8], fileName: String = "fuzz.ssa", level: OptimizationLevel = .standard,
                             options: VerifierOptions = checkOptions) -> Result<Module, DiagnosticList> {
        verify(source, fileName: fileName).flatMap { optimize($0, level: level, options: options) }
    }

    /// Parses, builds SSA form and verifies, without running any IR pass: the
    /// module the interpreter runs as the oracle. Symbols are checked by
    /// `optimize`, once the passes have deleted what nothing uses.
    public static func verify(_ source: [UInt8], fileName: String = "fuzz.ssa") -> Result<Module, DiagnosticList> {
        var module = Module()
        do {
            try ILParser.parse(source, fileName: fileName, into: &module)
        } catch {
            return .failure(DiagnosticList([error]))
        }
        do {
            _ = try FrontHalf.run(&module, upTo: .verified, options: checkOptions)
        } catch {
            return .failure(DiagnosticList(error.diagnostics.filter(\.isError)))
        }
        return .success(module)
    }

    /// Runs the IR passes of `level` on a verified module, with the verifier
    /// after each (a pass that breaks the IR is an error naming it).
    public static func optimize(_ module: Module, level: OptimizationLevel,
                                options: VerifierOptions = checkOptions) -> Result<Module, DiagnosticList> {
        var module = module
        do {
            try FrontHalf.optimize(&module, level: level, options: options, verifyEach: true)
        } catch {
            return .failure(DiagnosticList(error.diagnostics.filter(\.isError)))
        }
        return .success(module)
    }

    /// The errors for calls of functions the interpreter neither finds
    /// defined nor emulates (`interpreterOptions`), or nil.
    public static func unknownSymbols(_ module: Module) -> DiagnosticList? {
        let errors = Verifier.verify(module, options: interpreterOptions).filter(\.isError)
        return errors.isEmpty ? nil : DiagnosticList(errors)
    }

    /// Compiles an optimized module to GNU assembly: what `keel il` does after the IR passes.
    public static func compile(_ module: Module, level: OptimizationLevel = .standard,
                               target: TargetEntry = Targets.defaultTarget) -> Result<[UInt8], DiagnosticList> {
        do {
            let options = CompileOptions(checkAllocation: true, level: level)
            return .success(try target.compile(module, options: options).text)
        } catch {
            return .failure(error)
        }
    }

    /// What a program printed and how it ended under the reference interpreter.
    public struct InterpretedRun: Sendable, Equatable {
        public var output: [UInt8]
        /// The exit status (low 8 bits, as a process reports it), nil after a runtime error.
        public var status: Int32?
        public var error: String?
    }

    /// Runs `$main` of a verified module with the interpreter.
    public static func interpret(_ module: Module, stepLimit: Int = 50_000_000) -> InterpretedRun {
        var interpreter: Interpreter
        do {
            interpreter = try Interpreter(module: module)
        } catch {
            return InterpretedRun(output: [], status: nil, error: error.description)
        }
        interpreter.stepLimit = stepLimit
        var output: [UInt8] = []
        do throws(RuntimeError) {
            let status = try interpreter.run(arguments: ["fuzz"], output: &output)
            return InterpretedRun(output: output, status: status & 0xff, error: nil)
        } catch {
            return InterpretedRun(output: output, status: nil, error: error.description)
        }
    }
}
