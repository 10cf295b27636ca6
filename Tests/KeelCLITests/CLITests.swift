import Foundation
import KeelTestSupport
import Testing

/// End-to-end behaviour of the `keel` command: exit statuses, where output goes,
/// the error format, and that no input makes it crash.
@Suite struct CLITests {
    static let valid = """
        function w $add(w %a, w %b) {
        @start
        \t%c =w add %a, %b
        \tret %c
        }
        export function w $main() {
        @start
        \t%x =w call $add(w 2, w 40)
        \tret %x
        }

        """

    @Test func checkPrintsNothingForAValidProgram() throws {
        let path = try KeelBinary.temporaryFile(Self.valid)
        let r = try KeelBinary.run(["check", path])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.isEmpty)
    }

    @Test func checkReportsTypeErrorsWithLocation() throws {
        let text = "function w $f(d %x) {\n@start\n\t%y =w add %x, 1\n\tret %y\n}\n"
        let path = try KeelBinary.temporaryFile(text)
        let r = try KeelBinary.run(["check", path])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("\(path):3:"))
        #expect(r.stderr.contains(": error: "))
    }

    /// QBE compiles a call from the types written at the call site, so a call
    /// that disagrees with its callee's definition is legal IL: `check` warns,
    /// while the interpreter, which must give it a meaning, refuses it.
    @Test func callSignatureMismatchIsAWarningForCheckAndAnErrorForInterp() throws {
        let text = """
            function $f(w %a) {
            @start
            \tret
            }
            export function w $main() {
            @start
            \t%x =w call $f()
            \tret 0
            }

            """
        let path = try KeelBinary.temporaryFile(text)
        let checked = try KeelBinary.run(["check", path])
        #expect(checked.status == 0)
        #expect(checked.stderr.hasPrefix("\(path):7:2: warning: call to $f"))
        let run = try KeelBinary.run(["interp", path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(path):7:2: error: call to $f"))
    }

    @Test func checkReportsAMissingFile() throws {
        let r = try KeelBinary.run(["check", "/nonexistent/file.ssa"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("/nonexistent/file.ssa: no such file"))
    }

    @Test func formatIsAFixedPoint() throws {
        let path = try KeelBinary.temporaryFile(Self.valid)
        let once = try KeelBinary.run(["fmt", path])
        #expect(once.status == 0)
        let again = try KeelBinary.run(["fmt", "-"], stdin: Data(once.stdout.utf8))
        #expect(again.status == 0)
        #expect(again.stdout == once.stdout)
        #expect(once.stdout.contains("function w $add(w %a, w %b)"))
    }

    @Test func interpRunsMainAndReturnsItsStatus() throws {
        let path = try KeelBinary.temporaryFile(Self.valid)
        let r = try KeelBinary.run(["interp", path])
        #expect(r.status == 42)
    }

    @Test func interpRunsTheExample() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let r = try KeelBinary.run(["interp", root.appendingPathComponent("examples/hello.ssa").path])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("Hello from Keel!\nfib(0) = 0\nfib(10) = 55\n"))
        #expect(r.stdout.hasSuffix("fib(90) = 2880067194370816120\n"))
    }

    @Test func interpReportsRuntimeErrors() throws {
        let text = "export function w $main() {\n@start\n\t%z =w div 1, 0\n\tret %z\n}\n"
        let path = try KeelBinary.temporaryFile(text)
        let r = try KeelBinary.run(["interp", path])
        #expect(r.status == 70)
        #expect(r.stderr.contains("runtime error"))
    }

    @Test func interpNamesAnUnknownExternal() throws {
        let text = "export function w $main() {\n@start\n\t%z =w call $launch_missiles()\n\tret %z\n}\n"
        let path = try KeelBinary.temporaryFile(text)
        let r = try KeelBinary.run(["interp", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("launch_missiles"))
    }

    @Test(arguments: ["check", "fmt", "interp"])
    func helpDescribesEachCommand(_ command: String) throws {
        let r = try KeelBinary.run([command, "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("USAGE: keel \(command)"))
    }
}
