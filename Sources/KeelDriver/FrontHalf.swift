import KeelAnalysis
import KeelIR
import KeelOpt

// The target-independent steps every command takes after parsing, in order:
// SSA construction, verification, dead code elimination. The tool, the
// fuzzer and the tests all call this; nothing else strings these together.
public enum FrontHalf {
    public enum Stage {
        /// SSA built and verified: what `keel check` reports on.
        case verified
        /// Verified, then dead code deleted: what every compilation and the
        /// interpreter run (a dead load of an undefined symbol is no error).
        case simplified
    }

    /// Takes a parsed module through `stage`. Returns the verifier's warnings;
    /// throws its errors. At `.simplified`, `options.knownExternals` is checked
    /// once dead code is gone, so only symbols the program still uses must be
    /// known. `lap` is called with each step's name when it ends (for `--stats`).
    public static func run(_ module: inout Module, upTo stage: Stage, options: VerifierOptions,
                           lap: (String) -> Void = { _ in }) throws(DiagnosticList) -> [Diagnostic] {
        let problems = constructSSA(&module)
        if !problems.isEmpty { throw DiagnosticList(problems) }
        lap("ssa")
        var firstOptions = options
        if stage == .simplified { firstOptions.knownExternals = nil }
        let diagnostics = Verifier.verify(module, options: firstOptions)
        lap("verify")
        if diagnostics.contains(where: \.isError) { throw DiagnosticList(diagnostics) }
        guard stage == .simplified else { return diagnostics }
        eliminateDeadCode(&module)
        lap("dce")
        if options.knownExternals != nil {
            let errors = Verifier.verify(module, options: options).filter(\.isError)
            if !errors.isEmpty { throw DiagnosticList(errors) }
        }
        return diagnostics
    }
}
