import Foundation
import KeelTestSupport
import Testing

/// Compiles IL test programs to x86-64 executables and runs them.
///
/// Only the programs named in Tests/Programs/il/native-ok.txt take part, so the
/// list grows as code generation learns more; a listed program that fails is
/// a test failure. For each: `keel il NAME.ssa -o t.s`, `cc t.s -o t -lm` (with
/// the runtime's objects when the program calls `$keel_...`), run
/// `t`; its stdout and exit status must equal NAME.out and NAME.exit (0 when
/// absent) and what `keel interp` gives. scripts/native-il-tests.sh does the
/// same for every program, listed or not.
struct NativeProgramTests {
    static let directory = KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/il")
    static let allowlist = directory.appendingPathComponent("native-ok.txt")

    /// The names in the allowlist (ILPrograms.listed).
    static func listedNames() -> [String] { ILPrograms.listed(in: "native-ok.txt") }

    @Test func allowlistNamesExistingPrograms() throws {
        #expect(FileManager.default.fileExists(atPath: Self.allowlist.path), "missing \(Self.allowlist.path)")
        let names = Self.listedNames()
        #expect(Set(names).count == names.count, "a name is listed twice")
        for name in names {
            let path = Self.directory.appendingPathComponent(name + ".ssa").path
            #expect(FileManager.default.fileExists(atPath: path), "native-ok.txt lists \(name), but \(name).ssa does not exist")
        }
    }

    @Test(arguments: NativeProgramTests.listedNames())
    func nativeProgram(_ name: String) throws {
        let source = Self.directory.appendingPathComponent(name + ".ssa").path
        // A program calling Keel's runtime (keel_alloc ...) is linked with it.
        var runtime: [String] = []
        if try String(contentsOfFile: source, encoding: .utf8).contains("$keel_") {
            let objects = RuntimeObjects.shared
            try #require(objects.failure == nil, "the runtime does not build: \(objects.failure ?? "")")
            runtime = objects.paths
        }
        let build = try NativeBuild.make(source, ccArguments: runtime + ["-lm"])
        try #require(build.compiled.status == 0, "\(name): keel il failed (\(build.compiled.status)):\n\(build.compiled.stderr)")
        try #require(build.linked?.status == 0, "\(name): cc failed:\n\(build.linked?.stderr ?? "")")
        let native = try #require(build.run)
        #expect(!native.timedOut, "\(name): timed out")
        #expect(native.signal == nil, "\(name): killed by signal \(native.signal ?? 0)\n\(native.stderr)")

        if let expected = try? String(contentsOf: Self.directory.appendingPathComponent(name + ".out"), encoding: .utf8) {
            #expect(native.stdout == expected, "\(name): stdout differs from \(name).out")
        }
        let exitFile = Self.directory.appendingPathComponent(name + ".exit")
        let expectedStatus = (try? String(contentsOf: exitFile, encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        #expect(native.status == expectedStatus, "\(name): exit status")

        let interpreted = try KeelBinary.run(["interp", source], timeout: 60)
        #expect(native.stdout == interpreted.stdout, "\(name): stdout differs from keel interp")
        #expect(native.status == interpreted.status, "\(name): exit status differs from keel interp")
    }
}
