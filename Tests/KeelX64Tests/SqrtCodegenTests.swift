import Foundation
import KeelTestSupport
import Testing

/// Keel's `sqrt` on x86-64: `sqrtsd`/`sqrtss`, no call, linked with C and run.
struct SqrtCodegenTests {
    static let interop = ILPrograms.suite("c-interop")

    /// Tests/Programs/c-interop/sqrt.ssa with sqrt.c: every result equals libm's
    /// bit for bit (NaN as NaN), including -0, subnormals, infinities and negatives.
    @Test func linkedWithCAgreesWithLibm() throws {
        let source = Self.interop.appendingPathComponent("sqrt.ssa").path
        let build = try NativeBuild.make(source, ccArguments: [Self.interop.appendingPathComponent("sqrt.c").path, "-lm"])
        try #require(build.compiled.status == 0, "keel il failed:\n\(build.compiled.stderr)")
        try #require(build.linked?.status == 0, "cc failed:\n\(build.linked?.stderr ?? "")")
        let run = try #require(build.run)
        let expected = try String(contentsOf: Self.interop.appendingPathComponent("sqrt.out"), encoding: .utf8)
        #expect(run.status == 0)
        #expect(run.stdout == expected)
    }

    static func assembly(_ il: String, level: String) throws -> String {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-sqrt-\(UUID().uuidString).ssa")
        try il.write(to: work, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: work) }
        let r = try KeelBinary.run(["il", level, work.path])
        try #require(r.status == 0, "keel il failed:\n\(r.stderr)")
        return r.stdout
    }

    @Test(arguments: ["-O0", "-O2"])
    func selectsTheInstructionAndNoCall(_ level: String) throws {
        let asm = try Self.assembly("""
            export function d $f(d %x) {
            @start
            \t%r =d sqrt %x
            \tret %r
            }
            export function s $g(s %x) {
            @start
            \t%r =s sqrt %x
            \tret %r
            }
            export function d $live(d %a, d %b, d %c, d %e) {
            @start
            \t%s =d mul %a, %b
            \t%h =d sqrt %s
            \t%k =d sqrt %c
            \t%t =d add %h, %a
            \t%u =d add %t, %b
            \t%v =d add %u, %c
            \t%w =d add %v, %e
            \t%x =d add %w, %k
            \tret %x
            }
            """, level: level)
        #expect(asm.contains("\tsqrtsd %xmm0, %xmm0\n"), "\(asm)")
        #expect(asm.contains("\tsqrtss %xmm0, %xmm0\n"), "\(asm)")
        #expect(!asm.contains("call"), "\(asm)")
        // Nothing spilled around it: the four doubles stay in registers.
        #expect(!asm.contains("(%rsp)") && !asm.contains("(%rbp)"), "\(asm)")
        #expect(asm.components(separatedBy: "sqrtsd").count - 1 == 3)
    }

    @Test func aConstantOperandIsFoldedAtO2() throws {
        let asm = try Self.assembly("""
            export function d $f() {
            @start
            \t%r =d sqrt d_6.25
            \tret %r
            }
            """, level: "-O2")
        #expect(!asm.contains("sqrt"), "\(asm)")
    }
}
