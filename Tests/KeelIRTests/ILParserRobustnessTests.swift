import KeelTestSupport
import Testing
@testable import KeelIR

/// Truncated and corrupted IL must end in a module or a positioned diagnostic,
/// never a crash or a hang; whatever parses must print to a fixed point.
@Suite struct ILParserRobustnessTests {
    static let samples: [[UInt8]] = [ILSamples.everything, ILSamples.loop].map { Array($0.utf8) }

    /// Parses `bytes`; on success checks the print fixed point. Returns whether it parsed.
    @discardableResult
    func check(_ bytes: [UInt8], _ what: @autoclosure () -> String) -> Bool {
        var m = Module()
        do {
            try ILParser.parse(bytes, fileName: "fuzz", into: &m)
        } catch {
            #expect(error.position.line >= 1, "\(what()): \(error)")
            #expect(error.position.column >= 1, "\(what()): \(error)")
            #expect(!error.message.isEmpty)
            return false
        }
        let printed = ILPrinter.print(m)
        do {
            let again = try Module(parsing: printed)
            #expect(ILPrinter.print(again) == printed, "\(what()): not a fixed point")
        } catch {
            Issue.record("\(what()): printed text does not parse: \(error)\n\(printed)")
        }
        return true
    }

    @Test func everyTruncation() {
        for (s, sample) in Self.samples.enumerated() {
            var parsed = 0
            for n in 0...sample.count where check(Array(sample[0..<n]), "sample \(s) cut at \(n)") {
                parsed += 1
            }
            // Cutting inside a definition must fail; only whole-definition prefixes may parse.
            #expect(parsed < sample.count / 4)
            #expect(check(sample, "sample \(s) whole"))
        }
    }

    @Test func randomCorruptions() {
        var rng = SplitMix64(seed: 0x5EED_CAFE)
        let interesting: [UInt8] = Array("%@$:,(){}=+-#\"\\ \t\n0123456789_.swldrbhz".utf8) + [0, 0x80, 0xFF, 13]
        var parsedCount = 0
        for round in 0..<3000 {
            var bytes = Self.samples[round % Self.samples.count]
            let edits = 1 + rng.below(4)
            for _ in 0..<edits {
                let at = rng.below(bytes.count)
                switch rng.below(5) {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes[at] = interesting[rng.below(interesting.count)]
                case 2: bytes.remove(at: at)
                case 3: bytes.insert(interesting[rng.below(interesting.count)], at: at)
                default:
                    // Duplicate a short chunk elsewhere (repeats labels, temps, definitions).
                    let len = min(1 + rng.below(40), bytes.count - at)
                    let chunk = Array(bytes[at..<(at + len)])
                    bytes.insert(contentsOf: chunk, at: rng.below(bytes.count))
                }
                if bytes.isEmpty { bytes = [10] }
            }
            if check(bytes, "corruption round \(round)") { parsedCount += 1 }
        }
        // Some corruptions (in comments, names, numbers) still parse; most do not.
        #expect(parsedCount > 0)
        #expect(parsedCount < 3000)
    }

    @Test func hostileInputs() {
        let cases: [[UInt8]] = [
            [], [0], [0xFF, 0xFE], Array(repeating: 10, count: 1000), Array("\"".utf8),
            Array("$\"".utf8), Array("data $x = { b \"\\".utf8), Array("s_".utf8), Array("d_-".utf8),
            Array(repeating: UInt8(ascii: "9"), count: 5000), Array(repeating: UInt8(ascii: "{"), count: 5000),
            Array("function $f() {\n@s\n\t%x =w add 1, 2".utf8),
            Array("type :t = { { { { w } } } }".utf8),
            Array("function $f(".utf8), Array("function $f() {\n@s\n\tcall $g(".utf8),
            Array("function $f() {\n@s\n\t%x =w phi @".utf8),
            Array(("data $x = { b " + String(repeating: "1 ", count: 10000) + "}").utf8),
        ]
        for (i, c) in cases.enumerated() { check(c, "hostile input \(i)") }
    }
}
