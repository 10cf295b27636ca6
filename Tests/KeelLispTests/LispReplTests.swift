import Foundation
import Testing
import KeelTestSupport

/// `keel repl` fed a session (Tests/Programs/lisp-repl): definitions
/// persist across inputs, runtime and compile errors print their message and
/// the session goes on, and values print as prn prints them — natively and
/// with a collection at every allocation, every collection verified.
@Suite struct LispReplTests {
    static let directory = KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/lisp-repl")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func repl(_ input: String, environment: [String] = []) throws -> KeelBinary.Result {
        try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                           environment + ["KEEL_CACHE=" + LispProgramTests.cache, KeelBinary.url.path, "repl"],
                           stdin: Data(input.utf8), timeout: 600)
    }

    @Test(arguments: [("native", [String]()), ("stress", ["KEEL_GC_STRESS=1", "KEEL_GC_VERIFY=1"])])
    func session(_ mode: String, _ environment: [String]) throws {
        let run = try Self.repl(try Self.text("session.in"), environment: environment)
        #expect(run.signal == nil && run.status == 0, "\(mode): \(run.stderr)")
        #expect(run.stdout == (try Self.text("session.out")), "\(mode)")
        for line in try Self.text("session.err").split(separator: "\n") {
            #expect(run.stderr.contains(line), "\(mode): missing \(line) in \(run.stderr)")
        }
    }

    /// Input that ends inside a form, or is not KeelLisp at all: a message, never a crash.
    @Test func badInput() throws {
        let unfinished = try Self.repl("(+ 1 2)\n(defn f [x]\n")
        #expect(unfinished.status == 0 && unfinished.stdout == "3\n")
        #expect(unfinished.stderr.contains("end of input inside a form"), "\(unfinished.stderr)")
        let garbage = try Self.repl(") ] }\n\"abc\n(+ 1 1)\n")
        #expect(garbage.signal == nil && garbage.status == 0)
        #expect(garbage.stderr.contains("REPL:1:1: error: unmatched delimiter"), "\(garbage.stderr)")
    }
}
