import Foundation
import Testing
import KeelIR

/// Parser throughput on generated, typical IL. Runs only when
/// `KEEL_PARSER_BENCH` is set; build in release for a meaningful figure:
/// `KEEL_PARSER_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter ILParserBenchmark`
@Suite struct ILParserBenchmark {
    /// IL in the style front ends emit: loops with phis, loads, stores, calls, comparisons.
    static func generate(functions: Int) -> String {
        var s = "type :pair = { l, w }\ndata $fmt = { b \"%d\\n\", b 0 }\n\n"
        for f in 0..<functions {
            s += "export function w $f\(f)(l %p, w %n) {\n@start\n\t%i0 =w copy 0\n\t%acc0 =l copy 0\n\tjmp @loop\n"
            s += "@loop\n\t%i =w phi @start %i0, @body %i1\n\t%acc =l phi @start %acc0, @body %acc1\n"
            s += "\t%c =w csltw %i, %n\n\tjnz %c, @body, @done\n@body\n"
            for k in 0..<12 {
                s += "\t%o\(k) =l mul %i, \(8 * (k + 1))   # offset\n"
                s += "\t%a\(k) =l add %p, %o\(k)\n\t%v\(k) =l loadl %a\(k)\n\tstorel %v\(k), %a\(k)\n"
            }
            s += "\t%x =w call $g(l %acc, w %i, ...)\n\t%ext =l extsw %x\n\t%acc1 =l add %acc, %ext\n"
            s += "\t%i1 =w add %i, 1\n\tjmp @loop\n@done\n\t%r =w copy %acc\n\tret %r\n}\n\n"
        }
        return s
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["KEEL_PARSER_BENCH"] != nil))
    func throughput() throws {
        let text = Self.generate(functions: 15_000)
        let bytes = Array(text.utf8)
        let lines = bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        var best = Double.infinity
        var module = Module()
        for _ in 0..<5 {
            module = Module()
            let start = DispatchTime.now().uptimeNanoseconds
            try ILParser.parse(bytes, fileName: "bench.ssa", into: &module)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = min(best, elapsed)
        }
        #expect(module.functions.count == 15_000)
        let printStart = DispatchTime.now().uptimeNanoseconds
        let printed = ILPrinter.print(module)
        let printTime = Double(DispatchTime.now().uptimeNanoseconds - printStart) / 1e9
        if let dir = ProcessInfo.processInfo.environment["QBE_TEST_DIR"],
           let slow = FileManager.default.contents(atPath: dir + "/_slow.qbe") {
            let slowBytes = Array(slow)
            let slowLines = slowBytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            var slowBest = Double.infinity
            for _ in 0..<5 {
                var m = Module()
                let start = DispatchTime.now().uptimeNanoseconds
                try ILParser.parse(slowBytes, fileName: "_slow.qbe", into: &m)
                slowBest = min(slowBest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            print("parser on _slow.qbe: \(slowLines) lines in \(slowBest) s = \(Int(Double(slowLines) / slowBest)) lines/s")
        }
        print("parser: \(lines) lines, \(bytes.count) bytes in \(best) s = \(Int(Double(lines) / best)) lines/s, \(Int(Double(bytes.count) / best / 1e6)) MB/s; printer: \(printed.utf8.count) bytes in \(printTime) s")
    }
}
