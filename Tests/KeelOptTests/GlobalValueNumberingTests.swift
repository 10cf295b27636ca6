import KeelIR
import KeelOpt
import KeelTestSupport
import Testing

@Suite struct GlobalValueNumberingTests {
    func numbered(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (before: Module, after: Module) {
        try PassTesting.run(text, { numberValues(&$0) }, sourceLocation: sourceLocation)
    }

    /// Within a block everything pure merges; from a dominating block only
    /// what costs more than a register held across blocks.
    @Test func dominatedRepeatsReadTheFirstResult() throws {
        let r = try numbered("""
            function l $f(l %a, w %i, w %c, d %x) {
            @start
                %e =l extsw %i
                %e2 =l extsw %i
                %m =w mul %i, %c
                %q =d mul %x, %x
                %s =l add %e, %e2
                jnz %c, @then, @join
            @then
                %e3 =l extsw %i
                %m2 =w mul %c, %i
                %q2 =d mul %x, %x
                %d1 =w div %i, %c
                %z =l add %e3, 1
                storel %z, %a
                storew %m2, %a
                stored %q2, %a
                jmp @join
            @join
                %d =w div %i, %c
                %d2 =w div %i, %c
                %r =w add %d, %d2
                %rl =l extsw %r
                %t =l add %s, %rl
                ret %t
            }
            """)
        #expect(PassTesting.body(r.after) == """
            @start
            %e =l extsw %i
            %m =w mul %i, %c
            %q =d mul %x, %x
            %s =l add %e, %e
            jnz %c, @then, @join
            @then
            %e3 =l extsw %i
            %d1 =w div %i, %c
            %z =l add %e3, 1
            storel %z, %a
            storew %m, %a
            stored %q, %a
            jmp @join
            @join
            %d =w div %i, %c
            %r =w add %d, %d
            %rl =l extsw %r
            %t =l add %s, %rl
            ret %t
            """)
    }

    @Test func siblingsAndMemoryAreNotMerged() throws {
        let r = try numbered("""
            function w $f(l %p, w %c, r %ref) {
            @start
                %v =w loadw %p
                storew 1, %p
                %u =w loadw %p
                %g =l add %ref, 8
                %h =l add %ref, 8
                %k =w call $g()
                %m =w call $g()
                jnz %c, @a, @b
            @a
                %x =w add %v, 1
                ret %x
            @b
                %y =w add %v, 1
                %s =w add %u, %y
                %t =w add %s, %k
                %z =w add %t, %m
                ret %z
            }
            """)
        #expect(r.after == r.before, "\(PassTesting.body(r.after))")
    }

    @Test func commutedOperandsMatchForIntegersOnly() throws {
        let r = try numbered("""
            function d $f(w %a, w %b, d %x, d %y) {
            @start
                %i =w add %a, %b
                %j =w add %b, %a
                %k =w ceqd %x, %y
                %l =w ceqd %y, %x
                %u =d add %x, %y
                %v =d add %y, %x
                %s =w add %i, %j
                %t =w add %k, %l
                %m =d mul %u, %v
                ret %m
            }
            """)
        // Two NaN operands give the first one's payload: float order stays.
        #expect(PassTesting.body(r.after) == """
            @start
            %i =w add %a, %b
            %k =w ceqd %x, %y
            %u =d add %x, %y
            %v =d add %y, %x
            %s =w add %i, %i
            %t =w add %k, %k
            %m =d mul %u, %v
            ret %m
            """)
    }

    @Test func loopBodiesReuseWhatTheHeaderComputed() throws {
        let r = try numbered("""
            export function w $main() {
            @start
                jmp @loop
            @loop
                %i =w phi @start 0, @body %i1
                %s =w phi @start 0, @body %s1
                %sq =w mul %i, %i
                %c =w csltw %sq, 50
                jnz %c, @body, @done
            @body
                %sq2 =w mul %i, %i
                %s1 =w add %s, %sq2
                %i1 =w add %i, 1
                jmp @loop
            @done
                ret %s
            }
            """)
        #expect(PassTesting.body(r.after).contains("%s1 =w add %s, %sq"))
        #expect(try interpretedOutcome(r.after) == ["", "status 140"])
    }

    @Test(arguments: ILPrograms.names())
    func programSuiteRunsTheSame(_ name: String) throws {
        try PassTesting.checkSuiteProgram(name) { numberValues(&$0) }
    }
}
