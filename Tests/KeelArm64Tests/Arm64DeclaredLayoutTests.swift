import Foundation
import KeelTestSupport
import Testing

/// Layouts declared in the section `keel_layouts` on arm64, as
/// `DeclaredLayoutTests` (KeelRuntimeTests) on x86-64:
/// `declared_layouts.ssa` compiled by `keel il -t arm64 --check-alloc`,
/// linked statically with layouts.c and the runtime cross-compiled for
/// AArch64, run under qemu-aarch64 plainly and under `KEEL_GC_STRESS=1`; a
/// declaration with the wrong kind stops the program in `keel_init`.
struct Arm64DeclaredLayoutTests {
    static let directory = ILPrograms.suite("declared-layouts")
    static let name = "declared_layouts"

    static func build(_ il: String, in work: URL) throws -> (assembly: String, executable: String) {
        let objects = RuntimeObjects.aarch64
        try #require(objects.failure == nil, "the runtime does not build for AArch64: \(objects.failure ?? "")")
        let input = work.appendingPathComponent(name + ".ssa"), assembly = work.appendingPathComponent(name + ".s")
        try il.write(to: input, atomically: true, encoding: .utf8)
        let compiled = try KeelBinary.run(["il", "-t", "arm64", "--check-alloc", input.path, "-o", assembly.path])
        try #require(compiled.status == 0 && compiled.stderr.isEmpty, "keel il -t arm64: \(compiled.stderr)")
        let executable = work.appendingPathComponent(name).path
        let linked = try KeelBinary.run(executable: CrossTools.compiler!,
                                        ["-static", "-I", RuntimeObjects.include.path, assembly.path,
                                         directory.appendingPathComponent("layouts.c").path] + objects.paths
                                            + ["-o", executable])
        try #require(linked.status == 0, "aarch64-linux-gnu-gcc: \(linked.stderr)")
        return (try String(contentsOf: assembly, encoding: .utf8), executable)
    }

    static func run(_ executable: String, _ environment: [String]) throws -> KeelBinary.Result {
        try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                           environment + [CrossTools.qemu!.path, executable], timeout: 300)
    }

    @Test(.enabled(if: CrossTools.available, "qemu-aarch64 or aarch64-linux-gnu-gcc not found"))
    func declaredLayoutsAreAllocatedInlineAndCheckedAtStartUp() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-arm64-declared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let source = try String(contentsOf: Self.directory.appendingPathComponent(Self.name + ".ssa"), encoding: .utf8)
        let (assembly, executable) = try Self.build(source, in: work)
        // One bump of the nursery pointer per allocation site: all three are inline.
        #expect(assembly.components(separatedBy: "\tstr x1, [x16]\n").count - 1 == 3)
        let expected = try String(contentsOf: Self.directory.appendingPathComponent(Self.name + ".out"), encoding: .utf8)
        for (mode, environment) in [("plain", [String]()), ("stress", ["KEEL_GC_STRESS=1", "KEEL_NURSERY=64K"])] {
            let r = try Self.run(executable, environment)
            #expect(r.status == 0 && r.signal == nil, "\(mode): status \(r.status)\n\(r.stderr)")
            #expect(r.stdout == expected, "\(mode): stdout differs:\n\(r.stdout)")
            #expect(r.stderr.isEmpty, "\(mode): unexpected stderr:\n\(r.stderr)")
        }
        let lying = source.replacingOccurrences(of: "l $ext_vector, l 2, l 0", with: "l $ext_vector, l 3, l 0")
        #expect(lying != source)
        let (_, liar) = try Self.build(lying, in: work)
        let r = try Self.run(liar, [])
        #expect(r.status == 70, "status \(r.status)\n\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("keel: keel_layouts declares layout vector as kind 3 (BYTES) with 0 words, but it is kind 2 (REFS) with 0 words"),
                "stderr:\n\(r.stderr)")
    }
}
