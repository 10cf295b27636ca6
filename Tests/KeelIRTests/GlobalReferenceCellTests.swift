import Testing
@testable import KeelIR

/// Reference cells in data (`r` items, docs/il-extensions.md "Global
/// references"): parsed, printed back, their offsets computed, and a module
/// that has them counted as using the collector.
struct GlobalReferenceCellTests {
    @Test func cellsParsePrintAndReadBack() throws {
        let printed = try expectFixedPoint("data $roots = align 8 { r 0 9, l 7, r 0, w 1, w 2, r 1 }\n")
        #expect(printed.contains("data $roots = align 8 { r 0 9, l 7, r 0, w 1, w 2, r 1 }"))
        let m = try Module(parsing: "data $roots = align 8 { r 0 9, l 7, r 0, w 1, w 2, r 1 }")
        #expect(m.data[0].items[0] == .references([0, 9]))
        #expect(m.data[0].size == 48)
    }

    @Test func cellOffsetsCountEveryItemBefore() throws {
        let m = try Module(parsing: "data $m = align 8 { b \"abcdefgh\", r 0, z 8, r 0 0, s s_1, w 2, r 0 }")
        #expect(ManagedRuntime.referenceCells(of: m.data[0]) == [8, 24, 32, 48])
        let plain = try Module(parsing: "data $p = { l 1 }")
        #expect(ManagedRuntime.referenceCells(of: plain.data[0]).isEmpty)
    }

    @Test func aCellStartsAsZeroOrAnImmediate() {
        expectDiagnostic("data $g = { r 8 }", "a reference cell starts as 0 or an immediate (low three bits not all 0), not 8: the collector would trace it as an object", line: 1, column: 15)
        expectDiagnostic("data $g = { r $x }", "expected the initial value of a reference cell after 'r' (0 or an immediate), found '$x'", line: 1, column: 15)
        expectDiagnostic("data $g = { r \"ab\" }", "expected the initial value of a reference cell after 'r' (0 or an immediate), found string \"ab\"", line: 1, column: 15)
        expectDiagnostic("data $g = { r 0 1 d_1 }", "expected ',' or '}' after a data item, found 'd_1'", line: 1, column: 19)
    }

    @Test func cellsMakeAModuleUseTheCollector() throws {
        let withCells = try Module(parsing: "data $g = { r 0 }\nfunction $f() {\n@s\n\tcall $puts(l 0)\n\tret\n}")
        #expect(SafepointPolicy(module: withCells).managed)
        let plain = try Module(parsing: "data $g = { l 0 }\nfunction $f() {\n@s\n\tcall $puts(l 0)\n\tret\n}")
        #expect(!SafepointPolicy(module: plain).managed)
    }
}
