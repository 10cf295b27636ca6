import KeelIR
import Testing

@testable import KeelAnalysis

/// Module-level checks: duplicate names and, with `knownExternals`, undefined symbols.

@Test func duplicateDefinitions() throws {
    let il = """
    function $f() {
    @start
    \tret
    }
    data $d = { w 1 }
    function $f() {
    @start
    \tret
    }
    data $f = { w 2 }
    function $d() {
    @start
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:6:10: error: function $f is already defined (first at 1:10)",
        "t.ssa:10:6: error: data $f is already defined (first at 1:10)",
        "t.ssa:11:10: error: function $d is already defined (first at 5:6)",
    ])
}

@Test func undefinedSymbolsWithKnownExternals() throws {
    let il = """
    data $tab = { l $f, l $missing, l $puts }
    function $f() {
    @start
    \tcall $puts(l $tab)
    \tcall $nowhere(l $gone)
    \tret
    }
    """
    #expect(try verifyIL(il) == [])
    let options = VerifierOptions(knownExternals: ["puts"])
    #expect(try verifyIL(il, options) == [
        "t.ssa:1:6: error: undefined symbol $missing in data $tab",
        "t.ssa:5:2: error: undefined symbol $nowhere in callee of call",
        "t.ssa:5:2: error: undefined symbol $gone in argument 1 of call",
    ])
}
