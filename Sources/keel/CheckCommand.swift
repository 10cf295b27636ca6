import ArgumentParser
import KeelIR

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse, convert to SSA and verify IL files; print nothing when they are valid.",
        discussion: """
            The files are read in order as one compilation unit ("-" reads standard input).
            Every error found is printed as FILE:LINE:COL: error: MESSAGE; the exit status is 1
            if there was any, 0 otherwise.
            """
    )

    @Argument(help: "IL files to check.")
    var files: [String]

    @Flag(help: "Print the time spent in each phase and the lines per second to standard error.")
    var stats = false

    func run() throws {
        try reporting {
            let program = try LoadedProgram.load(files, upTo: .verified)
            if stats { program.printStats() }
        }
    }
}
