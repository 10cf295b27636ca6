import Foundation
import KeelAnalysis
import KeelDriver
import KeelIR
import KeelInterp
import KeelTestSupport
import Testing

/// Runs every IL program in Tests/Programs/il and compares its output with
/// NAME.out (exact) and its exit status with NAME.exit (0 when absent).
/// The expected files were checked against QBE-compiled native runs.
struct ProgramTests {
    static let directory = ILPrograms.directory

    static func programNames() -> [String] { ILPrograms.names() }

    @Test func thereAreEnoughPrograms() {
        #expect(ProgramTests.programNames().count >= 45)
    }

    @Test(arguments: ProgramTests.programNames())
    func program(_ name: String) throws {
        let dir = ProgramTests.directory
        let source = try String(contentsOf: dir.appendingPathComponent(name + ".ssa"), encoding: .utf8)
        let expected = try Data(contentsOf: dir.appendingPathComponent(name + ".out"))
        let exitFile = dir.appendingPathComponent(name + ".exit")
        let expectedStatus = (try? String(contentsOf: exitFile, encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0

        var module = try Module(parsing: source, fileName: name + ".ssa")
        // As `keel interp` runs it: SSA, verified, dead code deleted.
        _ = try FrontHalf.run(&module, upTo: .simplified,
                              options: VerifierOptions(knownExternals: Set(Interpreter.emulatedFunctions)))
        var interp = try Interpreter(module: module)
        interp.stepLimit = 100_000_000
        #expect(interp.undefinedExternals() == [])
        var out: [UInt8] = []
        let status: Int32
        do {
            status = try interp.run(arguments: [name], output: &out)
        } catch {
            Issue.record("\(name): \(error)\noutput so far:\n\(String(decoding: out, as: UTF8.self))")
            return
        }
        #expect(String(decoding: out, as: UTF8.self) == String(decoding: expected, as: UTF8.self), "\(name): stdout")
        #expect(status & 0xFF == expectedStatus, "\(name): exit status")
    }
}
