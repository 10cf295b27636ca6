import KeelIR
import KeelOpt
import KeelTestSupport
import Testing

@Suite struct LoopRotationTests {
    func rotated(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (before: Module, after: Module) {
        try PassTesting.run(text, { rotateLoops(&$0) }, sourceLocation: sourceLocation)
    }

    /// Each testing header moves after the last block of its loop, the
    /// inner loop's inside the outer loop's body.
    @Test func testingHeadersGoAfterTheirBodies() throws {
        let r = try rotated("""
            export function w $main() {
            @start
                jmp @outer
            @outer
                %i =w phi @start 0, @outernext %i1
                %s =w phi @start 0, @outernext %s2
                %ci =w csltw %i, 6
                jnz %ci, @outerbody, @done
            @outerbody
                jmp @inner
            @inner
                %k =w phi @outerbody 0, @innerbody %k1
                %s2 =w phi @outerbody %s, @innerbody %s1
                %ck =w csltw %k, %i
                jnz %ck, @innerbody, @outernext
            @innerbody
                %s1 =w add %s2, %k
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
            jmp @outer
            @outerbody
            jmp @inner
            @innerbody
            %s1 =w add %s2, %k
            %k1 =w add %k, 1
            jmp @inner
            @inner
            %k =w phi @outerbody 0, @innerbody %k1
            %s2 =w phi @outerbody %s, @innerbody %s1
            %ck =w csltw %k, %i
            jnz %ck, @innerbody, @outernext
            @outernext
            %i1 =w add %i, 1
            jmp @outer
            @outer
            %i =w phi @start 0, @outernext %i1
            %s =w phi @start 0, @outernext %s2
            %ci =w csltw %i, 6
            jnz %ci, @outerbody, @done
            @done
            ret %s
            """)
        #expect(try interpretedOutcome(r.after) == ["", "status 20"])
    }

    /// Already at the bottom (a do-while), a header that does not exit, a
    /// body interrupted by a block of another loop, and a last block that
    /// branches: nothing moves.
    @Test func otherShapesStay() throws {
        let r = try rotated("""
            export function w $main() {
            @start
                jmp @dowhile
            @dowhile
                %a =w phi @start 0, @dowhile %a1
                %a1 =w add %a, 1
                %ca =w csltw %a1, 5
                jnz %ca, @dowhile, @split
            @split
                jmp @head
            @head
                %b =w phi @split 0, @tail %b1
                %cb =w csltw %b, 5
                jnz %cb, @mid, @out
            @other
                ret 9
            @mid
                %b1 =w add %b, 1
                jmp @tail
            @tail
                %odd =w and %b1, 1
                jnz %odd, @head, @head
            @out
                %r =w add %a1, %b
                ret %r
            }
            """)
        #expect(r.after == r.before, "\(PassTesting.body(r.after))")
    }

    @Test(arguments: ILPrograms.names())
    func programSuiteRunsTheSame(_ name: String) throws {
        try PassTesting.checkSuiteProgram(name) { rotateLoops(&$0) }
    }
}
