import KeelFuzz
import KeelLisp
import KeelSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How `keel build` and `keel run` turn a KeelLisp program into an
/// executable: the compiler in-process, the two C runtimes compiled by the
/// system `cc` once into a cache (keyed by their sources' contents), and
/// `cc` as assembler and linker.
enum LispToolchain {
    /// The directory holding Sources/KeelRuntime and Sources/KeelLispRuntime:
    /// $KEEL_SOURCE_ROOT, else the first ancestor of the keel executable or
    /// of this source file's build-time path that has them.
    static func sourceRoot() throws(ReportedFailure) -> String {
        var candidates: [String] = []
        if let root = getenv("KEEL_SOURCE_ROOT") { candidates.append(String(cString: root)) }
        if let exe = realpath("/proc/self/exe", nil) {
            candidates += ancestors(String(cString: exe))
            free(exe)
        }
        candidates += ancestors(#filePath)
        for c in candidates where isFile(c + "/Sources/KeelRuntime/include/KeelRuntime.h")
            && isFile(c + "/Sources/KeelLispRuntime/include/KeelLisp.h") {
            return c
        }
        throw ReportedFailure(message: "cannot find the runtime sources (Sources/KeelRuntime, Sources/KeelLispRuntime); "
                              + "set KEEL_SOURCE_ROOT to the directory of keel's Package.swift")
    }

    static func ancestors(_ path: String) -> [String] {
        var parts = path.split(separator: "/").map(String.init)
        var result: [String] = []
        while !parts.isEmpty {
            parts.removeLast()
            result.append("/" + parts.joined(separator: "/"))
        }
        return result
    }

    static func isFile(_ path: String) -> Bool { access(path, R_OK) == 0 }

    /// $KEEL_CACHE, else $XDG_CACHE_HOME/keel, else ~/.cache/keel, else /tmp/keel-cache-UID.
    static func cacheDirectory() -> String {
        let path: String
        if let c = getenv("KEEL_CACHE") { path = String(cString: c) }
        else if let x = getenv("XDG_CACHE_HOME") { path = String(cString: x) + "/keel" }
        else if let h = getenv("HOME") {
            makeDirectory(String(cString: h) + "/.cache")
            path = String(cString: h) + "/.cache/keel"
        } else { path = "/tmp/keel-cache-\(getuid())" }
        makeDirectory(path)
        return path
    }

    /// FNV-1a, 64 bits: a cache key, not a security property.
    static func hash(_ chunks: [[UInt8]]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for chunk in chunks {
            for byte in chunk {
                h ^= UInt64(byte)
                h = h &* 0x100_0000_01b3
            }
            h ^= 0xff
            h = h &* 0x100_0000_01b3
        }
        return String(h, radix: 16)
    }

    static func files(in directory: String, suffixes: [String]) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = entryName(entry)
            if suffixes.contains(where: { name.hasSuffix($0) }) { names.append(name) }
        }
        closedir(dir)
        return names.sorted()
    }

    static func run(_ arguments: [String], scratch: String) throws(ReportedFailure) -> ChildProcess.Result {
        do {
            return try ChildProcess.run(arguments, scratch: scratch, timeoutMilliseconds: 300_000)
        } catch {
            throw ReportedFailure(message: error.description)
        }
    }

    /// The object files of both runtimes and of the REPL's host
    /// (Sources/KeelLispRuntime/repl), compiled on first use.
    /// `objects` are what a program links; `replHost` what the REPL's host links.
    static func runtimeObjects(root: String, cache: String, target: LispTarget = .native) throws(ReportedFailure)
        -> (objects: [String], replHost: [String], key: String) {
        let directories = [root + "/Sources/KeelRuntime", root + "/Sources/KeelLispRuntime",
                           root + "/Sources/KeelLispRuntime/repl"].prefix(target.hostsRepl ? 3 : 2)
        var sources: [String] = []
        var contents: [[UInt8]] = []
        for d in directories {
            for name in files(in: d, suffixes: [".c"]) { sources.append(d + "/" + name) }
            for name in files(in: d, suffixes: [".c", ".h"]) + files(in: d + "/include", suffixes: [".h"]).map({ "include/" + $0 }) {
                contents.append(Array(name.utf8))
                contents.append((try? FileIO.readFile(d + "/" + name)) ?? [])
            }
        }
        let flags = ["-std=c11", "-O2", "-g", "-fno-omit-frame-pointer"]
        contents.append(Array(([target.cc] + flags).joined(separator: " ").utf8))  // new flags, new objects
        let key = hash(contents)
        let final = cache + "/runtime-" + (target == .native ? "" : target.name + "-") + key
        func objectName(_ source: String) -> String { source.split(separator: "/").suffix(2).joined(separator: "-") + ".o" }
        // A program links everything but the REPL's host; the host has its own main instead of the program's.
        let (hostDirectory, programMain) = (root + "/Sources/KeelLispRuntime/repl/", directories[1] + "/main.c")
        let split = (sources.filter { !$0.hasPrefix(hostDirectory) }.map { final + "/" + objectName($0) },
                     sources.filter { $0 != programMain }.map { final + "/" + objectName($0) }, key)
        if isFile(final + "/complete") { return split }
        let work = final + ".tmp\(getpid())"
        makeDirectory(work)
        for source in sources {
            let object = work + "/" + objectName(source)
            let cc = try run([target.cc] + flags + ["-I", directories[0] + "/include", "-I", directories[1] + "/include",
                                               "-c", source, "-o", object], scratch: work + "/cc")
            guard cc.status == 0 else {
                removeDirectory(work)
                throw ReportedFailure(message: "\(target.cc) failed on \(source):\n" + String(decoding: cc.stderr, as: UTF8.self))
            }
        }
        _ = FileIO.writeFile("", to: work + "/complete")
        if rename(work, final) != 0 { removeDirectory(work) }  // another keel finished first: use its copy
        return split
    }

    /// Compiles `path` to an executable at `output`.
    static func build(_ path: String, output: String, target: LispTarget = .native) throws(ReportedFailure) {
        let source = try readSource(path)
        let root = try sourceRoot()
        let cache = cacheDirectory()
        let runtime = try runtimeObjects(root: root, cache: cache, target: target)
        try link(assembly(source, path: path, target: target), runtime: runtime.objects, output: output, target: target)
    }


    static func readSource(_ path: String) throws(ReportedFailure) -> String {
        do {
            return String(decoding: try FileIO.readFile(path), as: UTF8.self)
        } catch {
            throw ReportedFailure(message: "\(path): \(error.reason)")
        }
    }

    static func assembly(_ source: String, path: String, target: LispTarget = .native) throws(ReportedFailure) -> [UInt8] {
        do {
            return try LispCompiler.assembly(source: source, file: path, target: target.name)
        } catch {
            throw ReportedFailure(lines: [error.description], status: 1)
        }
    }

    static func link(_ assembly: [UInt8], runtime: [String], output: String,
                     target: LispTarget = .native) throws(ReportedFailure) {
        guard let work = makeTemporaryDirectory(prefix: "keel-lisp-") else {
            throw ReportedFailure(message: "cannot create a temporary directory")
        }
        defer { removeDirectory(work) }
        let asm = work + "/program.s"
        guard FileIO.writeFile(assembly, to: asm) else { throw ReportedFailure(message: "\(asm): cannot be written") }
        let cc = try run([target.cc, asm] + runtime + target.linkFlags + ["-o", output, "-lm"], scratch: work + "/cc")
        guard cc.status == 0 else {
            throw ReportedFailure(message: "linking failed:\n" + String(decoding: cc.stderr, as: UTF8.self))
        }
    }
}

// Small file-system helpers (POSIX, no Foundation: keel links statically).
func makeTemporaryDirectory(prefix: String) -> String? {
    let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array((base + "/" + prefix + "XXXXXX").utf8CString)
    guard mkdtemp(&template) != nil else { return nil }
    return String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Removes a directory and the files in it (not recursive).
func removeDirectory(_ path: String) {
    for name in LispToolchain.files(in: path, suffixes: [""]) where name != "." && name != ".." { unlink(path + "/" + name) }
    rmdir(path)
}

private func makeDirectory(_ path: String) { mkdir(path, 0o755) }

private func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
    withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
}
