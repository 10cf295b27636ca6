import Foundation
import KeelTestSupport
import Testing

/// QBE's leniencies, one program each (Tests/Programs/qbe-compat, listed in
/// docs/qbe-compatibility.md): `keel il` compiles each with nothing on
/// standard error, and the program prints NAME.out, which is what the same
/// program prints when compiled by QBE. `keel interp` prints the same too,
/// except for the programs it rejects on purpose (it must give every call one
/// meaning), which it reports as errors.
@Suite struct QBECompatibilityTests {
    static let directory = KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/qbe-compat")
    /// Calls that disagree with their callee's definition: legal for QBE and
    /// `keel il`, rejected by the interpreter.
    static let interpreterRejects: Set<String> = ["call_disagrees_with_definition", "variadic_marker_fixed_callee"]

    static func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".ssa") }.map { String($0.dropLast(4)) }.sorted()
    }

    @Test(arguments: QBECompatibilityTests.names())
    func compilesQuietlyAndRunsAsWithQBE(_ name: String) throws {
        let source = Self.directory.appendingPathComponent(name + ".ssa").path
        let expected = try String(contentsOf: Self.directory.appendingPathComponent(name + ".out"), encoding: .utf8)
        let build = try NativeBuild.make(source)
        try #require(build.compiled.status == 0, "\(name): keel il failed:\n\(build.compiled.stderr)")
        #expect(build.compiled.stderr.isEmpty, "\(name): keel il is not quiet:\n\(build.compiled.stderr)")
        try #require(build.linked?.status == 0, "\(name): cc failed:\n\(build.linked?.stderr ?? "")")
        let native = try #require(build.run)
        #expect(native.stdout == expected, "\(name): stdout")

        let interpreted = try KeelBinary.run(["interp", source], timeout: 60)
        if Self.interpreterRejects.contains(name) {
            #expect(interpreted.status == 1 && interpreted.stderr.contains("error: "), "\(name): interp should reject it")
        } else {
            #expect(interpreted.stdout == native.stdout, "\(name): keel interp differs")
            #expect(interpreted.status == native.status, "\(name): keel interp status differs")
        }
    }

    /// Warnings that a front end's user cannot act on stay out of `keel il`
    /// unless asked for with -W; `keel check` always gives them.
    @Test func warningsOnlyWithW() throws {
        let source = Self.directory.appendingPathComponent("call_disagrees_with_definition.ssa").path
        let quiet = try KeelBinary.run(["il", source, "-o", "/dev/null"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty)
        for args in [["il", "-W", source, "-o", "/dev/null"], ["check", source]] {
            let loud = try KeelBinary.run(args)
            #expect(loud.status == 0, "\(args)")
            #expect(loud.stderr.contains("call_disagrees_with_definition.ssa:16:2: warning: call to $nothing expects a result of type w"),
                    "\(args): \(loud.stderr)")
            #expect(loud.stderr.split(separator: "\n").count == 3, "\(args): \(loud.stderr)")
        }
    }

    /// Every function starts with endbr64, as QBE's do, for CET's indirect-branch tracking.
    @Test func functionsStartWithEndbr64() throws {
        let source = Self.directory.appendingPathComponent("l_as_w.ssa").path
        // -O1: at -O2 the local functions are inlined into main and gone.
        let r = try KeelBinary.run(["il", "-O1", source])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for name in ["id", "retl", "main"] {
            let label = try #require(lines.firstIndex(of: name + ":"), "no label \(name)")
            #expect(lines[label + 1] == "endbr64", "\(name)")
        }
    }
}
