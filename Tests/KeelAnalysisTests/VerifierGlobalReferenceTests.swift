import KeelIR
import Testing

@testable import KeelAnalysis

/// The verifier's rules for reference cells in data (docs/il-extensions.md,
/// "Global references"): 8-byte aligned, never thread-local.

@Test func alignedCellsAreFine() throws {
    #expect(try verifyIL("data $g = align 8 { l 1, r 0, w 1, w 2, r 0 }\ndata $h = { r 0 }\n") == [])
}

@Test func aCellAtAnUnalignedOffsetIsAnError() throws {
    let il = "data $g = { w 1, r 0 }\n"
    #expect(try verifyIL(il) == [
        "t.ssa:1:6: error: the reference cell at byte 4 of data $g is not 8-byte aligned: the collector reads and updates it as one 8-byte word (align the definition to 8 and place r items at multiples of 8)",
    ])
    #expect(try verificationErrors(il) == [.referenceCellMisaligned(data: 0, offset: 4)])
}

@Test func aDefinitionAlignedBelowEightIsAnError() throws {
    #expect(try verificationErrors("data $g = align 4 { r 0 }\n") == [.referenceCellMisaligned(data: 0, offset: 0)])
}

@Test func threadLocalCellsAreAnError() throws {
    #expect(try verifyIL("thread data $g = { r 0 }\n") == [
        "t.ssa:1:13: error: thread-local data $g has reference cells: the collector scans one copy of each global reference, not every thread's",
    ])
}

@Test func storerThroughAnAddressComputedFromACellsSymbolIsAnError() throws {
    let il = """
    data $vector = align 8 { w 1263288665, w 2, w 0, w 0, l 0, l 0 }
    data $roots = align 8 { r 0, r 0 }
    function $f() {
    @start
    \t%o =r call $keel_alloc(l $vector, l 1)
    \t%a =l add $roots, 8
    \t%b =l copy %a
    \tstorer %o, %b
    \tstorer %o, $roots + 8
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:8:2: error: storer into a reference cell of $roots through a computed address: write the address as $roots + N in the storer itself; only a symbol address gets no card mark, and the card mark of any other address must be in the heap",
    ])
    #expect(try verificationErrors(il).count == 1)
}
