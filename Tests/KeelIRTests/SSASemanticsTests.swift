import Foundation
import KeelAnalysis
import KeelInterp
import KeelTestSupport
import Testing
@testable import KeelIR

/// constructSSA must not change what a program does: checked with the
/// reference interpreter, which runs non-SSA IL (temporaries are registers).
@Suite struct SSASemanticsTests {
    static let programs = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Programs/il")

    static func programNames() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: programs.path)) ?? []
        return files.filter { $0.hasSuffix(".ssa") }.map { String($0.dropLast(4)) }.sorted()
    }

    private func run(_ m: Module, _ name: String, stepLimit: Int) throws -> (String, String) {
        var interp = try Interpreter(module: m)
        interp.stepLimit = stepLimit
        var out: [UInt8] = []
        var outcome: String
        do {
            outcome = "status \(try interp.run(arguments: [name], output: &out))"
        } catch {
            outcome = "error \(error)"
        }
        return (String(decoding: out, as: UTF8.self), outcome)
    }

    /// Every program of the interpreter's suite still prints and returns the
    /// same after constructSSA, and is strict SSA.
    @Test(arguments: SSASemanticsTests.programNames())
    func programSuite(_ name: String) throws {
        let source = try String(contentsOf: Self.programs.appendingPathComponent(name + ".ssa"), encoding: .utf8)
        let before = try Module(parsing: source, fileName: name + ".ssa")
        var after = before
        #expect(constructSSA(&after).isEmpty)
        for f in after.functions {
            #expect(strictSSAProblems(f).isEmpty, "\(name) $\(after.name(f.name)): \(strictSSAProblems(f))")
        }
        // The verifier (with its own dominator tree) agrees the output is SSA.
        let verdict = Verifier.verify(after, options: VerifierOptions(requireSSA: true))
        #expect(verdict.isEmpty, "\(name): \(verdict)")
        let a = try run(before, name, stepLimit: 100_000_000)
        let b = try run(after, name, stepLimit: 100_000_000)
        #expect(a == b, "\(name)")
    }

    /// Random non-SSA functions with calls to printf; every block passes a
    /// guard that counts fuel down, so each run ends.
    @Test func randomProgramsPrintTheSame() throws {
        var g = SplitMix64(seed: 2026)
        var changed = 0
        for round in 0..<150 {
            let text = randomModule(&g)
            let before = try Module(parsing: text, fileName: "random\(round).ssa")
            var after = before
            #expect(constructSSA(&after).isEmpty)
            for f in after.functions {
                #expect(strictSSAProblems(f).isEmpty, "round \(round): \(strictSSAProblems(f))\n\(text)")
            }
            if after != before { changed += 1 }
            #expect(!Verifier.verify(before).isEmpty, "round \(round): the input is not SSA")
            let verdict = Verifier.verify(after)
            #expect(verdict.isEmpty, "round \(round): \(verdict)\n\(ILPrinter.print(after))")
            let a = try run(before, "r", stepLimit: 1_000_000)
            let b = try run(after, "r", stepLimit: 1_000_000)
            #expect(a == b, "round \(round)\n\(text)\n\(ILPrinter.print(after))")
            #expect(a.1.hasPrefix("status"), "round \(round): \(a.1)")
        }
        #expect(changed == 150)
    }

    private func randomModule(_ g: inout SplitMix64) -> String {
        let n = Int.random(in: 2...9, using: &g)
        let vars = Int.random(in: 2...5, using: &g)
        func v() -> String { "%v\(Int.random(in: 0..<vars, using: &g))" }
        func operand() -> String {
            Int.random(in: 0..<4, using: &g) == 0 ? "\(Int.random(in: -5...20, using: &g))" : v()
        }
        let ops = ["add", "sub", "mul", "and", "or", "xor", "csltw", "ceqw", "cnew", "shl", "sar"]
        var s = "data $fmt = { b \"%d\\n\", b 0 }\n"
        s += "function w $f(w %v0, w %v1) {\n@start\n\t%fuel =w copy 60\n"
        // Every variable gets two or more definitions (a single one is not
        // renamed and could leave a use it does not dominate, which is not SSA
        // construction's business): parameters and initialized variables one
        // more in @start, the others two at the start of random blocks, so
        // that some paths read them undefined.
        var extra = Array(repeating: [String](), count: n)
        for k in 0..<vars {
            if k < 2 || Bool.random(using: &g) {
                s += (k < 2 ? "" : "\t%v\(k) =w copy \(k)\n") + "\t%v\(k) =w add %v\(k), 1\n"
            } else {
                for _ in 0..<2 { extra[Int.random(in: 0..<n, using: &g)].append("\t%v\(k) =w copy \(10 * k)\n") }
            }
        }
        for b in 0..<n {
            if b > 0 {
                // The guard: the only way into block b.
                s += "@g\(b)\n\t%fuel =w sub %fuel, 1\n\tjnz %fuel, @b\(b), @out\n@b\(b)\n"
            }
            s += extra[b].joined()
            for _ in 0..<Int.random(in: 1...5, using: &g) {
                switch Int.random(in: 0..<8, using: &g) {
                case 0: s += "\tcall $printf(l $fmt, ..., w \(v()))\n"
                case 1: s += "\t\(v()) =w copy \(operand())\n"
                default:
                    let op = ops.randomElement(using: &g)!
                    let rhs = op == "shl" || op == "sar" ? "\(Int.random(in: 0...31, using: &g))" : operand()
                    s += "\t\(v()) =w \(op) \(operand()), \(rhs)\n"
                }
            }
            let target = { (g: inout SplitMix64) in n > 1 ? "@g\(Int.random(in: 1..<n, using: &g))" : "@out" }
            switch Int.random(in: 0..<6, using: &g) {
            case 0: s += "\tret \(operand())\n"
            case 1, 2: s += "\tjmp \(target(&g))\n"
            default: s += "\tjnz \(v()), \(target(&g)), \(target(&g))\n"
            }
        }
        s += "@out\n\tret \(v())\n}\n"
        s += "export function w $main() {\n@start\n"
        for (k, (a, b)) in [(0, 0), (1, 2), (7, -3), (100, 5)].enumerated() {
            s += "\t%r\(k) =w call $f(w \(a), w \(b))\n\tcall $printf(l $fmt, ..., w %r\(k))\n"
        }
        s += "\tret 0\n}\n"
        return s
    }
}
