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

@Test func modulesOfSeveralFiles() throws {
    // Errors carry their own file; the same type defined twice under two
    // names is one ABI type; a call to a name defined twice is not compared
    // with either signature.
    var module = Module()
    try ILParser.parse(Array("""
    type :p = { l, l }
    function $take(:p %x) {
    @start
    \tret
    }
    function $twice(w %a) {
    @start
    \tret
    }
    """.utf8), fileName: "a.ssa", into: &module)
    try ILParser.parse(Array("""
    type :q = { l, l }
    type :r = { w, l }
    function $twice() {
    @start
    \t%z =w add 1, s_1
    \tcall $take(:q %z)
    \tcall $take(:r %z)
    \tcall $twice()
    \tret
    }
    """.utf8), fileName: "b.ssa", into: &module)
    #expect(Verifier.verify(module).map(\.description) == [
        "b.ssa:3:10: error: function $twice is already defined (first at a.ssa:6:10)",
        "b.ssa:6:2: error: %z of class w used as argument 1 of call, which needs l",
        "b.ssa:7:2: error: %z of class w used as argument 1 of call, which needs l",
        "b.ssa:7:2: error: argument 1 of call to $take has type :r, $take expects :p",
    ])
}

@Test func verifyingOneFunction() throws {
    let module = try Module(parsing: """
    function $f() {
    @start
    \tret
    }
    function $f() {
    @start
    \t%x =w add %y, 1
    \tret
    }
    """, fileName: "t.ssa")
    #expect(Verifier.errors(function: 0, in: module).isEmpty)
    let errors = Verifier.errors(function: 1, in: module)
    #expect(errors.map { $0.diagnostic(in: module).description } == [
        "t.ssa:7:2: error: %y used as first operand of add is never defined",
    ])
    #expect(Verifier.errors(function: 2, in: module).isEmpty)
}
