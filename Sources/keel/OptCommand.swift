import ArgumentParser
import KeelDriver
import KeelIR
import KeelSystem

/// `keel opt`: the IL `keel il` would compile, printed instead of compiled.
struct OptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opt",
        abstract: "Print IL files after SSA construction and the IR passes of an optimization level.",
        discussion: """
            The files are read in order as one compilation unit ("-" or none: standard input) and taken \
            through what `keel il` does before code generation: SSA construction, verification and the \
            IR passes of the level (\\(OptimizationFlag.levelsSummary)). The result is printed as IL: \
            valid QBE IL in SSA form that keel, `keel interp` or qbe read back, meaning what the input \
            meant. Errors are printed as FILE:LINE:COL: error: MESSAGE with exit status 1.
            """
    )

    @Flag(exclusivity: .chooseLast)
    var optimization: OptimizationFlag = .standard

    @Option(name: .short, help: "Output file (\"-\" or none: standard output).")
    var o: String?

    @Flag(name: .customLong("verify-each"), help: "Run the verifier after every IR pass.")
    var verifyEach = false

    @Argument(help: "IL files.")
    var files: [String] = []

    func run() throws {
        try reporting {
            let program = try LoadedProgram.load(files.isEmpty ? ["-"] : files, upTo: .simplified,
                                                 level: optimization.level, warnings: false, verifyEach: verifyEach)
            guard FileIO.writeFile(Array(ILPrinter.print(program.module).utf8), to: o) else {
                throw ReportedFailure(message: "\(o ?? "-"): cannot be written")
            }
        }
    }
}
