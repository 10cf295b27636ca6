import KeelIR
import Testing

@testable import KeelAnalysis

/// Operand and result classes of regular instructions.

@Test func wellTypedProgramHasNoErrors() throws {
    let il = """
    function l $f(l %p, w %n, d %x) {
    @start
    \t%a =w add %n, 1
    \t%b =l extsw %a
    \t%c =l add %p, %b
    \t%y =d add %x, d_1.5
    \t%z =d add %y, 2
    \t%w =w add %c, %a
    \tstorel %c, %p
    \tstored %y, %p
    \t%q =l add $g, 8
    \tret %q
    }
    """
    #expect(try verifyIL(il) == [])
}

@Test func operandClassMismatch() throws {
    let il = """
    function $f(w %a, l %p) {
    @start
    \t%b =d add %a, %a
    \t%c =l add %a, %p
    \t%d =w add %p, %a
    \tstores %a, %p
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:3:2: error: %a of class w used as first operand of add, which needs d",
        "t.ssa:3:2: error: %a of class w used as second operand of add, which needs d",
        "t.ssa:4:2: error: %a of class w used as first operand of add, which needs l",
        "t.ssa:6:2: error: %a of class w used as first operand of stores, which needs s",
    ])
}

@Test func invalidResultClass() throws {
    let il = """
    function $f() {
    @start
    \t%a =s udiv 1, 2
    \t%b =d ceqw 1, 2
    \t%c =w extsw 1
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:3:2: error: invalid class s for udiv",
        "t.ssa:4:2: error: invalid class d for ceqw",
        "t.ssa:5:2: error: invalid class w for extsw",
    ])
}

@Test func referenceClassRules() throws {
    // r may be used as l or w (address arithmetic), never made from an l.
    let il = """
    function r $f(r %o, l %p) {
    @start
    \t%a =l add %o, 8
    \t%f =r loadr %a
    \tstorer %f, %o
    \t%g =r copy %p
    \t%h =r add %o, %o
    \tret %f
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:6:2: error: %p of class l used as first operand of copy, which needs r",
        "t.ssa:7:2: error: invalid class r for add",
    ])
}

@Test func taggedImmediatesAreTheOnlyReferencesMadeFromIntegers() throws {
    // tagr makes an r of an l (its low bit set); its result must be r.
    let il = """
    function r $f(l %n, w %k) {
    @start
    \t%a =r tagr %n
    \t%b =r tagr 6
    \t%c =l tagr %n
    \t%d =r tagr %k
    \t%e =r tagr %a
    \tret %a
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:5:2: error: invalid class l for tagr",
        "t.ssa:6:2: error: %k of class w used as first operand of tagr, which needs l",
    ])
}

@Test func constantsAreUntypedButSymbolsAreAddresses() throws {
    let il = """
    function $f(l %p) {
    @start
    \t%a =d add s_1, 1
    \t%b =s add d_2, -1
    \t%c =w add $g, 1
    \t%d =d add $g, d_1
    \tstores $g, %p
    \tstorel $g, $h
    \t%e =r copy 0
    \t%f =r copy $g
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:6:2: error: symbol used as first operand of add, which needs d",
        "t.ssa:7:2: error: symbol used as first operand of stores, which needs s",
        "t.ssa:10:2: error: symbol used as first operand of copy, which needs r",
    ])
}

@Test func negativeAllocSize() throws {
    let il = """
    function $f(w %n) {
    @start
    \t%a =l alloc8 -8
    \t%b =l alloc4 %n
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:3:2: error: negative size -8 in alloc8",
        "t.ssa:4:2: error: %n of class w used as first operand of alloc4, which needs l",
    ])
}
