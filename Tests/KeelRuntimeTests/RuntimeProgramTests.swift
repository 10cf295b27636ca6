import Foundation
import KeelTestSupport
import Testing

/// The runtime's C test programs, Tests/Programs/runtime: each NAME.c (with
/// NAME.s when present, hand-written "compiled code") is compiled with cc
/// against the runtime's sources (-Wall -Wextra -Werror) and run twice:
/// normally and under `KEEL_GC_STRESS=1 KEEL_GC_VERIFY=1` (a collection at
/// every allocation, the whole heap checked after each). Each run's stdout
/// must equal NAME.out, its exit status NAME.exit (0 when absent), and its
/// stderr contain NAME.err (be empty when absent). NAME.env lists extra
/// environment variables (VAR=VALUE, one a line) for both runs.
struct RuntimeProgramTests {
    static let directory = ILPrograms.suite("runtime")
    static let runtimeSources = KeelBinary.packageRoot.appendingPathComponent("Sources/KeelRuntime")

    static func programNames() -> [String] { ILPrograms.names(in: directory, suffix: ".c") }

    static func text(_ name: String, _ suffix: String) -> String? {
        try? String(contentsOf: directory.appendingPathComponent(name + suffix), encoding: .utf8)
    }

    static func environment(_ name: String) -> [String] {
        (text(name, ".env") ?? "").split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    /// The runtime compiled once into object files, shared by every program.
    static var objects: RuntimeObjects { RuntimeObjects.shared }

    /// Compiles and links NAME into a fresh directory; returns the executable's path.
    static func build(_ name: String) throws -> URL {
        guard objects.failure == nil else { throw BuildFailure(message: objects.failure!) }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-rt-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let executable = work.appendingPathComponent(name)
        var arguments = ["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-g",
                         "-I", runtimeSources.appendingPathComponent("include").path, "-I", directory.path,
                         directory.appendingPathComponent(name + ".c").path]
        let assembly = directory.appendingPathComponent(name + ".s")
        if FileManager.default.fileExists(atPath: assembly.path) { arguments.append(assembly.path) }
        arguments += objects.paths + ["-o", executable.path]
        let cc = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"), arguments)
        guard cc.status == 0 else { throw BuildFailure(message: "cc \(name): \(cc.stdout)\(cc.stderr)") }
        return executable
    }

    struct BuildFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func run(_ executable: URL, environment: [String], prefix: [String] = [], timeout: TimeInterval = 120)
        throws -> KeelBinary.Result
    {
        try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                           environment + prefix + [executable.path], timeout: timeout)
    }

    static func expectOutcome(_ name: String, _ mode: String, _ result: KeelBinary.Result) {
        let expectedStatus = Int32((text(name, ".exit") ?? "0").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(!result.timedOut, "\(name) (\(mode)) timed out")
        #expect(result.signal == nil, "\(name) (\(mode)) killed by signal \(result.signal ?? 0)")
        #expect(result.status == expectedStatus, "\(name) (\(mode)): status \(result.status)\n\(result.stderr)")
        #expect(result.stdout == (text(name, ".out") ?? ""), "\(name) (\(mode)): stdout differs")
        if let expectedError = text(name, ".err")?.trimmingCharacters(in: .whitespacesAndNewlines) {
            #expect(result.stderr.contains(expectedError), "\(name) (\(mode)): stderr lacks \(expectedError):\n\(result.stderr)")
        } else {
            #expect(result.stderr.isEmpty, "\(name) (\(mode)): unexpected stderr:\n\(result.stderr)")
        }
    }

    @Test func programsExist() {
        let names = Self.programNames()
        #expect(names.count >= 10, "Tests/Programs/runtime has \(names.count) programs")
        for name in names { #expect(Self.text(name, ".out") != nil, "\(name).c has no \(name).out") }
    }

    @Test(arguments: RuntimeProgramTests.programNames())
    func program(_ name: String) throws {
        let executable = try Self.build(name)
        defer { try? FileManager.default.removeItem(at: executable.deletingLastPathComponent()) }
        let environment = Self.environment(name)
        Self.expectOutcome(name, "normal", try Self.run(executable, environment: environment))
        Self.expectOutcome(name, "stress", try Self.run(executable, environment: environment +
                                                        ["KEEL_GC_STRESS=1", "KEEL_GC_VERIFY=1"]))
    }

    /// A subset under valgrind memcheck with a small nursery (many collections):
    /// no invalid read or write, no use of uninitialized memory. Skipped when
    /// valgrind is not installed.
    static let valgrindPrograms = ["lists", "trees", "barrier", "cycle", "handles", "large", "stackwalk", "oom"]
    static let valgrind: String? = ["/usr/bin/valgrind", "/usr/local/bin/valgrind"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: RuntimeProgramTests.valgrind != nil, "valgrind is not installed"),
          arguments: RuntimeProgramTests.valgrindPrograms)
    func underValgrind(_ name: String) throws {
        let executable = try Self.build(name)
        defer { try? FileManager.default.removeItem(at: executable.deletingLastPathComponent()) }
        let result = try Self.run(executable, environment: ["KEEL_NURSERY=64K"] + Self.environment(name),
                                  prefix: [Self.valgrind!, "-q", "--error-exitcode=99"], timeout: 600)
        #expect(result.status != 99, "\(name) under valgrind:\n\(result.stderr)")
        Self.expectOutcome(name, "valgrind", result)
    }
}
