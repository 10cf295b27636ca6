import Foundation
import Testing
import KeelTestSupport

/// Tests/Programs/lisp: each NAME.clj is built by `keel build` (a debug
/// build, so the allocation and stack-map checks run on every function) and
/// run natively, under KEEL_GC_STRESS=1 (a collection at every
/// allocation) and under KEEL_GC_VERIFY=1 with a small bounded heap. It must print NAME.out and exit with NAME.status (default
/// 0); NAME.err, when present, lists lines its standard error must contain
/// (the message, then backtrace lines).
/// A program whose build must fail has no .out: its NAME.err is the
/// expected compiler message (file:line:col included).
@Suite struct LispProgramTests {
    static let directory = KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/lisp")
    /// One runtime cache for the whole test process.
    static let cache = FileManager.default.temporaryDirectory.appendingPathComponent("keel-lisp-cache-\(getpid())").path

    static var programs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".clj") }.map { String($0.dropLast(4)) }.sorted()
    }

    static func text(_ name: String, _ ext: String) -> String? {
        try? String(contentsOf: directory.appendingPathComponent(name + "." + ext), encoding: .utf8)
    }

    /// Runs keel in the programs' directory, so messages name files as NAME.clj.
    static func keel(_ arguments: [String]) throws -> KeelBinary.Result {
        try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                           ["-C", directory.path, "KEEL_CACHE=" + cache, KeelBinary.url.path] + arguments, timeout: 600)
    }

    @Test(arguments: programs)
    func program(_ name: String) throws {
        let source = name + ".clj"
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-lisp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let executable = work.appendingPathComponent(name).path
        let build = try Self.keel(["build", source, "-o", executable])
        guard let expected = Self.text(name, "out") else {
            // A program that must not compile.
            #expect(build.status == 1, "\(name): \(build.stderr)")
            #expect(build.signal == nil)
            let message = try #require(Self.text(name, "err")).trimmingCharacters(in: .newlines)
            #expect(build.stderr.contains(message), "\(name): \(build.stderr)")
            return
        }
        try #require(build.status == 0, "\(name) did not build: \(build.stderr)")
        // Natively; with a collection at every allocation; and with a small
        // nursery and a bounded heap, every collection verified (a stale
        // reference or a missing barrier is reported), where garbage must be
        // reclaimed for the program to finish.
        let modes = [("native", [String]()), ("stress", ["KEEL_GC_STRESS=1"]),
                     ("verify", ["KEEL_GC_VERIFY=1", "KEEL_NURSERY=64K", "KEEL_HEAP_MAX=8M"])]
        for (mode, environment) in modes {
            let run = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                                         environment + [executable, "first", "second"], timeout: 600)
            Self.expectOutcome(name, mode, run, expected: expected)
        }
    }

    /// A run of program `name` (in `mode`) printed NAME.out, exited with
    /// NAME.status (default 0), and wrote NAME.err's lines (or nothing) on stderr.
    static func expectOutcome(_ name: String, _ mode: String, _ run: KeelBinary.Result, expected: String) {
        let status = Int32(text(name, "status")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "0") ?? 0
        #expect(run.signal == nil, "\(name) (\(mode)) crashed: \(run.stderr)")
        #expect(run.stdout == expected, "\(name) (\(mode))")
        #expect(run.status == status, "\(name) (\(mode)): \(run.stderr)")
        if let err = text(name, "err")?.trimmingCharacters(in: .newlines) {
            for line in err.split(separator: "\n") {
                #expect(run.stderr.contains(line), "\(name) (\(mode)): \(run.stderr)")
            }
        } else {
            #expect(run.stderr.isEmpty, "\(name) (\(mode)): \(run.stderr)")
        }
    }

    /// `keel run` builds into the cache, passes the arguments, and exits with the program's status.
    @Test func keelRunPassesArgumentsAndStatus() throws {
        let source = "exit_status.clj"
        for _ in 0..<2 {  // the second run reuses the cached executable
            let run = try Self.keel(["run", source, "x", "-y", "z"])
            #expect(run.stdout == "3 arguments: (\"x\" \"-y\" \"z\") (nil nil nil 42 -7 nil nil nil -9223372036854775808)\n")
            #expect(run.status == 3)
        }
    }

    /// `keel build --emit-il` prints IL that keel reads back.
    @Test func emitIL() throws {
        let source = "closures.clj"
        let result = try Self.keel(["build", "--emit-il", source])
        #expect(result.status == 0)
        #expect(result.stdout.contains("export function l $kl_program_main(l %argc, l %argv)"))
        #expect(result.stdout.contains("call $keel_alloc(l $kl_fn_layout"))
        // The runtime's layouts are declared, so those allocations are inlined.
        #expect(result.stdout.contains("section \"keel_layouts\" data $kl_layouts = align 8 { l $kl_vector_layout 2 0 $kl_double_layout 3 0 $kl_fn_layout 2 0 }"))
        let il = try KeelBinary.temporaryFile(result.stdout, name: "closures.ssa")
        let check = try KeelBinary.run(["check", il])
        #expect(check.status == 0, "\(check.stderr)")
    }

    /// Missing files, binary garbage and a program without -main: clear messages, never a crash.
    @Test func badInputToTheCommands() throws {
        let missing = try Self.keel(["build", "/nonexistent/prog.clj"])
        #expect(missing.status == 1 && missing.signal == nil)
        #expect(missing.stderr.contains("/nonexistent/prog.clj"))
        let garbage = try KeelBinary.temporaryFile(String(decoding: (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }, as: UTF8.self), name: "garbage.clj")
        let built = try Self.keel(["build", garbage, "-o", garbage + ".exe"])
        #expect(built.status == 1 && built.signal == nil)
        #expect(built.stderr.contains("garbage.clj:"), "\(built.stderr)")
        let script = try KeelBinary.temporaryFile("(println \"top level only\")", name: "script.clj")
        let ran = try Self.keel(["run", script])
        #expect(ran.stdout == "top level only\n" && ran.status == 0)
    }

    /// Tests/Programs/lisp/large: programs over 10^5-item collections, run
    /// natively and with every collection verified (the default nursery, a
    /// heap bound they need to reclaim garbage within), but not under
    /// KEEL_GC_STRESS=1, where a collection of the whole large heap at every
    /// allocation would take minutes; the programs in Tests/Programs/lisp
    /// run the same code paths at sizes stress mode can afford.
    static var largePrograms: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("large").path)) ?? [])
            .filter { $0.hasSuffix(".clj") }.map { String($0.dropLast(4)) }.sorted()
    }

    @Test(arguments: largePrograms)
    func largeProgram(_ name: String) throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-lisp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let executable = work.appendingPathComponent(name).path
        let build = try Self.keel(["build", "large/" + name + ".clj", "-o", executable])
        try #require(build.status == 0, "\(name) did not build: \(build.stderr)")
        let expected = try #require(Self.text("large/" + name, "out"))
        for (mode, environment) in [("native", [String]()),
                                    ("verify", ["KEEL_GC_VERIFY=1", "KEEL_HEAP_MAX=64M"])] {
            let run = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"), environment + [executable], timeout: 600)
            #expect(run.signal == nil, "\(name) (\(mode)) crashed: \(run.stderr)")
            #expect(run.stdout == expected, "\(name) (\(mode))")
            #expect(run.status == 0 && run.stderr.isEmpty, "\(name) (\(mode)): \(run.stderr)")
        }
    }

    /// A few programs under valgrind memcheck (when installed): no invalid
    /// read or write in the compiled code or either runtime.
    @Test(arguments: ["closures", "collections", "many_maps", "strings", "pcoll_churn", "arrays_basic", "bytes_basic"])
    func underValgrind(_ name: String) throws {
        let valgrind = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"), ["which", "valgrind"])
        guard valgrind.status == 0 else { return }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-lisp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let executable = work.appendingPathComponent(name).path
        let build = try Self.keel(["build", name + ".clj", "-o", executable])
        try #require(build.status == 0, "\(build.stderr)")
        let run = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                                     ["KEEL_NURSERY=64K", "valgrind", "-q", "--error-exitcode=99", executable], timeout: 600)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == Self.text(name, "out"))
    }
}
