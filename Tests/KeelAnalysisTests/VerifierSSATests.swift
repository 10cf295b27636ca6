import KeelIR
import Testing

@testable import KeelAnalysis

/// SSA: every temporary used is defined, once, by a definition that dominates the use.

@Test func useNotDominatedAcrossBlocks() throws {
    let il = """
    function w $f(w %c) {
    @start
    \tjnz %c, @a, @b
    @a
    \t%x =w add %c, 1
    \tjmp @join
    @b
    \tjmp @join
    @join
    \t%y =w add %x, 1
    \tret %y
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:10:2: error: %x used as first operand of add is not dominated by its definition (defined 5:2)",
    ])
}

@Test func useBeforeDefinitionInTheSameBlock() throws {
    let il = """
    function w $f() {
    @start
    \t%y =w add %x, 1
    \t%x =w add 2, 3
    \t%z =w add %z, 1
    \tret %y
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:3:2: error: %x used as first operand of add is not dominated by its definition (defined 4:2)",
        "t.ssa:5:2: error: %z used as first operand of add is not dominated by its definition (defined 5:2)",
    ])
}

@Test func phiArgumentsAreUsedAtTheEndOfTheirPredecessor() throws {
    // Loop: %i1 is defined in @body and flows back; %j in @body does not
    // dominate the edge from @start.
    let il = """
    function w $f(w %n) {
    @start
    \tjmp @loop
    @loop
    \t%i =w phi @start 0, @body %i1
    \t%k =w phi @start %j, @body %j
    \tjnz %i, @body, @end
    @body
    \t%i1 =w sub %i, 1
    \t%j =w add %i1, 1
    \tjmp @loop
    @end
    \tret %i
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:6:2: error: %j used as argument for @start of phi %k is not dominated by its definition (defined 10:2)",
    ])
}

@Test func multipleDefinitions() throws {
    let il = """
    function w $f(w %a) {
    @start
    \t%x =w add %a, 1
    \t%x =w add %a, 2
    \t%a =w copy 3
    \tret %x
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:4:2: error: %x is defined more than once (first at 3:2)",
        "t.ssa:5:2: error: %a is defined more than once (first at 1:15)",
    ])
}

@Test func temporaryNeverDefined() throws {
    let il = """
    function w $f() {
    @start
    \t%y =w add %x, 1
    \tjnz %u, @a, @a
    @a
    \tret %v
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:3:2: error: %x used as first operand of add is never defined",
        "t.ssa:4:2: error: %u used as jnz condition is never defined",
        "t.ssa:6:2: error: %v used as return value is never defined",
    ])
}

@Test func nonSSAModeAllowsRedefinitionButNotClassChanges() throws {
    func il(_ lastClass: String) -> String {
        """
        function w $f(w %n) {
        @start
        \t%s =w copy 0
        \tjmp @loop
        @loop
        \t%s =w add %s, %n
        \t%n =w sub %n, 1
        \tjnz %n, @loop, @end
        @end
        \t%s =\(lastClass) copy 1
        \tret 0
        }
        """
    }
    #expect(try verifyIL(il("d"), VerifierOptions(requireSSA: false)) == [
        "t.ssa:10:2: error: %s is defined with class d here and w (at 3:2)",
    ])
    // w and l merge to w, as in QBE.
    #expect(try verifyIL(il("l"), VerifierOptions(requireSSA: false)) == [])
    #expect(try verifyIL(il("d")).count == 3)
}

@Test func unreachableBlocksAreTypedButNotDominanceChecked() throws {
    let il = """
    function w $f() {
    @start
    \tret 0
    @dead
    \t%x =w add %y, 1
    \tjmp @dead2
    @dead2
    \t%y =w add %x, 1
    \t%z =d add %x, 1
    \t%u =w add %v, 1
    \t%v =w add %u, 1
    \tjmp @dead
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:9:2: error: %x of class w used as first operand of add, which needs d",
    ])
}

@Test func definitionInUnreachableBlockDoesNotDominate() throws {
    let il = """
    function w $f() {
    @start
    \tjmp @live
    @dead
    \t%x =w copy 1
    \tjmp @live
    @live
    \tret %x
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:8:2: error: %x used as return value is not dominated by its definition (defined 5:2)",
    ])
}
