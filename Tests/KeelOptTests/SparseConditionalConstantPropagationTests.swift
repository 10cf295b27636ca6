import KeelIR
import KeelOpt
import KeelTestSupport
import Testing

@Suite struct SparseConditionalConstantPropagationTests {
    func sccp(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (before: Module, after: Module) {
        try PassTesting.run(text, { propagateConstants(&$0) }, sourceLocation: sourceLocation)
    }

    @Test func foldsThroughBranchesAndDeletesTheBlocksNotTaken() throws {
        let r = try sccp("""
            export function w $main() {
            @start
                %a =w add 30, 2
                %b =w sub %a, 5
                %c =w csltw %b, 100
                jnz %c, @yes, @no
            @yes
                %d =w mul %b, 2
                jmp @join
            @no
                %e =w div %b, 0
                jmp @join
            @join
                %r =w phi @yes %d, @no %e
                %x =l extsw %r
                %y =d sltof %x
                %z =d mul %y, d_0.5
                %q =w dtosi %z
                ret %q
            }
            """)
        #expect(PassTesting.body(r.after) == "@start\njmp @yes\n@yes\njmp @join\n@join\nret 27")
        #expect(try interpretedOutcome(r.before) == ["", "status 27"])
        #expect(try interpretedOutcome(r.after) == ["", "status 27"])
    }

    /// Found by the fuzzer: the phi pruning read terminators already turned
    /// into jumps, and dropped the one edge that still runs.
    @Test func aBranchFoldedToItsSecondTargetKeepsThatEdgeInPhis() throws {
        let r = try sccp("""
            function w $f(w %x) {
            @start
                jnz 0, @then, @join
            @then
                jmp @join
            @join
                %p =w phi @start %x, @then 1
                ret %p
            }
            """)
        #expect(PassTesting.body(r.after) == "@start\njmp @join\n@join\n%p =w phi @start %x\nret %p")
    }

    @Test func wordsAndLongsKeepTheirWidths() throws {
        let r = try sccp("""
            function $f(l %p) {
            @start
                %a =w add 4294967295, 1
                %b =l add 4294967295, 1
                %c =w shl 1, 33
                %d =l shl 1, 33
                %e =w sub 0, 1
                %f =w sar -8, 1
                %g =w shr -8, 1
                %h =l extsw 4294967295
                %i =w copy 4294967298
                %j =w cultw 4294967297, 2
                %k =w cultl 4294967297, 2
                storew %a, %p
                storel %b, %p
                storew %c, %p
                storel %d, %p
                storew %e, %p
                storew %f, %p
                storew %g, %p
                storel %h, %p
                storew %i, %p
                storew %j, %p
                storew %k, %p
                ret
            }
            """)
        #expect(PassTesting.body(r.after) == """
            @start
            storew 0, %p
            storel 4294967296, %p
            storew 2, %p
            storel 8589934592, %p
            storew 4294967295, %p
            storew 4294967292, %p
            storew 2147483644, %p
            storel -1, %p
            storew 2, %p
            storew 1, %p
            storew 0, %p
            ret
            """)
    }

    @Test func leavesWhatMayTrapOrRoundToRunTime() throws {
        let r = try sccp("""
            function $f(l %p) {
            @start
                %a =w div 7, 0
                %b =w div -2147483648, -1
                %c =l rem -9223372036854775808, -1
                %d =l udiv 7, 0
                %e =d div d_0, d_0
                %f =d add d_1.5, d_2.25
                %g =w dtosi d_3e10
                %h =l dtoui d_-1
                %i =w div -2147483648, 2
                storew %a, %p
                storew %b, %p
                storel %c, %p
                storel %d, %p
                stored %e, %p
                stored %f, %p
                storew %g, %p
                storel %h, %p
                storew %i, %p
                ret
            }
            """)
        let ops = r.after.functions[0].blocks[0].instructions.map(\.op)
        #expect(ops == [.div, .div, .rem, .udiv, .div, .dtosi, .dtoui,
                        .storew, .storew, .storel, .storel, .stored, .stored, .storew, .storel, .storew])
        #expect(PassTesting.body(r.after).contains("stored d_3.75, %p"))
        #expect(PassTesting.body(r.after).contains("storew 3221225472, %p"))
    }

    @Test func valuesKnownWithoutTheirUnknownOperand() throws {
        let r = try sccp("""
            function w $f(w %x, d %y) {
            @start
                %a =w mul %x, 0
                %b =w sub %x, %x
                %c =w ceqw %x, %x
                %d =w csltw %x, %x
                %e =w ceqd %y, %y
                %f =w urem %x, 1
                %s1 =w add %a, %b
                %s2 =w add %s1, %c
                %s3 =w add %s2, %d
                %s4 =w add %s3, %e
                %s5 =w add %s4, %f
                ret %s5
            }
            """)
        // Only the float comparison stays: a NaN is not equal to itself.
        // (`add %s4, 0` is an identity, for the simplifier.)
        #expect(PassTesting.body(r.after) == "@start\n%e =w ceqd %y, %y\n%s4 =w add 1, %e\n%s5 =w add %s4, 0\nret %s5")
    }

    @Test func loopInvariantPhisAndConstantLoopExits() throws {
        let r = try sccp("""
            export function w $main() {
            @start
                jmp @loop
            @loop
                %k =w phi @start 5, @body %k2, @odd %k2
                %i =w phi @start 0, @body %i1, @odd %i1
                %c =w csltw %i, 10
                jnz %c, @body, @done
            @body
                %k2 =w add %k, 0
                %i1 =w add %i, 1
                %never =w ceqw %k2, 6
                jnz %never, @odd, @loop
            @odd
                %z =w call $abort()
                jmp @loop
            @done
                %r =w add %k, %i
                ret %r
            }
            """)
        let f = r.after.functions[0]
        #expect(f.blocks.map(\.label) == ["start", "loop", "body", "done"])
        #expect(f.blocks[1].phis.count == 1)  // %k is 5; %i varies
        #expect(f.blocks[1].phis[0].incoming.count == 2)
        #expect(PassTesting.body(r.after).contains("%r =w add 5, %i"))
        #expect(try interpretedOutcome(r.after) == ["", "status 15"])
    }

    @Test func referencesAndOtherAccessesAreNeverConstants() throws {
        let r = try sccp("""
            function l $f(l %p) {
            @start
                %t =l copy thread $tls
                %g =l copy $glob
                %h =l add %g, 8
                %v =w loadw $glob
                %w =w add %v, 0
                storel %t, %p
                storel %h, %p
                ret %g
            }
            """)
        #expect(PassTesting.body(r.after) == """
            @start
            %t =l copy thread $tls
            %h =l add $glob, 8
            %v =w loadsw $glob
            %w =w add %v, 0
            storel %t, %p
            storel %h, %p
            ret $glob
            """)
    }

    @Test(arguments: ILPrograms.names())
    func programSuiteRunsTheSame(_ name: String) throws {
        try PassTesting.checkSuiteProgram(name) { propagateConstants(&$0) }
    }
}

/// Keel's `sqrt` of a constant: folded when the root is a number (correctly
/// rounded, -0 kept), left to run when it is a NaN.
@Suite struct SqrtFoldingTests {
    @Test func foldsRootsOfConstants() throws {
        let r = try PassTesting.run("""
            function d $f() {
            @start
                %a =d sqrt d_6.25
                %b =d sqrt d_2
                %c =d sqrt d_-0
                %s =s sqrt s_2.25
                %e =d exts %s
                %t =d add %a, %b
                %u =d add %t, %c
                %v =d add %u, %e
                ret %v
            }
            """, { propagateConstants(&$0) })
        #expect(PassTesting.body(r.after) == "@start\nret d_5.414213562373095")
    }

    @Test func negativeZeroStaysNegative() throws {
        let r = try PassTesting.run("""
            function d $f() {
            @start
                %c =d sqrt d_-0
                ret %c
            }
            """, { propagateConstants(&$0) })
        #expect(PassTesting.body(r.after) == "@start\nret d_-0.0")
    }

    @Test func aNaNResultIsNotFolded() throws {
        let r = try PassTesting.run("""
            function d $f() {
            @start
                %n =d sqrt d_-1
                %m =s sqrt s_nan
                %e =d exts %m
                %t =d add %n, %e
                ret %t
            }
            """, { propagateConstants(&$0) })
        #expect(PassTesting.body(r.after).contains("%n =d sqrt d_-1.0"))
        #expect(PassTesting.body(r.after).contains("%m =s sqrt "))  // a NaN constant prints as its bits
    }

    @Test func isValueNumberedLikeOtherPureFloatArithmetic() throws {
        let r = try PassTesting.run("""
            function d $f(d %x) {
            @start
                %a =d sqrt %x
                %b =d sqrt %x
                %c =d add %a, %b
                ret %c
            }
            """, { numberValues(&$0) })
        #expect(!PassTesting.body(r.after).contains("%b =d sqrt"))
    }
}
