// Keel's public API for front ends: one import gives the IR and its builder
// (KeelIR), the verifier (KeelAnalysis), the IR passes (KeelOpt) and the
// back end (KeelDriver). `KeelCompiler` strings them together the way the
// `keel` tool does, so a front end outside this repository needs nothing else.
@_exported import KeelAnalysis
@_exported import KeelDriver
@_exported import KeelIR
@_exported import KeelOpt

public enum KeelCompiler {
    /// Takes a module built with `FunctionBuilder` (or parsed from IL) through
    /// SSA construction, the verifier and the IR passes of `level`, in place.
    /// Throws the verifier's errors (warnings are returned).
    @discardableResult
    public static func verifyAndOptimize(_ module: inout Module, level: OptimizationLevel = .standard,
                                         options: VerifierOptions = VerifierOptions())
        throws(DiagnosticList) -> [Diagnostic] {
        try FrontHalf.run(&module, upTo: .simplified, level: level, options: options)
    }

    /// GNU assembly text for a module that went through `verifyAndOptimize`.
    /// `target` names a target as `keel il -t` does (nil: the default, x86-64).
    public static func assembly(for module: Module, target: String? = nil,
                                options: CompileOptions = CompileOptions()) throws(DiagnosticList) -> [UInt8] {
        var entry = Targets.defaultTarget
        if let target {
            guard let named = Targets.named(target) else {
                throw DiagnosticList([Diagnostic(file: "<target>", position: .unknown,
                                                 message: "unknown target '\(target)'")])
            }
            entry = named
        }
        return try entry.compile(module, options: options).text
    }

    /// Verify, optimize and compile in one step.
    public static func compile(_ module: Module, level: OptimizationLevel = .standard, target: String? = nil,
                               options: CompileOptions = CompileOptions()) throws(DiagnosticList) -> [UInt8] {
        var m = module
        try verifyAndOptimize(&m, level: level)
        return try assembly(for: m, target: target, options: options)
    }

    /// The IL text of a module (what `keel il` reads back).
    public static func ilText(_ module: Module) -> String { ILPrinter.print(module) }
}
