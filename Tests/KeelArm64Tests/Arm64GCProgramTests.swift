import Foundation
import KeelTestSupport
import Testing

/// The IL programs with references (Tests/Programs/gc) on arm64: each
/// compiled once by `keel il -t arm64 --check-alloc` (the allocation checker
/// with its stack-map proof, and the emitted-code checks, on every
/// function), linked statically with the runtime cross-compiled for AArch64,
/// and run under qemu-aarch64 in several modes, each of which must print
/// NAME.out and exit 0 with nothing on stderr:
/// - plainly (the inline allocation path, collections when the nursery fills);
/// - `KEEL_GC_VERIFY=1` with a 64 KiB nursery: many minor collections, the
///   heap verified after each (the written-page record's mprotect/SIGSEGV
///   works under qemu-user);
/// - `KEEL_GC_STRESS=1 KEEL_GC_VERIFY=1`: a collection at every allocation,
///   every object moved, a reference the maps missed reported;
/// - for the programs too slow under qemu with both (`stressOnly`), stress
///   without verification; `large_objects` (150,000 collections of a 1.2 MB
///   live vector, minutes under qemu) runs plainly and verified only.
/// Skipped, with a message, without qemu-aarch64 or aarch64-linux-gnu-gcc.
struct Arm64GCProgramTests {
    static let directory = ILPrograms.suite("gc")
    static let small = ["KEEL_NURSERY=64K", "KEEL_HANDLES=1000"]
    /// Programs whose stress run takes too long under qemu with verification on as well.
    static let stressOnly: Set<String> = ["binary_trees", "deep_recursion", "mutual_recursion", "tail_calls"]
    /// Programs whose stress run takes minutes under qemu at all.
    static let noStress: Set<String> = ["large_objects"]

    static func programNames() -> [String] { ILPrograms.names(in: directory) }

    /// The environments NAME runs in, by mode name.
    static func modes(_ name: String) -> [(String, [String])] {
        var modes: [(String, [String])] = [("plain", []), ("verify", ["KEEL_GC_VERIFY=1"] + small)]
        if stressOnly.contains(name) { modes.append(("stress", ["KEEL_GC_STRESS=1"] + small)) }
        else if !noStress.contains(name) { modes.append(("stress+verify", ["KEEL_GC_STRESS=1", "KEEL_GC_VERIFY=1"] + small)) }
        return modes
    }

    @Test func everyProgramTakesPart() {
        #expect(Self.programNames().count >= 32)
        for name in Self.stressOnly.union(Self.noStress) { #expect(Self.programNames().contains(name), "\(name)") }
    }

    @Test(.enabled(if: CrossTools.available, "qemu-aarch64 or aarch64-linux-gnu-gcc not found: arm64 GC programs not run"),
          arguments: Arm64GCProgramTests.programNames())
    func program(_ name: String) throws {
        let objects = RuntimeObjects.aarch64
        try #require(objects.failure == nil, "the runtime does not build for AArch64: \(objects.failure ?? "")")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-arm64-gc-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let assembly = work.appendingPathComponent(name + ".s").path
        let executable = work.appendingPathComponent(name).path
        let compiled = try KeelBinary.run(["il", "-t", "arm64", "--check-alloc",
                                           Self.directory.appendingPathComponent(name + ".ssa").path, "-o", assembly])
        try #require(compiled.status == 0 && compiled.stderr.isEmpty, "\(name): keel il -t arm64: \(compiled.stderr)")
        let text = try String(contentsOfFile: assembly, encoding: .utf8)
        #expect(text.contains("\t.section keel_stackmaps,\"a\",@progbits\n"), "\(name): no stack maps")
        let linked = try KeelBinary.run(executable: CrossTools.compiler!, ["-static", assembly] + objects.paths + ["-o", executable])
        try #require(linked.status == 0, "\(name): aarch64-linux-gnu-gcc: \(linked.stderr)")
        let expected = try String(contentsOf: Self.directory.appendingPathComponent(name + ".out"), encoding: .utf8)
        for (mode, environment) in Self.modes(name) {
            let r = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                                       environment + [CrossTools.qemu!.path, executable], timeout: 300)
            #expect(!r.timedOut, "\(name) (\(mode)) timed out")
            #expect(r.signal == nil, "\(name) (\(mode)) killed by signal \(r.signal ?? 0)")
            #expect(r.status == 0, "\(name) (\(mode)): status \(r.status)\n\(r.stderr)")
            #expect(r.stdout == expected, "\(name) (\(mode)): stdout differs:\n\(r.stdout)")
            #expect(r.stderr.isEmpty, "\(name) (\(mode)): unexpected stderr:\n\(r.stderr)")
        }
    }
}
