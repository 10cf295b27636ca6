import Foundation
import KeelTestSupport
import Testing

/// What the targets refuse about `tailcall` (docs/il-extensions.md, "Tail
/// calls"): each a located error with status 1, never a crash or a silent
/// ordinary call; and the tail-call programs compiled with every check.
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

    /// Nine integer arguments: on arm64 the ninth goes on the stack.
    @Test func arm64RefusesStackArgumentsAtTheTailCall() throws {
        let text = """
            function l $f(l %a) {
            @start
            \ttailcall $g(l %a, l 2, l 3, l 4, l 5, l 6, l 7, l 8, l 9)
            }
            function l $g(l %a, l %b, l %c, l %d, l %e, l %f, l %g, l %h, l %i) {
            @start
            \tret %i
            }

            """
        let path = try KeelBinary.temporaryFile(text)
        let r = try KeelBinary.run(["il", "-t", "arm64", path, "-o", "/dev/null"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("\(path):3:2: error: tailcall passes 1 argument on the stack; on arm64 a tail call passes its arguments in registers only"), "\(r.stderr)")
    }

    @Test func verifierErrorsAreLocated() throws {
        let text = "function w $f(l %a) {\n@start\n\t%s =l alloc8 8\n\ttailcall $g(l %s)\n}\nfunction w $g(l %p) {\n@start\n\tret 0\n}\n"
        let path = try KeelBinary.temporaryFile(text)
        let r = try KeelBinary.run(["check", path])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("\(path):4:2: error: %s, the address of an alloc slot of this function, is argument 1 of this tailcall"), "\(r.stderr)")
    }

    static let programs = ["tail_self", "tail_mutual", "tail_indirect", "tail_float_mixed"]

    /// The tail-call programs of the IL suite at -O0 and -O2 with the
    /// allocation and emitted-code checks on: each runs natively (a million
    /// frames or more would overflow the stack as ordinary calls) and prints
    /// what `keel interp` prints and NAME.out says.
    @Test(arguments: TailCallCLITests.programs, ["-O0", "-O2"])
    func checkedAtBothLevels(_ name: String, _ level: String) throws {
        let dir = ILPrograms.directory
        let source = dir.appendingPathComponent(name + ".ssa").path
        let build = try NativeBuild.make(source, keelArguments: [level, "--check-alloc"], timeout: 60)
        try #require(build.compiled.status == 0 && build.compiled.stderr.isEmpty, "\(name) \(level): \(build.compiled.stderr)")
        let run = try #require(build.run)
        let expected = try String(contentsOf: dir.appendingPathComponent(name + ".out"), encoding: .utf8)
        #expect(run.status == 0 && run.signal == nil, "\(name) \(level): \(run.stderr)")
        #expect(run.stdout == expected, "\(name) \(level)")
        let interpreted = try KeelBinary.run(["interp", source], timeout: 120)
        #expect(interpreted.status == 0 && interpreted.stdout == expected, "\(name): keel interp")
    }
}
