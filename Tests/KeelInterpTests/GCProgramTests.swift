import Foundation
import KeelAnalysis
import KeelDriver
import KeelIR
import KeelInterp
import KeelTestSupport
import Testing

/// Runs every program of Tests/Programs/gc (IL with references, allocating
/// through Keel's runtime interface) under the interpreter and compares its
/// output with NAME.out, as `ProgramTests` does for Tests/Programs/il.
///
/// The native run of the same programs (compiled, linked with KeelRuntime,
/// run plainly and under KEEL_GC_STRESS=1 KEEL_GC_VERIFY=1) is
/// `GCNativeProgramTests` in KeelRuntimeTests; see Tests/Programs/gc/README.md.
struct GCProgramTests {
    static let directory = ILPrograms.suite("gc")

    static func programNames() -> [String] { ILPrograms.names(in: directory) }

    @Test func thereAreEnoughPrograms() {
        #expect(GCProgramTests.programNames().count >= 30) // issue 8: at least 30 programs
    }

    @Test(arguments: GCProgramTests.programNames())
    func program(_ name: String) throws {
        let dir = GCProgramTests.directory
        let source = try String(contentsOf: dir.appendingPathComponent(name + ".ssa"), encoding: .utf8)
        let expected = try String(contentsOf: dir.appendingPathComponent(name + ".out"), encoding: .utf8)
        var module = try Module(parsing: source, fileName: name + ".ssa")
        // As `keel interp` runs it; the verifier's reference rules are part of verify.
        _ = try FrontHalf.run(&module, upTo: .simplified,
                              options: VerifierOptions(knownExternals: Set(Interpreter.emulatedFunctions)))
        var interp = try Interpreter(module: module)
        interp.stepLimit = 200_000_000
        #expect(interp.undefinedExternals() == [])
        var out: [UInt8] = []
        let status: Int32
        do {
            status = try interp.run(arguments: [name], output: &out)
        } catch {
            Issue.record("\(name): \(error)\noutput so far:\n\(String(decoding: out, as: UTF8.self))")
            return
        }
        #expect(String(decoding: out, as: UTF8.self) == expected, "\(name): stdout")
        #expect(status == 0, "\(name): exit status")
    }
}
