import KeelIR
import Testing

@testable import KeelAnalysis

/// Phis: exactly one argument per predecessor, of the phi's class.

@Test func phiArgumentsMatchPredecessors() throws {
    let il = """
    function w $f(w %c) {
    @start
    \tjnz %c, @a, @b
    @a
    \tjmp @join
    @b
    \tjmp @join
    @other
    \tjmp @join
    @join
    \t%x =w phi @a 1, @b 2, @other 3
    \t%y =w phi @a 1
    \t%z =w phi @a 1, @b 2, @start 3
    \t%u =w phi @a 1, @b 2, @a 3, @other 4
    \tret %x
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:12:2: error: phi %y has no argument for predecessor @b",
        "t.ssa:12:2: error: phi %y has no argument for predecessor @other",
        "t.ssa:13:2: error: phi %z has an argument for @start, which is not a predecessor",
        "t.ssa:13:2: error: phi %z has no argument for predecessor @other",
        "t.ssa:14:2: error: phi %u has more than one argument for @a",
    ])
}

@Test func phiOperandClass() throws {
    let il = """
    function l $f(w %c, l %p) {
    @start
    \tjnz %c, @a, @b
    @a
    \tjmp @join
    @b
    \tjmp @join
    @join
    \t%x =l phi @a %c, @b %p
    \t%y =w phi @a %c, @b %p
    \t%z =d phi @a $g, @b d_0
    \tret %x
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:9:2: error: %c of class w used as argument for @a of phi %x, which needs l",
        "t.ssa:11:2: error: symbol used as argument for @a of phi %z, which needs d",
    ])
}

@Test func phiArgumentsOfJnzWithEqualTargets() throws {
    // `jnz %c, @a, @a` is one edge: the phi names @start once.
    let il = """
    function w $f(w %c) {
    @start
    \tjnz %c, @a, @a
    @a
    \t%x =w phi @start 1
    \tret %x
    }
    """
    #expect(try verifyIL(il) == [])
}
