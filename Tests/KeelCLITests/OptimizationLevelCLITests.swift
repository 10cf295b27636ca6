import Foundation
import KeelTestSupport
import Testing

/// `-O0`/`-O1`/`-O2` on `keel il` (both the fast path and ArgumentParser's)
/// and `keel opt`, whose output must be IL that means what its input meant.
@Suite struct OptimizationLevelCLITests {
    /// A local in a slot: -O1 and up promote it, -O0 keeps it in memory.
    static let local = """
        export function w $main() {
        @start
        \t%x =l alloc4 4
        \tstorew 41, %x
        \t%v =w loadw %x
        \t%w =w add %v, 1
        \tret %w
        }

        """

    /// The steps `--stats` names, for each level, whichever path reads the
    /// command line: the fast path, or ArgumentParser (which a `--` before
    /// the file sends it to).
    @Test(arguments: [("-O0", ["ssa", "verify", "dce", "lower-abi"]),
                      ("-O1", ["ssa", "verify", "split", "promote", "sccp", "algebra", "cfg", "loads", "copyprop", "dce", "lower-abi"]),
                      ("-O2", ["ssa", "verify", "inline", "split", "promote", "sccp", "algebra", "cfg", "loads", "copyprop", "licm", "ivsr", "rotate", "dce", "lower-abi"]),
                      ("", ["ssa", "verify", "inline", "split", "promote", "sccp", "algebra", "cfg", "loads", "copyprop", "licm", "ivsr", "rotate", "dce", "lower-abi"])])
    func levelChoosesThePasses(_ flag: String, _ expected: [String]) throws {
        let file = try KeelBinary.temporaryFile(Self.local)
        let known = ["ssa", "verify", "inline", "split", "promote", "sccp", "algebra", "cfg", "loads", "copyprop", "licm", "ivsr", "rotate", "dce", "lower-abi"]
        let level = flag.isEmpty ? [] : [flag]
        for args in [["il", "--stats"] + level + [file, "-o", "/dev/null"],
                     ["il", "--stats", "-o", "/dev/null"] + level + ["--", file]] {
            let r = try KeelBinary.run(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            let steps = r.stderr.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            #expect(steps.filter { known.contains($0) } == expected, "\(args): \(r.stderr)")
        }
    }

    /// The last level given counts, on the fast path and through ArgumentParser alike.
    @Test func lastLevelCounts() throws {
        let file = try KeelBinary.temporaryFile(Self.local)
        for args in [["il", "-O2", "-O0", "--stats", file, "-o", "/dev/null"],
                     ["il", "-O2", "-O0", "--stats", "-o", "/dev/null", "--", file]] {
            let r = try KeelBinary.run(args)
            #expect(r.status == 0)
            #expect(!r.stderr.contains("promote"), "\(args)")
        }
        let kept = try KeelBinary.run(["opt", "-O2", "-O0", file])
        #expect(kept.status == 0)
        #expect(kept.stdout.contains("alloc4"), "\(kept.stdout)")
        let promoted = try KeelBinary.run(["opt", "-O0", "-O1", file])
        #expect(!promoted.stdout.contains("alloc4"), "\(promoted.stdout)")
    }

    /// The same assembly whether the fast path or ArgumentParser read the command line.
    @Test func bothPathsAgree() throws {
        let file = try KeelBinary.temporaryFile(Self.local)
        for level in ["-O0", "-O1", "-O2"] {
            let fast = try KeelBinary.run(["il", level, file])
            let parsed = try KeelBinary.run(["il", level, "--", file])
            #expect(fast.status == 0 && parsed.status == 0)
            #expect(fast.stdout == parsed.stdout, "\(level)")
        }
        #expect(try KeelBinary.run(["il", "-O0", file]).stdout != KeelBinary.run(["il", "-O2", file]).stdout)
    }

    @Test func unknownLevelIsAClearError() throws {
        let file = try KeelBinary.temporaryFile(Self.local)
        for command in ["il", "opt"] {
            let r = try KeelBinary.run([command, "-O3", file])
            #expect(r.status != 0 && r.signal == nil, "\(command): \(r.status)")
            #expect(r.stderr.contains("-O3"), "\(command): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }

    @Test func helpDescribesEachLevel() throws {
        for command in ["il", "opt"] {
            let r = try KeelBinary.run([command, "--help"])
            #expect(r.status == 0)
            for flag in ["-O0", "-O1", "-O2"] { #expect(r.stdout.contains(flag), "\(command)") }
            #expect(r.stdout.contains("promote") && r.stdout.contains("dce"), "\(command)")
        }
    }

    @Test func optReportsErrorsAtTheirPosition() throws {
        let file = try KeelBinary.temporaryFile("export function w $main() {\n@start\n\tret %nope\n}\n")
        let r = try KeelBinary.run(["opt", file])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error:"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let missing = try KeelBinary.run(["opt", "/nonexistent/x.ssa"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/x.ssa"))
    }

    @Test func optReadsStandardInputAndWritesAFile() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("keel-opt-\(UUID().uuidString).ssa")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try KeelBinary.run(["opt", "-o", out.path], stdin: Data(Self.local.utf8))
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOf: out, encoding: .utf8)
        #expect(text.contains("$main") && !text.contains("alloc4"), "\(text)")
    }

    /// `keel opt`'s output, for every program of the IL suite at -O2: `keel
    /// interp` of it prints and returns what `keel interp` of the input does.
    @Test(arguments: ILPrograms.names())
    func optOutputRunsTheSame(_ name: String) throws {
        let input = ILPrograms.directory.appendingPathComponent(name + ".ssa").path
        let output = try KeelBinary.temporaryFile("", name: name + ".ssa")
        let opt = try KeelBinary.run(["opt", "-O2", input, "-o", output])
        #expect(opt.status == 0, "\(opt.stderr)")
        let before = try KeelBinary.run(["interp", input])
        let after = try KeelBinary.run(["interp", output])
        #expect(after.stdout == before.stdout, "\(name)")
        #expect(after.status == before.status, "\(name): \(after.stderr)")
        // Positions in run-time errors differ (the text is reprinted); whether there is one may not.
        #expect(after.stderr.isEmpty == before.stderr.isEmpty, "\(name): \(after.stderr)")
    }
}
