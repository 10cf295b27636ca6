import ArgumentParser
import KeelDriver

/// `-O0`, `-O1`, `-O2` on the command line of `keel il` and `keel opt`; the
/// last one given counts, as with cc. Each flag's help lists the passes its
/// level runs, read from `FrontHalf.pipeline`, so it cannot go stale.
enum OptimizationFlag: String, EnumerableFlag {
    case O0, O1, O2

    var level: OptimizationLevel { OptimizationLevel(flag: "-" + rawValue)! }

    /// The flag of `OptimizationLevel.standard`.
    static var standard: OptimizationFlag { OptimizationFlag(rawValue: String(OptimizationLevel.standard.flag.dropFirst()))! }

    /// "-O0 runs dce; -O1 runs promote, dce; ...": for the commands' discussions.
    static var levelsSummary: String {
        OptimizationLevel.allCases.map { level in
            "\(level.flag) runs " + FrontHalf.passes(at: level).map(\.name).joined(separator: ", ")
        }.joined(separator: "; ")
    }

    static func name(for value: OptimizationFlag) -> NameSpecification {
        .customLong(value.rawValue, withSingleDash: true)
    }

    static func help(for value: OptimizationFlag) -> ArgumentHelp? {
        let passes = FrontHalf.passes(at: value.level).map(\.name).joined(separator: ", ")
        let why = value.level == .o0 ? " (only what QBE compatibility needs)" : ""
        return ArgumentHelp("Run the IR passes \(passes)\(why).")
    }

    /// The level a plain command-line argument names (`-O2`), for the fast paths.
    static func level(ofArgument argument: String) -> OptimizationLevel? {
        OptimizationLevel(flag: argument)
    }
}
