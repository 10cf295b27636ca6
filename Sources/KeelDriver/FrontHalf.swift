import KeelAnalysis
import KeelIR
import KeelOpt

// The target-independent steps every command takes after parsing:
//
//   ssa      SSA construction for temporaries assigned more than once
//   verify   types, SSA form, dominance (KeelAnalysis's verifier)
//   passes   the IR passes below, in order (SSA in, SSA out)
//
// The tool, the fuzzer and the tests all call this; nothing else strings
// these steps together.
public enum FrontHalf {
    public enum Stage {
        /// SSA built and verified: what `keel check` reports on.
        case verified
        /// Verified, then the IR passes run: what every compilation and the
        /// interpreter take (a dead load of an undefined symbol is no error).
        case simplified
    }

    /// One IR pass: SSA in, SSA out, verifier-clean after it.
    public struct Pass: Sendable {
        public let name: String
        public let run: @Sendable (inout Module) -> Void
    }

    /// The IR passes, in the order they run. Every compilation runs them,
    /// since QBE deletes unused results and front ends rely on it.
    public static let passes: [Pass] = [
        Pass(name: "promote", run: { promoteSlots(&$0) }),
        Pass(name: "dce", run: { eliminateDeadCode(&$0) }),
    ]

    /// Takes a parsed module through `stage`. Returns the verifier's warnings;
    /// throws its errors. At `.simplified`, `options.knownExternals` is checked
    /// once the passes have run, so only symbols the program still uses must be
    /// known; with `verifyEach`, the verifier runs after every pass too (a
    /// failure there is a bug of the pass, reported as an error naming it).
    /// `lap` is called with each step's name when it ends (for `--stats`).
    public static func run(_ module: inout Module, upTo stage: Stage, options: VerifierOptions,
                           verifyEach: Bool = false, lap: (String) -> Void = { _ in }) throws(DiagnosticList) -> [Diagnostic] {
        let problems = constructSSA(&module)
        if !problems.isEmpty { throw DiagnosticList(problems) }
        lap("ssa")
        var firstOptions = options
        if stage == .simplified { firstOptions.knownExternals = nil }
        let diagnostics = Verifier.verify(module, options: firstOptions)
        lap("verify")
        if diagnostics.contains(where: \.isError) { throw DiagnosticList(diagnostics) }
        guard stage == .simplified else { return diagnostics }
        for pass in passes {
            pass.run(&module)
            lap(pass.name)
            if verifyEach {
                let errors = Verifier.verify(module, options: firstOptions).filter(\.isError)
                lap("verify")
                if !errors.isEmpty {
                    throw DiagnosticList(errors.map {
                        Diagnostic(file: $0.file, position: $0.position, message: "after \(pass.name): \($0.message)")
                    })
                }
            }
        }
        if options.knownExternals != nil {
            let errors = Verifier.verify(module, options: options).filter(\.isError)
            if !errors.isEmpty { throw DiagnosticList(errors) }
        }
        return diagnostics
    }
}
