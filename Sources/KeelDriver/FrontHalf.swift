import KeelAnalysis
import KeelIR
import KeelOpt

// The target-independent steps every command takes after parsing:
//
//   ssa      SSA construction for temporaries assigned more than once
//   verify   types, SSA form, dominance (KeelAnalysis's verifier)
//   passes   the IR passes of the optimization level, in the order of
//            `pipeline` below (SSA in, SSA out)
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
        /// The lowest level that runs it.
        public let from: OptimizationLevel
        public let run: @Sendable (inout Module) -> Void

        public init(_ name: String, from level: OptimizationLevel, run: @escaping @Sendable (inout Module) -> Void) {
            self.name = name
            self.from = level
            self.run = run
        }
    }

    /// The IR pipeline: every pass in the order it runs, each with the lowest
    /// level that runs it. Adding a pass is one line here. `dce` runs at
    /// every level, since QBE deletes unused results and front ends rely on
    /// it (docs/qbe-compatibility.md).
    public static let pipeline: [Pass] = [
        Pass("inline", from: .o2) { inlineCalls(&$0) },
        Pass("split", from: .o1) { splitSlots(&$0) },
        Pass("promote", from: .o1) { _ = promoteSlots(&$0) },
        Pass("sccp", from: .o1) { propagateConstants(&$0) },
        Pass("algebra", from: .o1) { simplifyAlgebra(&$0) },
        Pass("cfg", from: .o1) { simplifyControlFlow(&$0) },
        Pass("loads", from: .o1) { eliminateLoads(&$0) },
        Pass("copyprop", from: .o1) { propagateCopies(&$0) },
        Pass("licm", from: .o2) { hoistLoopInvariants(&$0) },
        Pass("ivsr", from: .o2) { reduceInductionStrength(&$0) },
        Pass("rotate", from: .o2) { rotateLoops(&$0) },
        Pass("dce", from: .o0) { eliminateDeadCode(&$0) },
    ]

    /// The passes `level` runs, in order.
    public static func passes(at level: OptimizationLevel) -> [Pass] {
        pipeline.filter { $0.from <= level }
    }

    /// The passes of the default level.
    public static var passes: [Pass] { passes(at: .standard) }

    /// Takes a parsed module through `stage`, running the passes of `level`.
    /// Returns the verifier's warnings; throws its errors. At `.simplified`,
    /// `options.knownExternals` is checked once the passes have run, so only
    /// symbols the program still uses must be known; with `verifyEach`, the
    /// verifier runs after every pass too (a failure there is a bug of the
    /// pass, reported as an error naming it). `lap` is called with each
    /// step's name when it ends (for `--stats`).
    public static func run(_ module: inout Module, upTo stage: Stage, level: OptimizationLevel = .standard,
                           options: VerifierOptions, verifyEach: Bool = false,
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
        try optimize(&module, level: level, options: options, verifyEach: verifyEach, lap: lap)
        return diagnostics
    }

    /// Runs the passes of `level` on a module verified without
    /// `knownExternals` (what `run` does after verifying), then checks
    /// `options.knownExternals` on what the passes left. Separate from `run`
    /// for callers that need the module before the passes too: the fuzzer
    /// interprets it as the oracle, so the oracle never shares a pass's bug.
    public static func optimize(_ module: inout Module, level: OptimizationLevel, options: VerifierOptions,
                                verifyEach: Bool = false, lap: (String) -> Void = { _ in }) throws(DiagnosticList) {
        var passOptions = options
        passOptions.knownExternals = nil
        for pass in passes(at: level) {
            pass.run(&module)
            lap(pass.name)
            if verifyEach {
                let errors = Verifier.verify(module, options: passOptions).filter(\.isError)
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
    }
}
