import Foundation
import KeelTestSupport
import Testing

/// Keel's `sqrt` on arm64: `fsqrt`, no call, linked with C and run under qemu.
struct Arm64SqrtTests {
    static let interop = ILPrograms.suite("c-interop")

    @Test func selectsFsqrtAndNoCall() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-sqrt-\(UUID().uuidString).ssa")
        try """
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
            export function d $live(d %a, d %b, d %c) {
            @start
            \t%s =d mul %a, %b
            \t%h =d sqrt %s
            \t%t =d add %h, %a
            \t%u =d add %t, %b
            \t%v =d add %u, %c
            \tret %v
            }
            """.write(to: work, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: work) }
        let r = try KeelBinary.run(["il", "-t", "arm64", work.path])
        try #require(r.status == 0, "keel il -t arm64 failed:\n\(r.stderr)")
        #expect(r.stdout.contains("\tfsqrt d0, d0\n"), "\(r.stdout)")
        #expect(r.stdout.contains("\tfsqrt s0, s0\n"), "\(r.stdout)")
        #expect(!r.stdout.contains("\tbl "), "\(r.stdout)")
        #expect(!r.stdout.contains("str d") && !r.stdout.contains("stp d"), "\(r.stdout)")
    }

    /// Tests/Programs/c-interop/sqrt.ssa with sqrt.c (also run by Arm64InteropTests).
    @Test(.enabled(if: CrossTools.available, "qemu-aarch64 or aarch64-linux-gnu-gcc not found: not run"))
    func linkedWithCAgreesWithLibm() throws {
        let build = try CrossTools.make(Self.interop.appendingPathComponent("sqrt.ssa").path,
                                        extra: [Self.interop.appendingPathComponent("sqrt.c").path])
        try #require(build.compiled.status == 0, "keel il -t arm64 failed:\n\(build.compiled.stderr)")
        try #require(build.linked?.status == 0, "aarch64-linux-gnu-gcc failed:\n\(build.linked?.stderr ?? "")")
        let run = try #require(build.run)
        let expected = try String(contentsOf: Self.interop.appendingPathComponent("sqrt.out"), encoding: .utf8)
        #expect(run.status == 0)
        #expect(run.stdout == expected)
    }
}
