import ArgumentParser
import KeelLisp
import KeelSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `keel run PROG.clj [ARGS...]`: builds the program into the cache (reused
/// while the source, the runtimes and keel are unchanged) and runs it with ARGS.
struct LispRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Build a KeelLisp program (.clj) into the cache and run it.",
        discussion: "The program's exit status is keel's. See `keel build --help`."
    )

    @Argument(help: "The KeelLisp program.")
    var program: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the program's -main.")
    var arguments: [String] = []

    func run() throws {
        try reporting {
            let source = try LispToolchain.readSource(program)
            let root = try LispToolchain.sourceRoot()
            let cache = LispToolchain.cacheDirectory()
            let runtime = try LispToolchain.runtimeObjects(root: root, cache: cache)
            let executable = cache + "/program-" + LispToolchain.hash([Array(source.utf8), Array(program.utf8),
                                                                      Array(runtime.key.utf8), Self.keelIdentity()])
            if !LispToolchain.isFile(executable) {
                let assembly = try LispToolchain.assembly(source, path: program)
                let temporary = executable + ".tmp\(getpid())"
                try LispToolchain.link(assembly, runtime: runtime.objects, output: temporary)
                rename(temporary, executable)
            }
            var argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
            execv(executable, &argv)
            throw ReportedFailure(message: "cannot run \(executable): \(String(cString: strerror(errno)))")
        }
    }

    /// The keel executable's size and modification time: a rebuilt compiler rebuilds programs.
    static func keelIdentity() -> [UInt8] {
        var s = stat()
        guard stat("/proc/self/exe", &s) == 0 else { return [] }
        return Array("\(s.st_size):\(s.st_mtim.tv_sec):\(s.st_mtim.tv_nsec)".utf8)
    }
}
