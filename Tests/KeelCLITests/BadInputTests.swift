import KeelTestSupport
import Foundation
import Testing

/// Truncated and corrupted versions of valid programs, fed to the real `keel`
/// executable: every run must end with status 0 or 1 (never a signal, a
/// crash report or a hang), and every error line must be a located diagnostic.
@Suite struct BadInputTests {
    static func corpus() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        var files = [root.appendingPathComponent("examples/hello.ssa")]
        let programs = root.appendingPathComponent("Tests/Programs/il")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: programs.path)) ?? []
        files += names.filter { $0.hasSuffix(".ssa") }.sorted().prefix(12).map { programs.appendingPathComponent($0) }
        return try files.map { try String(contentsOf: $0, encoding: .utf8) }
    }

    /// Deterministic mutations: cut at a point, flip a byte, delete or duplicate a line.
    static func mutations(of text: String, count: Int, seed: UInt64) -> [Data] {
        var rng = SplitMix64(seed: seed)
        let bytes = Array(text.utf8)
        var out: [Data] = []
        let interesting: [UInt8] = Array("{}(),=%$@:\n\"-0123456789 wlsdrbh.".utf8) + [0, 0xff, 0xc3]
        for _ in 0..<count {
            var b = bytes
            switch rng.next() % 4 {
            case 0:
                b = Array(b.prefix(Int(rng.next() % UInt64(b.count + 1))))
            case 1:
                for _ in 0...(rng.next() % 3) where !b.isEmpty {
                    b[Int(rng.next() % UInt64(b.count))] = interesting[Int(rng.next() % UInt64(interesting.count))]
                }
            case 2:
                var lines = b.split(separator: 10, omittingEmptySubsequences: false)
                if !lines.isEmpty { lines.remove(at: Int(rng.next() % UInt64(lines.count))) }
                b = Array(lines.joined(separator: [10]))
            default:
                var lines = b.split(separator: 10, omittingEmptySubsequences: false)
                if !lines.isEmpty {
                    let i = Int(rng.next() % UInt64(lines.count))
                    lines.insert(lines[Int(rng.next() % UInt64(lines.count))], at: i)
                }
                b = Array(lines.joined(separator: [10]))
            }
            out.append(Data(b))
        }
        return out
    }

    @Test(arguments: ["check", "fmt"])
    func mutatedInputsGiveDiagnosticsNotCrashes(_ command: String) throws {
        let texts = try Self.corpus()
        #expect(texts.count >= 1)
        var seed: UInt64 = command == "check" ? 1 : 2
        for text in texts {
            for input in Self.mutations(of: text, count: 8, seed: seed) {
                seed &+= 1
                let r = try KeelBinary.run([command, "-"], stdin: input, timeout: 20)
                let shown = String(decoding: input.prefix(400), as: UTF8.self)
                #expect(r.status == 0 || r.status == 1, "status \(r.status) for input:\n\(shown)\nstderr: \(r.stderr)")
                for line in r.stderr.split(separator: "\n") {
                    let located = line.hasPrefix("-:") && (line.contains(": error: ") || line.contains(": warning: "))
                    #expect(located, "unexpected stderr line \(line) for input:\n\(shown)")
                }
            }
        }
    }
}
