import Foundation
import KeelTestSupport
import Testing

/// `keel il`: QBE's command line (targets, output, standard input, several
/// files as one unit, errors) and the `qbe` alias.
@Suite struct ILCommandTests {
    static let main = """
        export function w $main() {
        @start
        \t%x =w call $twice(w 21)
        \tret %x
        }

        """
    // Exported, so it is still compiled once inlined into main.
    static let twice = """
        export function w $twice(w %a) {
        @start
        \t%b =w add %a, %a
        \tret %b
        }

        """

    @Test func printsTheDefaultTarget() throws {
        for args in [["il", "-t?"], ["il", "-t", "?"]] {
            let r = try KeelBinary.run(args)
            #expect(r.status == 0)
            #expect(r.stdout == "amd64_sysv\n")
        }
    }

    @Test func rejectsAnUnknownTarget() throws {
        let r = try KeelBinary.run(["il", "-t", "vax", try KeelBinary.temporaryFile(Self.main)])
        #expect(r.status == 1)
        #expect(r.stderr.contains("unknown target"))
        #expect(r.stdout.isEmpty)
    }

    /// `--stats` reports the driver's named steps, in pipeline order.
    @Test func statsNameEveryStepInOrder() throws {
        let file = try KeelBinary.temporaryFile(Self.main + Self.twice)
        for args in [["il", "--stats", file, "-o", "/dev/null"], ["il", "--stats", "--verify-each", file, "-o", "/dev/null"]] {
            let r = try KeelBinary.run(args)
            #expect(r.status == 0, "\(r.stderr)")
            let steps = r.stderr.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            let order = ["read", "parse", "ssa", "verify", "inline", "split", "promote", "sccp", "algebra", "cfg", "loads", "copyprop", "licm", "ivsr", "rotate", "dce", "lower-abi", "select", "allocate", "spill-slots",
                         "frame", "check", "emit", "write", "total"]
            #expect(steps.filter { order.contains($0) } == order, "\(args): \(r.stderr)")
        }
    }

    @Test func compilesStandardInputToStandardOutput() throws {
        let r = try KeelBinary.run(["il"], stdin: Data((Self.main + Self.twice).utf8))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains(".globl main"))
        #expect(r.stdout.contains("main:"))
        #expect(r.stdout.contains(".globl twice"))
        #expect(r.stdout.contains("twice:"))
        #expect(r.stdout.hasSuffix(".section .note.GNU-stack,\"\",@progbits\n"))
    }

    @Test func severalFilesAreOneUnitAndOutputGoesToTheFile() throws {
        let a = try KeelBinary.temporaryFile(Self.main, name: "a.ssa")
        let b = try KeelBinary.temporaryFile(Self.twice, name: "b.ssa")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("keel-il-\(UUID().uuidString).s").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try KeelBinary.run(["il", "-o", out, a, b])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        let mainAt = try #require(text.range(of: "main:"))
        let twiceAt = try #require(text.range(of: "twice:"))
        #expect(mainAt.lowerBound < twiceAt.lowerBound, "functions keep the order of the files")
    }

    @Test func errorsHaveALocationAndNoOutput() throws {
        let path = try KeelBinary.temporaryFile("function w $f() {\n@start\n\t%x =w add 1\n\tret %x\n}\n")
        let r = try KeelBinary.run(["il", path])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("\(path):3:"))
        #expect(r.stderr.contains("error:"))
    }

    @Test func linkNamedQbeBehavesLikeKeelIl() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keel-qbe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent("qbe")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: KeelBinary.url)
        let target = try KeelBinary.run(executable: link, ["-t?"])
        #expect(target.status == 0)
        #expect(target.stdout == "amd64_sysv\n")
        let compiled = try KeelBinary.run(executable: link, [], stdin: Data((Self.main + Self.twice).utf8))
        #expect(compiled.status == 0, "\(compiled.stderr)")
        #expect(compiled.stdout.contains("twice:"))
    }
}
