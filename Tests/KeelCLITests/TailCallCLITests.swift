import Foundation
import KeelTestSupport
import Testing

/// What the targets refuse about `tailcall` (docs/il-extensions.md, "Tail
/// calls"): each a located error with status 1, never a crash or a silent
/// ordinary call.
@Suite struct TailCallCLITests {
    /// Seven integer arguments: the seventh goes on the stack.
    static let stackArguments = """
        function l $f(l %a) {
        @start
        \ttailcall $g(l %a, l 2, l 3, l 4, l 5, l 6, l 7)
        }
        function l $g(l %a, l %b, l %c, l %d, l %e, l %f, l %g) {
        @start
        \tret %g
        }

        """

    @Test func x86RefusesStackArgumentsAtTheTailCall() throws {
        let path = try KeelBinary.temporaryFile(Self.stackArguments)
        let r = try KeelBinary.run(["il", path, "-o", "/dev/null"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("\(path):3:2: error: tailcall passes 1 argument on the stack; on x86-64 a tail call passes its arguments in registers only"), "\(r.stderr)")
    }

    @Test func arm64RefusesTailCallsAtTheTailCall() throws {
        let text = "function l $f(l %a) {\n@start\n\ttailcall $f(l %a)\n}\n"
        let path = try KeelBinary.temporaryFile(text)
        let r = try KeelBinary.run(["il", "-t", "arm64", path, "-o", "/dev/null"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("\(path):3:2: error: tailcall is not supported on arm64 yet"), "\(r.stderr)")
    }

    @Test func verifierErrorsAreLocated() throws {
        let text = "function w $f(l %a) {\n@start\n\t%s =l alloc8 8\n\ttailcall $g(l %s)\n}\nfunction w $g(l %p) {\n@start\n\tret 0\n}\n"
        let path = try KeelBinary.temporaryFile(text)
        let r = try KeelBinary.run(["check", path])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("\(path):4:2: error: %s, the address of an alloc slot of this function, is argument 1 of this tailcall"), "\(r.stderr)")
    }
}
