import KeelSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs another program (the C compiler, a compiled test program) with
/// `posix_spawnp`, without Foundation: the keel executable links statically
/// and starts fast. Standard output and error go to files, so a chatty child
/// can never block on a full pipe; the child is killed after a timeout.
public struct ChildProcess {
    public struct Result: Sendable, Equatable {
        /// Exit status, or -1 when killed by a signal or timed out.
        public var status: Int32
        /// The signal that ended the process, if any.
        public var signal: Int32?
        public var timedOut: Bool
        public var stdout: [UInt8]
        public var stderr: [UInt8]
    }

    public enum Failure: Error, CustomStringConvertible {
        case cannotSpawn(String, Int32)
        public var description: String {
            switch self {
            case .cannotSpawn(let program, let code): "cannot run \(program): \(String(cString: strerror(code)))"
            }
        }
    }

    /// Runs `arguments[0]` (looked up in PATH) with the others; its output
    /// streams are captured in `scratch`-prefixed files, removed afterwards.
    public static func run(_ arguments: [String], scratch: String, timeoutMilliseconds: Int) throws(Failure) -> Result {
        let outPath = scratch + ".stdout", errPath = scratch + ".stderr"
        defer { unlink(outPath); unlink(errPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
        guard code == 0 else { throw .cannotSpawn(arguments[0], code) }

        var status: Int32 = 0
        var timedOut = false
        let deadline = monotonicMilliseconds() + timeoutMilliseconds
        var pause: UInt32 = 200
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { break }
            if monotonicMilliseconds() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                timedOut = true
                break
            }
            usleep(pause)
            pause = min(pause * 2, 5000)
        }
        // WIFEXITED / WTERMSIG are C macros; decode the wait status by hand.
        let signal = status & 0x7f
        let exited = signal == 0
        return Result(status: exited && !timedOut ? (status >> 8) & 0xff : -1,
                      signal: exited || timedOut ? nil : signal,
                      timedOut: timedOut,
                      stdout: (try? FileIO.readFile(outPath)) ?? [], stderr: (try? FileIO.readFile(errPath)) ?? [])
    }

    static func monotonicMilliseconds() -> Int {
        Int(FileIO.monotonicNanoseconds() / 1_000_000)
    }
}

/// A fresh private directory under $TMPDIR (or /tmp).
func makeTemporaryDirectory(prefix: String) -> String? {
    let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array((base + "/" + prefix + "XXXXXX").utf8CString)
    guard mkdtemp(&template) != nil else { return nil }
    return String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Removes a directory made by `makeTemporaryDirectory` and the files in it (not recursive).
func removeDirectory(_ path: String) {
    guard let dir = opendir(path) else { return }
    while let entry = readdir(dir) {
        let name = entryName(entry)
        if name != "." && name != ".." { unlink(path + "/" + name) }
    }
    closedir(dir)
    rmdir(path)
}

/// Removes a file if it exists.
func unlinkPath(_ path: String) { unlink(path) }

/// Creates a directory (and no parents); an existing one is fine.
func makeDirectory(_ path: String) { mkdir(path, 0o755) }

/// The file name of a directory entry.
func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
    withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
}
