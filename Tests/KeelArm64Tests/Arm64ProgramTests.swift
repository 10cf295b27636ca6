import Foundation
import KeelTestSupport
import Testing

/// Compiles IL test programs for arm64, links them statically with the cross
/// compiler and runs them under qemu-aarch64.
///
/// Only the programs named in Tests/Programs/il/arm64-ok.txt take part, so the
/// list grows as the target learns more; a listed program that fails is a
/// test failure. For each: `keel il -t arm64 NAME.ssa -o t.s`,
/// `aarch64-linux-gnu-gcc -static t.s -o t -lm` (with the runtime built for
/// AArch64 when the program calls `$keel_...`), `qemu-aarch64 t`; its stdout
/// and exit status must equal NAME.out and NAME.exit (0 when absent) and what
/// `keel interp` gives. Without the tools (`apt-get install qemu-user
/// gcc-aarch64-linux-gnu`) the runs are skipped, and say so.
/// scripts/arm64-il-tests.sh does the same for every program, listed or not.
struct Arm64ProgramTests {
    static let directory = ILPrograms.directory
    static let allowlist = directory.appendingPathComponent("arm64-ok.txt")

    /// The names in the allowlist (ILPrograms.listed).
    static func listedNames() -> [String] { ILPrograms.listed(in: "arm64-ok.txt") }

    @Test func allowlistNamesExistingPrograms() throws {
        #expect(FileManager.default.fileExists(atPath: Self.allowlist.path), "missing \(Self.allowlist.path)")
        let names = Self.listedNames()
        #expect(Set(names).count == names.count, "a name is listed twice")
        for name in names {
            let path = Self.directory.appendingPathComponent(name + ".ssa").path
            #expect(FileManager.default.fileExists(atPath: path), "arm64-ok.txt lists \(name), but \(name).ssa does not exist")
        }
    }

    /// The seed's pattern (shared/seeds/004) is among the programs arm64 must run.
    @Test func regressionProgramIsListed() {
        #expect(Self.listedNames().contains("array_after_while_if"))
    }

    @Test(.enabled(if: CrossTools.available, "qemu-aarch64 or aarch64-linux-gnu-gcc not found: arm64 programs not run"),
          arguments: Arm64ProgramTests.listedNames())
    func arm64Program(_ name: String) throws {
        let source = Self.directory.appendingPathComponent(name + ".ssa").path
        // A program calling Keel's runtime (keel_alloc ...) is linked with it, built for AArch64.
        var runtime: [String] = []
        if try String(contentsOfFile: source, encoding: .utf8).contains("$keel_") {
            let objects = RuntimeObjects.aarch64
            try #require(objects.failure == nil, "the runtime does not build for AArch64: \(objects.failure ?? "")")
            runtime = objects.paths
        }
        let build = try CrossTools.make(source, extra: runtime)
        try #require(build.compiled.status == 0, "\(name): keel il -t arm64 failed:\n\(build.compiled.stderr)")
        try #require(build.linked?.status == 0, "\(name): aarch64-linux-gnu-gcc failed:\n\(build.linked?.stderr ?? "")")
        let run = try #require(build.run)
        #expect(!run.timedOut, "\(name): timed out")
        #expect(run.signal == nil, "\(name): killed by signal \(run.signal ?? 0)\n\(run.stderr)")

        if let expected = try? String(contentsOf: Self.directory.appendingPathComponent(name + ".out"), encoding: .utf8) {
            #expect(run.stdout == expected, "\(name): stdout differs from \(name).out")
        }
        let exitFile = Self.directory.appendingPathComponent(name + ".exit")
        let expectedStatus = (try? String(contentsOf: exitFile, encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        #expect(run.status == expectedStatus, "\(name): exit status")

        let interpreted = try KeelBinary.run(["interp", source], timeout: 60)
        #expect(run.stdout == interpreted.stdout, "\(name): stdout differs from keel interp")
        #expect(run.status == interpreted.status, "\(name): exit status differs from keel interp")
    }
}

/// Building and running arm64 programs with the cross toolchain.
extension CrossTools {
    /// Compiles `source` for arm64 in a fresh directory (removed afterwards), links it statically
    /// (with the `extra` C files) and runs it.
    static func make(_ source: String, extra: [String] = [], timeout: TimeInterval = 20) throws -> NativeBuild {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-arm64-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let assembly = work.appendingPathComponent("t.s").path
        let executable = work.appendingPathComponent("t").path
        var build = NativeBuild(compiled: try KeelBinary.run(["il", "-t", "arm64", source, "-o", assembly]))
        guard build.compiled.status == 0, let compiler, let qemu else { return build }
        build.linked = try KeelBinary.run(executable: compiler, ["-static", assembly] + extra + ["-o", executable, "-lm"])
        guard build.linked?.status == 0 else { return build }
        build.run = try KeelBinary.run(executable: qemu, [executable], timeout: timeout)
        return build
    }
}

/// IL linked with C (Tests/Programs/c-interop: NAME.ssa, NAME.c, NAME.out):
/// the calling convention against gcc's, in both directions.
struct Arm64InteropTests {
    @Test(.enabled(if: CrossTools.available, "qemu-aarch64 or aarch64-linux-gnu-gcc not found: interop not run"),
          arguments: ILPrograms.names(in: ILPrograms.suite("c-interop")))
    func interop(_ name: String) throws {
        let dir = ILPrograms.suite("c-interop")
        let source = dir.appendingPathComponent(name + ".ssa").path
        let build = try CrossTools.make(source, extra: [dir.appendingPathComponent(name + ".c").path])
        try #require(build.compiled.status == 0, "\(name): keel il -t arm64 failed:\n\(build.compiled.stderr)")
        try #require(build.linked?.status == 0, "\(name): aarch64-linux-gnu-gcc failed:\n\(build.linked?.stderr ?? "")")
        let run = try #require(build.run)
        let expected = try String(contentsOf: dir.appendingPathComponent(name + ".out"), encoding: .utf8)
        #expect(run.status == 0 && run.stdout == expected, "\(name): \(run.status)\n\(run.stdout)")
    }
}

/// `keel fuzz --target arm64`: generated programs compiled for arm64, run
/// under qemu and compared with the interpreter (a short campaign).
struct Arm64FuzzTests {
    @Test(.enabled(if: CrossTools.available, "qemu-aarch64 or aarch64-linux-gnu-gcc not found: arm64 fuzzing not run"))
    func shortCampaignFindsNothing() throws {
        let r = try KeelBinary.run(["fuzz", "--target", "arm64", "--count", "8", "--seed", "11", "--jobs", "1"], timeout: 600)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("programs: 8  failures: 0"), "\(r.stdout)")
    }

    /// `keel fuzz --gc --target arm64`: generated programs with references,
    /// linked with the runtime built for AArch64, run plainly and stressed.
    @Test(.enabled(if: CrossTools.available, "qemu-aarch64 or aarch64-linux-gnu-gcc not found: arm64 GC fuzzing not run"))
    func shortGCCampaignFindsNothing() throws {
        let runtime = KeelBinary.packageRoot.appendingPathComponent("Sources/KeelRuntime").path
        let r = try KeelBinary.run(["fuzz", "--gc", "--target", "arm64", "--count", "3", "--seed", "5", "--jobs", "1",
                                    "--runtime", runtime], timeout: 600)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("programs: 3  failures: 0"), "\(r.stdout)")
    }
}
