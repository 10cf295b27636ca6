import ArgumentParser
import Foundation
import KeelIR
import KeelX64

/// `keel il`: QBE's command line. Compiles IL to GNU assembly.
struct ILCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "il",
        abstract: "Compile IL to GNU assembly (a drop-in for qbe).",
        discussion: """
            The files are read in order as one compilation unit (standard input when none is given,
            or "-"). The assembly goes to standard output unless -o is given. Invoked through a link
            named qbe, keel behaves as `keel il`. Errors are printed as FILE:LINE:COL: error: MESSAGE
            with exit status 1.
            """
    )

    @Option(name: .short, help: "Output file (\"-\" or none: standard output).")
    var o: String?

    @Option(name: .short, help: "Target (\"?\" prints the default target).")
    var t: String?

    @Argument(help: "IL files.")
    var files: [String] = []

    func run() throws {
        try reporting {
            if let t {
                if t == "?" {
                    print(X64Target.defaultName)
                    return
                }
                guard X64Target.names.contains(t) else {
                    throw ReportedFailure(message: "unknown target '\(t)'")
                }
            }
            let program = try LoadedProgram.load(files.isEmpty ? ["-"] : files, upTo: .verified)
            let text: String
            do {
                text = try compileModuleToAssembly(program.module)
            } catch let error as DiagnosticList {
                throw ReportedFailure(diagnostics: error.diagnostics)
            }
            let data = Data(text.utf8)
            if let o, o != "-" {
                guard FileManager.default.createFile(atPath: o, contents: data) else {
                    throw ReportedFailure(message: "\(o): cannot be written")
                }
            } else {
                FileHandle.standardOutput.write(data)
            }
        }
    }
}
