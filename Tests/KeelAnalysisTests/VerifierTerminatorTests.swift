import KeelIR
import Testing

@testable import KeelAnalysis

/// Terminators: returns match the function's return type, jnz branches on an
/// integer, no jump reaches the entry block.

@Test func returnValueRequiredWhenFunctionReturns() throws {
    // (The parser already rejects `ret VALUE` in a function without return
    // type; VerifierAPITests covers that case.)
    let il = """
    type :t = { w }
    function w $f() {
    @start
    \tret
    }
    function :t $g() {
    @start
    \tret
    }
    """
    // QBE accepts a missing value (C compilers emit it after calls that do
    // not return); `requireReturnValue` makes it an error.
    #expect(try verifyIL(il) == [])
    #expect(try verifyIL(il, VerifierOptions(requireReturnValue: true)) == [
        "t.ssa:4:2: error: ret needs a value of type w in $f",
        "t.ssa:8:2: error: ret needs a value of type :t in $g",
    ])
}

@Test func returnValueClass() throws {
    let il = """
    function w $f(d %x, l %y) {
    @start
    \tjnz 1, @a, @b
    @a
    \tret %x
    @b
    \tret %y
    }
    function d $g(w %x) {
    @start
    \tret %x
    }
    function l $h() {
    @start
    \tret $h
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:5:2: error: %x of class d used as return value, which needs w",
        "t.ssa:11:2: error: %x of class w used as return value, which needs d",
    ])
}

@Test func jnzConditionMustBeAnInteger() throws {
    let il = """
    function $f(s %x, l %y, r %z) {
    @start
    \tjnz %x, @a, @b
    @a
    \tjnz %y, @b, @c
    @b
    \tjnz %z, @c, @c
    @c
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:3:2: error: %x of class s used as jnz condition, which needs w",
    ])
}
