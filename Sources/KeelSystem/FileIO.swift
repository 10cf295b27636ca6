#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// File and console I/O on the C library alone (the keel tool and the fuzzer): without
/// Foundation the executable starts several times faster (no dynamic loading
/// of Foundation and its protocol conformances), which matters for a tool
/// run once per file by a build.
public enum FileIO {
    /// Why a file could not be read, in the words keel prints after its path.
    public enum ReadFailure: Error, Equatable {
        case noSuchFile, isDirectory, cannotBeRead

        public var reason: String {
            switch self {
            case .noSuchFile: "no such file"
            case .isDirectory: "is a directory"
            case .cannotBeRead: "cannot be read"
            }
        }
    }

    /// The whole contents of the file at `path`.
    public static func readFile(_ path: String) throws(ReadFailure) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            var info = stat()
            guard stat(path, &info) == 0 else { throw .noSuchFile }
            throw isDirectory(info) ? .isDirectory : .cannotBeRead
        }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 && isDirectory(info) { throw .isDirectory }
        guard let bytes = readAll(fd, sizeHint: Int(info.st_size)) else { throw .cannotBeRead }
        return bytes
    }

    /// Everything left on standard input.
    public static func readStandardInput() -> [UInt8] {
        readAll(0, sizeHint: 0) ?? []
    }

    /// Writes all of `bytes` to file descriptor `fd` (1: standard output, 2: standard error).
    @discardableResult
    public static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
        bytes.withUnsafeBytes { write(UnsafeRawBufferPointer($0), to: fd) }
    }

    /// Writes `text` as UTF-8 without copying it into a byte array first.
    @discardableResult
    public static func writeAll(_ text: String, to fd: Int32) -> Bool {
        var text = text
        return text.withUTF8 { write(UnsafeRawBufferPointer($0), to: fd) }
    }

    /// Writes `text` to the file at `path`, or to standard output when `path` is nil or "-".
    public static func writeFile(_ text: String, to path: String?) -> Bool {
        guard let path, path != "-" else { return writeAll(text, to: 1) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return false }
        let ok = writeAll(text, to: fd)
        return close(fd) == 0 && ok
    }

    /// Writes `bytes` to the file at `path`, or to standard output when `path` is nil or "-".
    @discardableResult
    public static func writeFile(_ bytes: [UInt8], to path: String?) -> Bool {
        guard let path, path != "-" else { return writeAll(bytes, to: 1) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return false }
        let ok = writeAll(bytes, to: fd)
        return close(fd) == 0 && ok
    }

    private static func write(_ raw: UnsafeRawBufferPointer, to fd: Int32) -> Bool {
        var done = 0
        while done < raw.count {
            let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    /// `format` applied to `arguments` by the C library's `vsnprintf`.
    public static func format(_ format: String, _ arguments: CVarArg...) -> String {
        withVaList(arguments) { list in
            var buffer = [CChar](repeating: 0, count: 256)
            let n = Int(vsnprintf(&buffer, buffer.count, format, list))
            return String(decoding: buffer[..<max(0, min(n, buffer.count - 1))].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Ends the process with `status`, flushing buffered output first.
    public static func terminate(status: Int32) -> Never {
        fflush(nil)
        exit(status)
    }

    /// Nanoseconds of a monotonic clock.
    public static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    private static func isDirectory(_ info: stat) -> Bool {
        info.st_mode & S_IFMT == S_IFDIR
    }

    /// Reads `fd` to its end; nil on a read error.
    private static func readAll(_ fd: Int32, sizeHint: Int) -> [UInt8]? {
        var bytes: [UInt8] = []
        let chunk = max(sizeHint + 1, 65536)  // a regular file: one read, then the end
        while true {
            let count = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: chunk))  // room to read into
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, chunk) }
            let failure = n < 0 ? errno : 0
            bytes.removeLast(chunk - max(n, 0))
            if failure == EINTR { continue }
            if failure != 0 { return nil }
            if n == 0 { return bytes }
        }
    }

    /// The number of newline bytes, found with `memchr` (vectorized in the C library).
    public static func countLines(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { raw in
            guard var p = raw.baseAddress else { return 0 }
            let end = p + raw.count
            var count = 0
            while p < end, let nl = memchr(p, 10, end - p) {
                count += 1
                p = UnsafeRawPointer(nl) + 1
            }
            return count
        }
    }
}

