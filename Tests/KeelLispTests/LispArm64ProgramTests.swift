import Foundation
import Testing
import KeelTestSupport

/// Tests/Programs/lisp on arm64: each program that compiles is built by
/// `keel build -t arm64` (a debug build: the allocation and stack-map checks
/// run on every function; the runtimes built and the program linked
/// statically by aarch64-linux-gnu-gcc) and run under qemu-aarch64, plainly
/// and under KEEL_GC_STRESS=1, with the same expectations as on x86-64
/// (LispProgramTests). Skipped, with a message, without the cross tools.
@Suite struct LispArm64ProgramTests {
    /// Programs whose stress run takes 10–40 s under qemu (a collection at
    /// each of 10^5–10^6 allocations); they run under stress on x86-64.
    static let plainOnly: Set<String> = ["loop_garbage", "escaping_closures", "tail_closure", "tail_mutual", "deep_recursion"]

    static var programs: [String] { LispProgramTests.programs.filter { LispProgramTests.text($0, "out") != nil } }

    @Test(.enabled(if: CrossTools.available, "qemu-aarch64 or aarch64-linux-gnu-gcc not found: KeelLisp programs not run on arm64"),
          arguments: programs)
    func program(_ name: String) throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-lisp-arm64-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let executable = work.appendingPathComponent(name).path
        let build = try LispProgramTests.keel(["build", "-t", "arm64", name + ".clj", "-o", executable])
        try #require(build.status == 0, "\(name) did not build for arm64: \(build.stderr)")
        let expected = try #require(LispProgramTests.text(name, "out"))
        var modes = [("plain", [String]())]
        if !Self.plainOnly.contains(name) { modes.append(("stress", ["KEEL_GC_STRESS=1"])) }
        for (mode, environment) in modes {
            let run = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                                         environment + [CrossTools.qemu!.path, executable, "first", "second"], timeout: 600)
            LispProgramTests.expectOutcome(name, "arm64, " + mode, run, expected: expected)
        }
    }

    /// A target keel does not know is a clear error, not a crash.
    @Test func unknownTargetIsAnError() throws {
        let build = try LispProgramTests.keel(["build", "-t", "riscv64", "arithmetic.clj", "-o", "/dev/null"])
        #expect(build.status == 1)
        #expect(build.stderr.contains("unknown target riscv64"), "\(build.stderr)")
    }
}
