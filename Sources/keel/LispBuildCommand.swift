import ArgumentParser
import KeelLisp
import KeelSystem

/// `keel build PROG.clj [-o EXE]`: a KeelLisp program to a native executable.
struct LispBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Compile a KeelLisp program (.clj) to a native executable (x86-64, or arm64 with -t arm64).",
        discussion: """
            The program's (defn -main [& args] ...) runs when the executable starts; an integer it \
            returns is the exit status (nil: 0). The C runtimes are compiled with the system cc into \
            a cache ($KEEL_CACHE, else $XDG_CACHE_HOME/keel or ~/.cache/keel). --emit-il prints the \
            program's optimized IL instead. Errors are printed as FILE:LINE:COL: error: MESSAGE \
            with exit status 1. With -t arm64 the runtimes are built and the program linked \
            statically by aarch64-linux-gnu-gcc, for AArch64 Linux (e.g. under qemu-aarch64). \
            docs/lisp.md describes the language.
            """
    )

    @Option(name: .short, help: "The executable to write (default: the program's name without .clj).")
    var o: String?

    @Option(name: [.customShort("t"), .customLong("target")], help: "The target: amd64_sysv (default) or arm64.")
    var target: String?

    @Flag(name: .customLong("emit-il"), help: "Print the program's IL (after the IR passes) instead of building.")
    var emitIL = false

    @Argument(help: "The KeelLisp program.")
    var program: String

    func run() throws {
        try reporting {
            if emitIL {
                let source = try LispToolchain.readSource(program)
                do {
                    let module = try LispCompiler.optimizedModule(source: source, file: program)
                    guard FileIO.writeFile(LispCompiler.ilText(module), to: o) else {
                        throw ReportedFailure(message: "\(o ?? "-"): cannot be written")
                    }
                } catch let failure as LispCompiler.Failure {
                    throw ReportedFailure(lines: [failure.description], status: 1)
                }
                return
            }
            let output = o ?? (program.hasSuffix(".clj") ? String(program.dropLast(4)) : program + ".out")
            try LispToolchain.build(program, output: output, target: LispTarget.named(target))
        }
    }
}
