import KeelIR
import KeelOpt
import KeelTestSupport
import Testing

@Suite struct LoadEliminationTests {
    func eliminated(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (before: Module, after: Module) {
        try PassTesting.run(text, { eliminateLoads(&$0) }, sourceLocation: sourceLocation)
    }

    @Test func reloadInADominatedSinglePredecessorBlockIsACopy() throws {
        // while (n) { if (k == n->key) ...; n = k < n->key ? ... }: the key is read once.
        let r = try eliminated("""
            function w $f(l %n, w %k) {
            @start
                %a =w loadw %n
                %c =w ceqw %k, %a
                jnz %c, @yes, @no
            @yes
                ret 1
            @no
                %q =l copy %n
                %b =w loadw %q
                %d =w cultw %k, %b
                ret %d
            }
            """)
        #expect(PassTesting.body(r.after).contains("%b =w copy %a"))
    }

    /// `prev[j] > cur[j-1] ? prev[j] : cur[j-1]`: each arm recomputes the
    /// address it reloads; equal arithmetic on equal operands is the same
    /// address, so both reloads are copies (and the diamond a select). A
    /// different index or a float computation is no match.
    @Test func addressesComputedAlikeMatch() throws {
        let r = try eliminated("""
            function w $f(l %prev, l %cur, w %j, d %x) {
            @start
                %e1 =l extsw %j
                %o1 =l mul %e1, 4
                %a1 =l add %prev, %o1
                %v1 =w loadsw %a1
                %jm =w sub %j, 1
                %e2 =l extsw %jm
                %o2 =l mul 4, %e2
                %a2 =l add %cur, %o2
                %v2 =w loadsw %a2
                %c =w csgtw %v1, %v2
                jnz %c, @left, @right
            @left
                %e3 =l extsw %j
                %o3 =l mul %e3, 4
                %a3 =l add %o3, %prev
                %v3 =w loadsw %a3
                %e5 =l extsw %jm
                %a5 =l add %prev, %e5
                %v5 =w loadsw %a5
                %s =w add %v3, %v5
                ret %s
            @right
                %j4 =w sub %j, 1
                %e4 =l extsw %j4
                %o4 =l mul %e4, 4
                %a4 =l add %cur, %o4
                %v4 =w loadsw %a4
                %y =l dtosi %x
                %z =l dtosi %x
                %a6 =l add %cur, %y
                %v6 =w loadsw %a6
                %a7 =l add %cur, %z
                %v7 =w loadsw %a7
                %t =w add %v4, %v6
                %u =w add %t, %v7
                ret %u
            }
            """)
        let body = PassTesting.body(r.after)
        #expect(body.contains("%v3 =w copy %v1"))
        #expect(body.contains("%v4 =w copy %v2"))
        #expect(body.contains("%v5 =w loadsw %a5"))
        #expect(body.contains("%v7 =w loadsw %a7"))
    }

    @Test func storedValueIsForwardedInItsClass() throws {
        let r = try eliminated("""
            function l $f(l %p, l %x, l %q) {
            @start
                storel %x, %p
                %a =l loadl %p
                storew %x, %q
                %b =w loaduw %q
                %c =l loadsw %q
                %e =l extuw %b
                %s =l add %a, %e
                %t =l add %s, %c
                ret %t
            }
            """)
        let body = PassTesting.body(r.after)
        #expect(body.contains("%a =l copy %x"))
        // A word load reads the stored long's low word: a truncating copy.
        #expect(body.contains("%b =w copy %x"))
        // A sign-extending load to a long is not the stored value: it stays.
        #expect(body.contains("%c =l loadsw %q"))
    }

    @Test func writesAndJoinsForgetWhatIsKnown() throws {
        let r = try eliminated("""
            function w $f(l %p, l %q, w %x) {
            @start
                %a =w loadw %p
                storew %x, %q
                %b =w loadw %p
                %c =w call $g()
                %d =w loadw %p
                jnz %x, @l, @r
            @l
                jmp @join
            @r
                jmp @join
            @join
                %e =w loadw %p
                %f =w loadub %p
                %g =w loadub %p
                %s =w add %a, %b
                %t =w add %s, %d
                %u =w add %t, %e
                %v =w add %u, %f
                %w =w add %v, %g
                ret %w
            }
            """)
        let body = PassTesting.body(r.after)
        // A store may write %p (no alias analysis), a call may too; a join has two predecessors.
        for load in ["%b =w loadsw %p", "%d =w loadsw %p", "%e =w loadsw %p", "%f =w loadub %p"] {
            #expect(body.contains(load), "\(load)")
        }
        // A narrower load of the same address is another value; the same one again is not.
        #expect(body.contains("%g =w copy %f"))
    }

    @Test func referencesAreLeftAlone() throws {
        let r = try eliminated("""
            function r $f(l %p, r %o) {
            @start
                %a =r loadr %p
                %b =r loadr %p
                storer %o, %p
                %c =r loadr %p
                ret %c
            }
            """)
        #expect(r.after == r.before)
    }

    @Test(arguments: ILPrograms.names())
    func suiteProgramsInterpretTheSame(_ name: String) throws {
        try PassTesting.checkSuiteProgram(name) { eliminateLoads(&$0) }
    }
}
