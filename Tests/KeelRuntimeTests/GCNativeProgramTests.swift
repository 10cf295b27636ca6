import Foundation
import KeelTestSupport
import Testing

/// The IL programs with references (Tests/Programs/gc) compiled by `keel il`
/// (a debug build: the allocation and stack-map checks run on every
/// function), linked with the runtime's objects and run natively: plainly;
/// under `KEEL_GC_VERIFY=1` with a 64 KiB nursery and a 1,000-entry handle
/// table (the inline allocation path fills the nursery, collections run from
/// its slow path, the heap is verified after each); and under
/// `KEEL_GC_STRESS=1 KEEL_GC_VERIFY=1` with the same sizes, so that every
/// allocation takes the slow path and collects, every object moves, and a
/// reference the stack maps missed is reported. Each run must print NAME.out
/// and exit 0 with nothing on stderr. The interpreter's run of the same
/// programs is `GCProgramTests` (KeelInterpTests).
struct GCNativeProgramTests {
    static let directory = ILPrograms.suite("gc")
    static let stressEnvironment = ["KEEL_GC_STRESS=1", "KEEL_GC_VERIFY=1", "KEEL_NURSERY=64K", "KEEL_HANDLES=1000"]

    static func programNames() -> [String] { ILPrograms.names(in: directory) }

    static func text(_ name: String, _ suffix: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name + suffix), encoding: .utf8)
    }

    /// Compiles and links NAME into a fresh directory; returns the executable.
    static func build(_ name: String) throws -> URL {
        let objects = RuntimeProgramTests.objects
        guard objects.failure == nil else { throw RuntimeProgramTests.BuildFailure(message: objects.failure!) }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-gc-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let assembly = work.appendingPathComponent(name + ".s").path
        let executable = work.appendingPathComponent(name)
        let compiled = try KeelBinary.run(["il", directory.appendingPathComponent(name + ".ssa").path, "-o", assembly])
        guard compiled.status == 0, compiled.stderr.isEmpty else {
            throw RuntimeProgramTests.BuildFailure(message: "keel il \(name): \(compiled.stderr)")
        }
        let cc = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                                    ["cc", assembly] + objects.paths + ["-o", executable.path])
        guard cc.status == 0 else { throw RuntimeProgramTests.BuildFailure(message: "cc \(name): \(cc.stderr)") }
        return executable
    }

    static func expectOutcome(_ name: String, _ mode: String, _ result: KeelBinary.Result, expected: String) {
        #expect(!result.timedOut, "\(name) (\(mode)) timed out")
        #expect(result.signal == nil, "\(name) (\(mode)) killed by signal \(result.signal ?? 0)")
        #expect(result.status == 0, "\(name) (\(mode)): status \(result.status)\n\(result.stderr)")
        #expect(result.stdout == expected, "\(name) (\(mode)): stdout differs:\n\(result.stdout)")
        #expect(result.stderr.isEmpty, "\(name) (\(mode)): unexpected stderr:\n\(result.stderr)")
    }

    @Test func everyProgramRunsNatively() {
        #expect(Self.programNames().count >= 30) // issue 8: at least 30 programs
    }

    @Test(arguments: GCNativeProgramTests.programNames())
    func program(_ name: String) throws {
        let executable = try Self.build(name)
        defer { try? FileManager.default.removeItem(at: executable.deletingLastPathComponent()) }
        let expected = try Self.text(name, ".out")
        let run = { (environment: [String]) throws -> KeelBinary.Result in
            try RuntimeProgramTests.run(executable, environment: environment, timeout: 300)
        }
        Self.expectOutcome(name, "normal", try run([]), expected: expected)
        Self.expectOutcome(name, "verify", try run(["KEEL_GC_VERIFY=1", "KEEL_NURSERY=64K", "KEEL_HANDLES=1000"]),
                           expected: expected)
        Self.expectOutcome(name, "stress+verify", try run(Self.stressEnvironment), expected: expected)
    }

    /// A subset under valgrind memcheck with the small nursery (the inline
    /// path, minor collections, moved objects): no invalid read or write in
    /// compiled code or the runtime. Skipped when valgrind is not installed.
    static let valgrindPrograms = ["list_sum", "tree", "merge_sort", "old_to_young", "handles", "stack_args",
                                   "global_roots", "handles_in_objects"]

    @Test(.enabled(if: RuntimeProgramTests.valgrind != nil, "valgrind is not installed"),
          arguments: GCNativeProgramTests.valgrindPrograms)
    func underValgrind(_ name: String) throws {
        let executable = try Self.build(name)
        defer { try? FileManager.default.removeItem(at: executable.deletingLastPathComponent()) }
        let result = try RuntimeProgramTests.run(executable, environment: ["KEEL_NURSERY=64K", "KEEL_HANDLES=1000"],
                                                 prefix: [RuntimeProgramTests.valgrind!, "-q", "--error-exitcode=99"],
                                                 timeout: 600)
        #expect(result.status != 99, "\(name) under valgrind:\n\(result.stderr)")
        Self.expectOutcome(name, "valgrind", result, expected: try Self.text(name, ".out"))
    }
}
