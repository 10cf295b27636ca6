import Foundation
import KeelTestSupport
import Testing

/// C programs of Tests/Programs/runtime-arm64 that check the runtime's
/// AArch64-specific code (the entry stub): each NAME.c compiled by
/// aarch64-linux-gnu-gcc (-Wall -Wextra -Werror) with the runtime built for
/// AArch64, linked statically and run under qemu-aarch64; its stdout must
/// equal NAME.out and its status be 0. Skipped without the cross tools.
struct Arm64RuntimeTests {
    static let directory = ILPrograms.suite("runtime-arm64")

    @Test func programsExist() {
        #expect(!ILPrograms.names(in: Self.directory, suffix: ".c").isEmpty)
    }

    @Test(.enabled(if: CrossTools.available, "qemu-aarch64 or aarch64-linux-gnu-gcc not found: arm64 runtime programs not run"),
          arguments: ILPrograms.names(in: Arm64RuntimeTests.directory, suffix: ".c"))
    func program(_ name: String) throws {
        let objects = RuntimeObjects.aarch64
        try #require(objects.failure == nil, "the runtime does not build for AArch64: \(objects.failure ?? "")")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-arm64-rt-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let executable = work.appendingPathComponent(name).path
        let cc = try KeelBinary.run(executable: CrossTools.compiler!,
                                    ["-std=c11", "-Wall", "-Wextra", "-Werror", "-O1", "-g", "-static",
                                     "-I", RuntimeObjects.include.path,
                                     Self.directory.appendingPathComponent(name + ".c").path]
                                        + objects.paths + ["-o", executable])
        try #require(cc.status == 0, "\(name): \(cc.stderr)")
        let r = try KeelBinary.run(executable: CrossTools.qemu!, [executable])
        let expected = try String(contentsOf: Self.directory.appendingPathComponent(name + ".out"), encoding: .utf8)
        #expect(r.status == 0, "\(name): status \(r.status)\n\(r.stderr)")
        #expect(r.stdout == expected, "\(name): \(r.stdout)")
    }
}
