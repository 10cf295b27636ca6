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
}
