import ArgumentParser
import KeelLisp
import KeelSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `keel repl`: reads KeelLisp forms, compiles each natively and runs it in
/// one persistent process (the host, Sources/KeelLispRuntime/repl), which
/// prints its value. Definitions persist from one input to the next; a
/// compile or runtime error prints its message and the session goes on.
struct LispReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Read KeelLisp forms, compile each natively, run it, print its value.",
        discussion: """
            Each form typed (or read from standard input) is compiled to x86-64 code, \
            loaded into one persistent host process and run there: globals defined by \
            one input are there for the next. The value is printed as prn prints it; a \
            def prints its var (#'user/x). Errors print their message (compile errors at \
            REPL:line:col) and the session goes on. The prompt `user=> ` is shown when \
            standard input is a terminal. End of input ends the session (status 0).
            """
    )

    func run() throws {
        try reporting {
            let root = try LispToolchain.sourceRoot()
            let cache = LispToolchain.cacheDirectory()
            let runtime = try LispToolchain.runtimeObjects(root: root, cache: cache)
            let host = cache + "/repl-host-" + runtime.key
            if !LispToolchain.isFile(host) {
                let temporary = host + ".tmp\(getpid())"
                let cc = try LispToolchain.run(["cc"] + runtime.replHost + ["-o", temporary, "-lm"],
                                               scratch: temporary)
                guard cc.status == 0 else {
                    throw ReportedFailure(message: "linking the REPL host failed:\n" + String(decoding: cc.stderr, as: UTF8.self))
                }
                rename(temporary, host)
            }
            guard let work = makeTemporaryDirectory(prefix: "keel-repl-") else {
                throw ReportedFailure(message: "cannot create a temporary directory")
            }
            defer { removeDirectory(work) }
            var session = ReplSession(host: try ReplHost(path: host), work: work)
            try session.start()
            session.readEvalPrint()
            session.host.finish()
        }
    }
}

/// The compiler's half of a session: compiles each input and has the host run it.
struct ReplSession {
    var host: ReplHost
    let work: String
    var compiler = LispSession()
    var inputs = 0

    /// The core library, loaded before the first input.
    mutating func start() throws(ReportedFailure) {
        do {
            try load(compiler.core())
        } catch let failure as ReportedFailure {
            throw failure
        } catch {
            throw ReportedFailure(message: "cannot compile the core library: \(error)")
        }
    }

    mutating func readEvalPrint() {
        let interactive = isatty(0) != 0
        var pending = ""
        while true {
            if interactive && pending.isEmpty {
                print("user=> ", terminator: "")
                fflush(nil)  // every stream: stdout is not concurrency-safe to name
            }
            guard let line = readLine(strippingNewline: false) else { break }
            pending += line
            var forms: [Form] = []
            do {
                forms = try Reader.readAll(pending, file: LispSession.file)
            } catch {
                if error.endsInsideForm { continue }  // the form goes on on the next line
                printError(error.description)
            }
            pending = ""
            for form in forms {
                do {
                    try load(compiler.input(form))
                } catch let failure as ReportedFailure {
                    for line in failure.lines { printError(line) }
                    if !host.alive { return }
                } catch {
                    printError("\(error)")
                }
            }
        }
        if !pending.allSatisfy(\.isWhitespace) {
            printError("\(LispSession.file): error: end of input inside a form")
        }
    }

    /// Assembles `input` and has the host load and run it.
    mutating func load(_ input: LispSession.Input) throws(ReportedFailure) {
        let assembly: [UInt8]
        do { assembly = try LispCompiler.assembly(for: input.module) } catch { throw ReportedFailure(lines: [error.description], status: 1) }
        let base = work + "/input\(inputs)"
        inputs += 1
        guard FileIO.writeFile(assembly, to: base + ".s") else { throw ReportedFailure(message: "\(base).s: cannot be written") }
        defer { unlink(base + ".s"); unlink(base + ".o") }
        let cc = try LispToolchain.run(["cc", "-c", base + ".s", "-o", base + ".o"], scratch: base)
        guard cc.status == 0 else {
            throw ReportedFailure(message: "assembling failed:\n" + String(decoding: cc.stderr, as: UTF8.self))
        }
        try host.run(object: base + ".o", entry: input.entry, shows: input.shows ?? "")
    }
}

/// The host process: requests on its standard input, one acknowledgement
/// line per request on its file descriptor 3.
struct ReplHost {
    let pid: pid_t
    let requests: Int32
    let acknowledgements: Int32
    private(set) var alive = true

    init(path: String) throws(ReportedFailure) {
        var toHost: [Int32] = [0, 0], fromHost: [Int32] = [0, 0]
        guard pipe(&toHost) == 0, pipe(&fromHost) == 0 else { throw ReportedFailure(message: "cannot create pipes") }
        // Above 3, so that placing them at 0 and 3 in the child never closes one.
        let fds = (toHost + fromHost).map { fd -> Int32 in
            let high = fcntl(fd, F_DUPFD_CLOEXEC, 10)
            close(fd)
            return high
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fds[3], 3)
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup(path), nil]
        defer { free(argv[0]) }
        var child: pid_t = 0
        let code = posix_spawn(&child, path, &actions, nil, &argv, environ)
        close(fds[0])
        close(fds[3])
        guard code == 0 else {
            throw ReportedFailure(message: "cannot run the REPL host \(path): \(String(cString: strerror(code)))")
        }
        pid = child
        requests = fds[1]
        acknowledgements = fds[2]
        signal(SIGPIPE, SIG_IGN)  // a host that died is reported, not a reason to die
    }

    /// Has the host load `object` and call `entry`; returns when it is done.
    mutating func run(object: String, entry: String, shows: String) throws(ReportedFailure) {
        let request = Array("\(object)\t\(entry)\t\(shows)\n".utf8)
        var answer: [UInt8] = []
        let sent = request.withUnsafeBytes { write(requests, $0.baseAddress, $0.count) }
        if sent == request.count {
            var byte: UInt8 = 0
            while read(acknowledgements, &byte, 1) == 1 && byte != UInt8(ascii: "\n") { answer.append(byte) }
        }
        guard !answer.isEmpty else {
            alive = false
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            let how = (status & 0x7f) != 0 ? "killed by signal \(status & 0x7f)" : "exited with status \((status >> 8) & 0xff)"
            throw ReportedFailure(message: "the REPL host stopped (\(how)); the session ends")
        }
    }

    func finish() {
        close(requests)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
