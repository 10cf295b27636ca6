import KeelIR
import KeelOpt
import KeelTestSupport
import Testing

@Suite struct LoopInvariantCodeMotionTests {
    func hoisted(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (before: Module, after: Module) {
        try PassTesting.run(text, { hoistLoopInvariants(&$0) }, sourceLocation: sourceLocation)
    }

    /// `i * n` leaves the inner loop, then the middle one (its preheader is
    /// in the middle loop), and is computed once where it was written twice.
    @Test func invariantsClimbToTheOutermostLoopTheyDependOn() throws {
        let r = try hoisted("""
            export function w $main() {
            @start
                %n =w copy 7
                jmp @outer
            @outer
                %i =w phi @start 0, @outernext %i1
                %s =w phi @start 0, @outernext %s2
                %ci =w csltw %i, %n
                jnz %ci, @outerbody, @done
            @outerbody
                jmp @inner
            @inner
                %k =w phi @outerbody 0, @innerbody %k1
                %s2 =w phi @outerbody %s, @innerbody %s1
                %ck =w csltw %k, %n
                jnz %ck, @innerbody, @outernext
            @innerbody
                %in =w mul %i, %n
                %x =w add %in, %k
                %in2 =w mul %n, %i
                %y =w add %x, %in2
                %s1 =w add %s2, %y
                %k1 =w add %k, 1
                jmp @inner
            @outernext
                %i1 =w add %i, 1
                jmp @outer
            @done
                ret %s
            }
            """)
        #expect(PassTesting.body(r.after) == """
            @start
            %n =w copy 7
            jmp @outer
            @outer
            %i =w phi @start 0, @outernext %i1
            %s =w phi @start 0, @outernext %s2
            %ci =w csltw %i, %n
            jnz %ci, @outerbody, @done
            @outerbody
            %in =w mul %i, %n
            jmp @inner
            @inner
            %k =w phi @outerbody 0, @innerbody %k1
            %s2 =w phi @outerbody %s, @innerbody %s1
            %ck =w csltw %k, %n
            jnz %ck, @innerbody, @outernext
            @innerbody
            %x =w add %in, %k
            %y =w add %x, %in
            %s1 =w add %s2, %y
            %k1 =w add %k, 1
            jmp @inner
            @outernext
            %i1 =w add %i, 1
            jmp @outer
            @done
            ret %s
            """)
        #expect(try interpretedOutcome(r.after) == interpretedOutcome(r.before))
    }

    /// `%y2` merges into `%y1` in the inner preheader, which then merges
    /// into `%x` in the outer one: `%y2`'s use must read the survivor.
    @Test func mergesChainAcrossPreheaders() throws {
        let r = try hoisted("""
            export function w $main() {
            @start
                %a =w copy 3
                jmp @outer
            @outer
                %i =w phi @start 0, @outernext %i1
                %s =w phi @start 0, @outernext %s2
                %x =w mul %a, %a
                %ci =w csltw %i, %x
                jnz %ci, @outerbody, @done
            @outerbody
                jmp @inner
            @inner
                %k =w phi @outerbody 0, @innerbody %k1
                %s2 =w phi @outerbody %s, @innerbody %s1
                %ck =w csltw %k, 4
                jnz %ck, @innerbody, @outernext
            @innerbody
                %y1 =w mul %a, %a
                %y2 =w mul %a, %a
                %t =w add %y1, %y2
                %s1 =w add %s2, %t
                %k1 =w add %k, 1
                jmp @inner
            @outernext
                %i1 =w add %i, 1
                jmp @outer
            @done
                ret %s
            }
            """)
        let body = PassTesting.body(r.after)
        #expect(body.contains("@start\n%a =w copy 3\n%x =w mul %a, %a\n%t =w add %x, %x\njmp @outer"))
        #expect(!body.contains("%y"))
        #expect(try interpretedOutcome(r.after) == interpretedOutcome(r.before))
    }

    /// Loads, stores, calls, division by a variable (it may trap: the loop
    /// might not run), constants alone, class-r operands and slot addresses
    /// stay put;
    /// division by a constant other than 0 and -1 moves.
    @Test func onlyPureNonTrappingComputationsMove() throws {
        let r = try hoisted("""
            function w $f(l %p, w %a, w %b, r %ref) {
            @start
                %slot =l alloc4 8
                jmp @loop
            @loop
                %i =w phi @start 0, @body %i1
                %c =w csltw %i, %b
                jnz %c, @body, @done
            @body
                %v =w loadw %p
                %q =w div %a, %b
                %m1 =w div %a, -1
                %w0 =w div %a, 4294967296
                %d =w div %a, 3
                %k =w add 1, 2
                %g =l add %ref, 8
                %sa =l add %slot, 4
                storew %a, %sa
                %r =w add %d, %v
                %r2 =w add %r, %q
                storew %r2, %p
                %i1 =w add %i, 1
                jmp @loop
            @done
                ret %i
            }
            """)
        #expect(PassTesting.body(r.after) == """
            @start
            %slot =l alloc4 8
            %d =w div %a, 3
            jmp @loop
            @loop
            %i =w phi @start 0, @body %i1
            %c =w csltw %i, %b
            jnz %c, @body, @done
            @body
            %v =w loadsw %p
            %q =w div %a, %b
            %m1 =w div %a, -1
            %w0 =w div %a, 4294967296
            %k =w add 1, 2
            %g =l add %ref, 8
            %sa =l add %slot, 4
            storew %a, %sa
            %r =w add %d, %v
            %r2 =w add %r, %q
            storew %r2, %p
            %i1 =w add %i, 1
            jmp @loop
            @done
            ret %i
            """)
    }

    /// A header entered from two blocks gets a preheader, placed right
    /// before it, whose phi merges what the two entries passed.
    @Test func aPreheaderIsMadeWhenNeeded() throws {
        let r = try hoisted("""
            export function w $main() {
            @start
                %a =w copy 5
                %c =w csltw %a, 3
                jnz %c, @left, @loop
            @left
                jmp @loop
            @loop
                %i =w phi @start 0, @left 1, @loop %i1
                %t =w mul %a, %a
                %i1 =w add %i, %t
                %more =w csltw %i1, 100
                jnz %more, @loop, @done
            @done
                ret %i1
            }
            """)
        #expect(PassTesting.body(r.after) == """
            @start
            %a =w copy 5
            %c =w csltw %a, 3
            jnz %c, @left, @loop.ph
            @left
            jmp @loop.ph
            @loop.ph
            %i.ph =w phi @start 0, @left 1
            %t =w mul %a, %a
            jmp @loop
            @loop
            %i =w phi @loop %i1, @loop.ph %i.ph
            %i1 =w add %i, %t
            %more =w csltw %i1, 100
            jnz %more, @loop, @done
            @done
            ret %i1
            """)
        #expect(try interpretedOutcome(r.after) == ["", "status 100"])
    }

    @Test(arguments: ILPrograms.names())
    func programSuiteRunsTheSame(_ name: String) throws {
        try PassTesting.checkSuiteProgram(name) { hoistLoopInvariants(&$0) }
    }
}
