import ArgumentParser
import KeelIR
import KeelSystem

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse, convert to SSA and verify IL files; print nothing when they are valid.",
        discussion: """
            The files are read in order as one compilation unit ("-" reads standard input). \
            Every error found is printed as FILE:LINE:COL: error: MESSAGE; the exit status is 1 \
            if there was any, 0 otherwise.
            """
    )

    @Argument(help: "IL files to check.")
    var files: [String]

    @Flag(help: "Print the time spent in each phase and the lines per second to standard error.")
    var stats = false

    func run() throws {
        CheckCommand.check(files, stats: stats)
    }

    /// Checks `files` and ends the process: status 0, or the failure's status
    /// after printing its diagnostics. Exiting while the program is still
    /// alive skips freeing it, which would cost a few percent of the check.
    static func check(_ files: [String], stats: Bool) -> Never {
        do {
            let program = try LoadedProgram.load(files, upTo: .verified)
            if stats { program.printStats() }
            withExtendedLifetime(program) { FileIO.terminate(status: 0) }
        } catch {
            for line in error.lines { printError(line) }
            FileIO.terminate(status: error.status)
        }
    }

    /// The files and `--stats` flag of `check FILE... [--stats]` when every
    /// other argument is a plain file name ("-" included), else nil.
    static func plainInvocation(_ arguments: [String]) -> (files: [String], stats: Bool)? {
        guard arguments.first == "check" else { return nil }
        var files: [String] = []
        var stats = false
        for argument in arguments.dropFirst() {
            if argument == "--stats" {
                stats = true
            } else if argument == "-" || !(argument.hasPrefix("-") || argument == "help") {
                files.append(argument)
            } else {
                return nil
            }
        }
        return files.isEmpty ? nil : (files, stats)
    }
}
