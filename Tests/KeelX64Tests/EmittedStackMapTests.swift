// Contract: the `keel_stackmaps` section the x86-64 writer emits for
// Tests/Programs/gc is what docs/stack-maps.md specifies and what the
// driver's allocation proved: every call that may collect is followed by
// its return-address label, and no other call is; each label has exactly
// one entry (`.long label - .`, `.short count, 0`, count offsets); each
// offset is a multiple of 8 inside the function's frame; and each entry
// lists exactly the frame cells of its safepoint's map in the allocation.
import Foundation
import KeelAnalysis
import KeelCodegen
import KeelDriver
import KeelIR
import KeelTestSupport
import Testing
@testable import KeelX64

@Suite struct EmittedStackMapTests {
    @Test func everySafepointHasOneExactEntry() throws {
        var entries = 0, offsets = 0
        let directory = ILPrograms.suite("gc")
        for name in ILPrograms.names(in: directory) {
            let text = try String(contentsOf: directory.appendingPathComponent(name + ".ssa"), encoding: .utf8)
            var module = try Module(parsing: text, fileName: name + ".ssa")
            _ = try FrontHalf.run(&module, upTo: .simplified, options: VerifierOptions(strictCallSignatures: false))
            let neverCollects = ManagedRuntime.neverCollectingSymbols(in: module)
            var generator = CodeGenerator(target: X64Target())
            let lines = String(decoding: try generator.compile(module), as: UTF8.self)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

            // The maps the allocation proved, per function in order: the cells' rbp offsets.
            var expected: [[Int32]] = []
            var frameSizes: [String: Int32] = [:]
            var prepare = CodeGenerator(target: X64Target())
            for f in module.functions {
                let c = try prepare.prepare(f, in: module, abi: SysVABI(module: module))
                frameSizes[c.selected.name] = c.frame.size
                for m in c.allocation.safepointMaps {
                    expected.append(Array(Set(m.slots.map { c.frame.spillOffsets[$0.int] })).sorted())
                }
            }

            // Code: which labels follow which calls.
            var labels: [String] = []
            var labelFunction: [String: String] = [:]
            var function = ""
            var inMaps = false
            var entryLines: [String] = []
            for (k, line) in lines.enumerated() {
                if line.hasPrefix("\t.section keel_stackmaps") { inMaps = true; continue }
                if line.hasPrefix("\t.section") || line.hasPrefix("\t.text") { inMaps = false }
                if inMaps { entryLines.append(line); continue }
                if line.hasPrefix("\t.type "), line.hasSuffix(", @function") {
                    function = String(line.dropFirst(7).dropLast(11))
                }
                if line.hasPrefix("\tcall ") {
                    let callee = String(line.dropFirst(6))
                    let id = module.symbols.names.firstIndex(of: callee)
                    let collects = callee.hasPrefix("*") || id.map { !neverCollects[$0] } ?? true
                    let next = k + 1 < lines.count ? lines[k + 1] : ""
                    #expect(next.hasPrefix(".Lsp") == collects, "\(name) $\(function): `\(line)` then `\(next)`")
                }
                if line.hasPrefix(".Lsp") {
                    #expect(lines[k - 1].hasPrefix("\tcall "), "\(name): \(line) does not follow a call")
                    let label = String(line.dropLast())
                    labels.append(label)
                    labelFunction[label] = function
                }
            }

            // Data: one entry per label, in order, with the proved cells.
            var k = 0, n = 0
            while k < entryLines.count {
                let line = entryLines[k]
                if line.isEmpty || line.hasPrefix("\t.p2align") { k += 1; continue }
                try #require(line.hasPrefix("\t.long .Lsp") && line.hasSuffix(" - ."), "\(name): \(line)")
                let label = String(line.dropFirst(7).dropLast(4))
                try #require(n < labels.count && labels[n] == label, "\(name): entry for \(label) out of order")
                let header = entryLines[k + 1].dropFirst(8).split(separator: ",").map {
                    Int($0.trimmingCharacters(in: .whitespaces))
                }
                try #require(entryLines[k + 1].hasPrefix("\t.short ") && header.count == 2 && header[1] == 0,
                             "\(name): \(entryLines[k + 1])")
                let count = header[0] ?? -1
                let cells = (0..<count).compactMap { j in Int32(entryLines[k + 2 + j].dropFirst(7)) }
                #expect(cells.count == count, "\(name): \(label) has \(count) slots")
                let frame = frameSizes[labelFunction[label] ?? ""] ?? 0
                for c in cells {
                    #expect(c % 8 == 0 && c < 0 && -c <= frame, "\(name): \(label) lists \(c) outside its frame of \(frame)")
                }
                #expect(n < expected.count && cells.sorted() == expected[n], "\(name): \(label) lists \(cells)")
                offsets += count
                n += 1
                k += 2 + count
            }
            #expect(n == labels.count && n == expected.count, "\(name): \(n) entries, \(labels.count) labels")
            entries += n
        }
        print("emitted stack maps: \(entries) entries, \(offsets) slots")
        #expect(entries > 200)
    }
}
