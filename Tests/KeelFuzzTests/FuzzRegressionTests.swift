import Foundation
import KeelFuzz
import KeelTestSupport
import Testing

/// Programs the fuzzers found (Tests/Programs/fuzz): each must run clean
/// through the differential runner and print its expected output
/// (NAME.out) and exit with its expected status (NAME.exit, default 0).
@Suite struct FuzzRegressionTests {
    static let directory = KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/fuzz")

    static var programs: [String] { ssaFiles(in: directory) }

    /// Programs of bugs still open (Tests/Programs/fuzz/open): they fail
    /// today; when one passes, move it up a directory.
    static var openPrograms: [String] { ssaFiles(in: directory.appendingPathComponent("open")).map { "open/" + $0 } }

    static func ssaFiles(in dir: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".ssa") }.sorted()
    }

    @Test func thereAreRegressionPrograms() {
        #expect(!Self.programs.isEmpty)
    }

    @Test(arguments: openPrograms)
    func openBug(_ name: String) throws {
        try withKnownIssue("an open bug found by keel fuzz; see the comment in \(name)") {
            try regressionProgram(name)
        }
    }

    @Test(arguments: programs)
    func regressionProgram(_ name: String) throws {
        let url = Self.directory.appendingPathComponent(name)
        let source = try Data(contentsOf: url)
        let base = url.deletingPathExtension()
        let expected = try String(contentsOf: base.appendingPathExtension("out"), encoding: .utf8)
        let status = (try? String(contentsOf: base.appendingPathExtension("exit"), encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        let runner = DifferentialRunner(workDirectory: NSTemporaryDirectory())
        let outcome = runner.run(Array(source), name: "regression-\(UUID().uuidString)")
        #expect(outcome.failure == nil, "\(outcome.detail)")
        guard case .success(let module) = Pipeline.check(Array(source), options: Pipeline.interpreterOptions) else {
            Issue.record("\(name) does not verify")
            return
        }
        let run = Pipeline.interpret(module)
        #expect(String(decoding: run.output, as: UTF8.self) == expected)
        #expect(run.status == status)
    }
}
