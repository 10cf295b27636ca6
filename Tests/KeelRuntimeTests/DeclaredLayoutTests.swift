import Foundation
import KeelTestSupport
import Testing

/// Layouts declared in the section `keel_layouts` (docs/il-extensions.md,
/// "Declared layouts"), natively on x86-64: `declared_layouts.ssa`
/// allocates pairs, boxes and a vector whose layouts are C data
/// (`layouts.c`). The allocations take the inline path, the program runs
/// correctly plainly, with a small nursery under `KEEL_GC_VERIFY=1` and
/// under `KEEL_GC_STRESS=1`; a declaration that lies about its layout's
/// kind or word count stops the program in `keel_init`, status 70, naming
/// the layout.
struct DeclaredLayoutTests {
    static let directory = ILPrograms.suite("declared-layouts")
    static let name = "declared_layouts"
    static let small = ["KEEL_NURSERY=64K"]

    static func source() throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name + ".ssa"), encoding: .utf8)
    }

    /// Compiles `il` with `keel il`, links it with layouts.c and the runtime;
    /// returns the assembly and the executable (in `work`).
    static func build(_ il: String, in work: URL) throws -> (assembly: String, executable: URL) {
        let objects = RuntimeProgramTests.objects
        try #require(objects.failure == nil, "the runtime does not build: \(objects.failure ?? "")")
        let input = work.appendingPathComponent(name + ".ssa"), assembly = work.appendingPathComponent(name + ".s")
        try il.write(to: input, atomically: true, encoding: .utf8)
        let compiled = try KeelBinary.run(["il", input.path, "-o", assembly.path])
        try #require(compiled.status == 0 && compiled.stderr.isEmpty, "keel il: \(compiled.stderr)")
        let executable = work.appendingPathComponent(name)
        let cc = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                                    ["cc", "-I", RuntimeObjects.include.path, assembly.path,
                                     directory.appendingPathComponent("layouts.c").path] + objects.paths
                                        + ["-o", executable.path])
        try #require(cc.status == 0, "cc: \(cc.stderr)")
        return (try String(contentsOf: assembly, encoding: .utf8), executable)
    }

    static func workDirectory() throws -> URL {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-declared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        return work
    }

    @Test func declaredLayoutsAreAllocatedInlineAndRunUnderStress() throws {
        let work = try Self.workDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let (assembly, executable) = try Self.build(try Self.source(), in: work)
        // One bump of the nursery pointer per allocation site: all three are inline.
        #expect(assembly.components(separatedBy: "movq %rdx, keel_nursery(%rip)").count - 1 == 3)
        #expect(assembly.contains("\t.section \"keel_layouts\",\"aw\"\n"))
        let expected = try String(contentsOf: Self.directory.appendingPathComponent(Self.name + ".out"), encoding: .utf8)
        for (mode, environment) in [("plain", []), ("verify", ["KEEL_GC_VERIFY=1"] + Self.small),
                                    ("stress", ["KEEL_GC_STRESS=1"]),
                                    ("stress+verify", ["KEEL_GC_STRESS=1", "KEEL_GC_VERIFY=1"] + Self.small)] {
            let r = try RuntimeProgramTests.run(executable, environment: environment)
            #expect(r.status == 0 && r.signal == nil, "\(mode): status \(r.status)\n\(r.stderr)")
            #expect(r.stdout == expected, "\(mode): stdout differs:\n\(r.stdout)")
            #expect(r.stderr.isEmpty, "\(mode): unexpected stderr:\n\(r.stderr)")
        }
    }

    /// Declarations that lie (each compiles: the verifier cannot see C data),
    /// with the start of the message keel_init must stop with.
    static let lies: [(from: String, to: String, message: String)] = [
        ("l $ext_vector, l 2, l 0", "l $ext_vector, l 3, l 0",
         "keel: keel_layouts declares layout vector as kind 3 (BYTES) with 0 words, but it is kind 2 (REFS) with 0 words"),
        ("l $ext_pair, l 1, l 2", "l $ext_pair, l 1, l 3",
         "keel: keel_layouts declares layout pair as kind 1 (RECORD) with 3 words, but it is kind 1 (RECORD) with 2 words"),
        ("l $ext_box, l 3, l 0", "l $ext_box, l 1, l 1",
         "keel: keel_layouts declares layout box as kind 1 (RECORD) with 1 words, but it is kind 3 (BYTES) with 0 words"),
        ("l $ext_box, l 3, l 0", "l $ext_box, l 3, l 0, l $not_a_layout, l 3, l 0",
         "keel: keel_layouts declares 0x"),
    ]

    @Test(arguments: 0..<DeclaredLayoutTests.lies.count)
    func aLyingDeclarationStopsTheProgramAtStartUp(_ k: Int) throws {
        let lie = Self.lies[k]
        var il = try Self.source().replacingOccurrences(of: lie.from, with: lie.to)
        // A RECORD's allocations must ask the declared words, or the verifier rejects them first.
        if lie.to.hasPrefix("l $ext_pair") { il = il.replacingOccurrences(of: "keel_alloc(l $ext_pair, l 2)", with: "keel_alloc(l $ext_pair, l 3)") }
        #expect(il != (try Self.source()))
        let work = try Self.workDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let (_, executable) = try Self.build(il, in: work)
        let r = try RuntimeProgramTests.run(executable, environment: [])
        #expect(r.status == 70, "status \(r.status)\n\(r.stderr)")
        #expect(r.stdout.isEmpty, "output before the check:\n\(r.stdout)")
        #expect(r.stderr.hasPrefix(lie.message), "stderr:\n\(r.stderr)")
    }
}
