import ArgumentParser
import KeelIR

struct FormatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Print IL files in canonical form.",
        discussion: """
            The output is the parsed program printed back, as written (no SSA conversion):
            formatting it again gives the same text. Syntax errors are reported as
            FILE:LINE:COL: error: MESSAGE with exit status 1.
            """
    )

    @Argument(help: "IL files to format (\"-\" reads standard input).")
    var files: [String]

    func run() throws {
        try reporting {
            let program = try LoadedProgram.load(files, upTo: nil)
            print(ILPrinter.print(program.module), terminator: "")
        }
    }
}
