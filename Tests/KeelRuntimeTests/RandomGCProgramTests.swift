import Foundation
import KeelFuzz
import KeelTestSupport
import Testing

/// Random programs with references (KeelFuzz's `GCProgramGenerator`), compiled by
/// `keel il` (checks on), linked with the runtime and run plainly and under
/// `KEEL_GC_STRESS=1 KEEL_GC_VERIFY=1` with a 64K nursery: each must print
/// what `keel interp` prints and exit 0 with nothing on stderr.
struct RandomGCProgramTests {
    static let seeds = Array(0..<200 as Range<UInt64>)

    @Test(arguments: RandomGCProgramTests.seeds)
    func matchesTheInterpreterUnderACollectingRuntime(_ seed: UInt64) throws {
        let objects = RuntimeObjects.shared
        try #require(objects.failure == nil, "the runtime does not build: \(objects.failure ?? "")")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-randgc-\(seed)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let source = work.appendingPathComponent("p.ssa"), assembly = work.appendingPathComponent("p.s")
        let executable = work.appendingPathComponent("p")
        try GCProgramGenerator.generate(seed: seed).write(to: source, atomically: true, encoding: .utf8)

        let interpreted = try KeelBinary.run(["interp", source.path])
        try #require(interpreted.status == 0, "seed \(seed): keel interp: \(interpreted.stderr)")
        let compiled = try KeelBinary.run(["il", source.path, "-o", assembly.path])
        try #require(compiled.status == 0 && compiled.stderr.isEmpty, "seed \(seed): keel il: \(compiled.stderr)")
        let cc = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                                    ["cc", assembly.path] + objects.paths + ["-o", executable.path])
        try #require(cc.status == 0, "seed \(seed): cc: \(cc.stderr)")
        for (mode, environment) in [("normal", []), ("stress+verify", GCNativeProgramTests.stressEnvironment)] {
            let run = try RuntimeProgramTests.run(executable, environment: environment, timeout: 120)
            #expect(run.status == 0 && run.stderr.isEmpty, "seed \(seed) (\(mode)): status \(run.status)\n\(run.stderr)")
            #expect(run.stdout == interpreted.stdout, "seed \(seed) (\(mode)): output differs from keel interp")
        }
    }
}

/// The generator's programs keep tagged integers in their reference
/// variables too (so the campaigns above pass immediates through phis, calls
/// and fields): most of the 200 seeds make one.
@Test func randomGCProgramsHoldImmediates() {
    let withImmediates = RandomGCProgramTests.seeds.filter { GCProgramGenerator.generate(seed: $0).contains(" =r tagr ") }
    #expect(withImmediates.count >= 100, "only \(withImmediates.count) of 200 programs use tagr")
}
