import ArgumentParser
import KeelSystem

struct Keel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keel",
        abstract: "A compiler backend and managed runtime for language implementers.",
        discussion: """
            Keel reads QBE-compatible IL (see docs/il-extensions.md for Keel's additions).
            Errors are printed as FILE:LINE:COL: error: MESSAGE and make keel exit with status 1.
            """,
        subcommands: [CheckCommand.self, FormatCommand.self, InterpCommand.self, ILCommand.self, OptCommand.self,
                      FuzzCommand.self, LispBuildCommand.self, LispRunCommand.self, LispReplCommand.self]
    )
}

/// Entry point. Invoked through a link named `qbe`, keel is `keel il`.
///
/// `keel il` and `keel check` are run once per file by build tools, so their
/// plain command lines (files and simple options) skip ArgumentParser, whose
/// set-up costs more than compiling a small file. Anything else (help, an
/// unknown or incomplete option, a mistake) goes through ArgumentParser.
@main
enum KeelMain {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let invokedAs = (CommandLine.arguments.first ?? "keel").split(separator: "/").last.map(String.init) ?? "keel"
        if invokedAs == "qbe" { arguments.insert("il", at: 0) }
        if arguments.first == "il" {
            arguments = splitAttachedOptions(arguments)
            if let status = ILCommand.fastPath(Array(arguments.dropFirst())) { FileIO.terminate(status: status) }
        }
        if let (files, stats) = CheckCommand.plainInvocation(arguments) {
            CheckCommand.check(files, stats: stats)
        }
        Keel.main(arguments)
    }
}

/// QBE writes options glued to their values (`-t?`, `-oout.s`); the argument
/// parser wants them apart.
func splitAttachedOptions(_ arguments: [String]) -> [String] {
    var out: [String] = []
    for a in arguments {
        if a.count > 2, a.hasPrefix("-t") || a.hasPrefix("-o"), !a.hasPrefix("--") {
            out.append(String(a.prefix(2)))
            out.append(String(a.dropFirst(2)))
        } else {
            out.append(a)
        }
    }
    return out
}
