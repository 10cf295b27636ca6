import ArgumentParser

@main
struct Keel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keel",
        abstract: "A compiler backend and managed runtime for language implementers.",
        discussion: """
            Keel reads QBE-compatible IL (see docs/il-extensions.md for Keel's additions).
            Errors are printed as FILE:LINE:COL: error: MESSAGE and make keel exit with status 1.
            """,
        subcommands: [CheckCommand.self, FormatCommand.self, InterpCommand.self]
    )

    /// `keel check FILE...` is run once per file by build tools, so it skips
    /// ArgumentParser when its arguments need no parsing: ArgumentParser's
    /// reflection costs more than checking a small file. Anything else (an
    /// option, `help`, a mistake) goes through ArgumentParser as usual.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let (files, stats) = CheckCommand.plainInvocation(arguments) {
            CheckCommand.check(files, stats: stats)
        }
        main(nil)
    }
}
