import Foundation
import Testing
@testable import KeelIR

/// Parses every `*.ssa` file (and `_slow.qbe`) of QBE's test directory, when
/// `QBE_TEST_DIR` names one, and checks that printing is a fixed point.
@Suite struct ILCorpusTests {
    static let directory = ProcessInfo.processInfo.environment["QBE_TEST_DIR"]

    @Test(.enabled(if: directory != nil, "set QBE_TEST_DIR to QBE's test directory"))
    func everyCorpusFileRoundTrips() throws {
        let dir = try #require(Self.directory)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".ssa") || $0.hasSuffix(".qbe") }
            .sorted()
        #expect(!names.isEmpty)
        var passed = 0
        for name in names {
            let path = dir + "/" + name
            let bytes = try #require(FileManager.default.contents(atPath: path))
            var module = Module()
            do {
                try ILParser.parse(Array(bytes), fileName: name, into: &module)
            } catch {
                Issue.record("\(error)")
                continue
            }
            let printed = ILPrinter.print(module)
            let again: Module
            do {
                again = try Module(parsing: printed, fileName: name + " (printed)")
            } catch {
                Issue.record("re-parse of printed \(name) failed: \(error)")
                continue
            }
            let reprinted = ILPrinter.print(again)
            #expect(reprinted == printed, "print is not a fixed point for \(name)")
            #expect(again.functions.count == module.functions.count)
            #expect(again.data.count == module.data.count)
            #expect(again.types.map(\.layout) == module.types.map(\.layout))
            #expect(again.types.map(\.size) == module.types.map(\.size))
            if reprinted == printed { passed += 1 }
        }
        print("QBE corpus: \(passed) of \(names.count) files parse and print to a fixed point")
        #expect(passed == names.count)
    }
}
