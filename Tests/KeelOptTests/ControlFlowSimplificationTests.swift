import KeelIR
import KeelOpt
import KeelTestSupport
import Testing

@Suite struct ControlFlowSimplificationTests {
    func simplified(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (before: Module, after: Module) {
        try PassTesting.run(text, { simplifyControlFlow(&$0) }, sourceLocation: sourceLocation)
    }

    @Test func constantBranchesAndSameTargetBranchesBecomeJumps() throws {
        let r = try simplified("""
            export function w $main() {
            @start
                jnz 0, @dead, @next
            @next
                %x =w phi @start 4, @dead 5
                jnz %x, @join, @join
            @dead
                jmp @next
            @join
                ret %x
            }
            """)
        #expect(PassTesting.body(r.after) == "@start\n%x =w copy 4\nret %x")
        #expect(try interpretedOutcome(r.after) == ["", "status 4"])
    }

    @Test func emptyBlocksAfterJumpsAreBypassedAndPhisFollow() throws {
        let r = try simplified("""
            function w $f(w %c, w %d) {
            @start
                jnz %c, @a, @b
            @a
                %x =w add %d, 1
                jmp @e1
            @e1
                jmp @join
            @b
                jmp @join
            @join
                %p =w phi @e1 %x, @b 20
                ret %p
            }
            """)
        // @e1 goes; @b stays: bypassing it would make @start's edge to
        // @join critical, and the backend would put a jump-only block back.
        #expect(PassTesting.body(r.after) == """
            @start
            jnz %c, @a, @b
            @a
            %x =w add %d, 1
            jmp @join
            @b
            jmp @join
            @join
            %p =w phi @b 20, @a %x
            ret %p
            """)
    }

    @Test func emptyBlocksOnConditionalEdgesStayRatherThanMakeCriticalEdges() throws {
        let r = try simplified("""
            function w $f(w %c, w %d) {
            @start
                jnz %c, @e1, @other
            @other
                %o =w add %d, 1
                jnz %d, @e2, @join
            @e1
                jmp @join
            @e2
                jmp @join
            @join
                %p =w phi @e1 10, @e2 20, @other %o
                ret %p
            }
            """)
        #expect(r.after == r.before, "\(PassTesting.body(r.after))")
        // A conditional edge into a block with no other predecessor is not critical.
        let single = try simplified("""
            function w $f(w %c) {
            @start
                jnz %c, @e, @no
            @e
                jmp @yes
            @yes
                ret 1
            @no
                ret 2
            }
            """)
        #expect(PassTesting.body(single.after) == "@start\njnz %c, @yes, @no\n@yes\nret 1\n@no\nret 2")
    }

    @Test func anEmptyBlockStaysWhenItsPredecessorJumpsToTheTargetWithAnotherValue() throws {
        let r = try simplified("""
            function w $f(w %c) {
            @start
                jnz %c, @e, @join
            @e
                jmp @join
            @join
                %p =w phi @start 1, @e 2
                ret %p
            }
            """)
        #expect(r.after.functions[0].blocks.map(\.label) == ["start", "e", "join"])
        let same = try simplified("""
            function w $f(w %c) {
            @start
                jnz %c, @e, @join
            @e
                jmp @join
            @join
                %p =w phi @start 1, @e 1
                ret %p
            }
            """)
        // Both edges carry 1: the branch becomes a jump, and then one block.
        #expect(PassTesting.body(same.after) == "@start\n%p =w copy 1\nret %p")
    }

    /// @b and @c join @start; the empty @e is bypassed (and @d2 keeps its own label).
    @Test func straightLinesMergeIntoOneBlock() throws {
        let r = try simplified("""
            function w $f(w %a) {
            @start
                %x =w add %a, 1
                jmp @b
            @b
                %y =w mul %x, 2
                jmp @c
            @c
                %z =w sub %y, 3
                jnz %z, @d, @e
            @d
                ret %z
            @e
                jmp @d2
            @d2
                ret 0
            }
            """)
        #expect(PassTesting.body(r.after) == """
            @start
            %x =w add %a, 1
            %y =w mul %x, 2
            %z =w sub %y, 3
            jnz %z, @d, @d2
            @d
            ret %z
            @d2
            ret 0
            """)
    }

    @Test func loopsKeepTheirHeaderAndPhis() throws {
        let text = """
            export function w $main() {
            @start
                jmp @loop
            @loop
                %i =w phi @start 0, @latch %i1
                %s =w phi @start 0, @latch %s1
                %c =w csltw %i, 10
                jnz %c, @body, @done
            @body
                %s1 =w add %s, %i
                jmp @latch
            @latch
                %i1 =w add %i, 1
                jmp @loop
            @done
                ret %s
            }
            """
        let r = try simplified(text)
        #expect(r.after.functions[0].blocks.map(\.label) == ["start", "loop", "body", "done"])
        #expect(try interpretedOutcome(r.after) == ["", "status 45"])
    }

    @Test func unreachableBlocksGoWithTheirPhiArguments() throws {
        let r = try simplified("""
            function w $f(w %a) {
            @start
                jnz %a, @x, @y
            @x
                ret 1
            @y
                ret 2
            @island
                jmp @x2
            @x2
                %p =w phi @island 3, @island2 4
                ret %p
            @island2
                jmp @x2
            }
            """)
        #expect(r.after.functions[0].blocks.map(\.label) == ["start", "x", "y"])
    }

    @Test func aMergedComparisonIsBranchedOnWhereItIsComputed() throws {
        // A fast path compares inline, a slow one calls; both merge into a
        // phi only branched on. The fast path branches on its comparison.
        let r = try simplified("""
            function w $slow(w %x) {
            @start
                %r =w csltw %x, 10
                ret %r
            }
            function w $f(w %x, w %y) {
            @start
                jnz %y, @fast, @slow
            @fast
                %c =w ceqw %x, 3
                jmp @merge
            @slow
                %s =w call $slow(w %x)
                jmp @merge
            @merge
                %m =w phi @fast %c, @slow %s
                jnz %m, @yes, @no
            @yes
                %v =w phi @merge %y
                ret %v
            @no
                ret 7
            }
            export function w $main() {
            @start
                %a =w call $f(w 3, w 1)
                %b =w call $f(w 4, w 1)
                %c =w call $f(w 4, w 0)
                %d =w call $f(w 12, w 0)
                %s1 =w mul %a, 1000
                %s2 =w mul %b, 100
                %s3 =w mul %c, 10
                %t =w add %s1, %s2
                %u =w add %t, %s3
                %w =w add %u, %d
                ret %w
            }
            """)
        let f = r.after.functions[1]
        let fast = try #require(f.blocks.firstIndex { $0.label == "fast" })
        guard case .jnz(let c, let yes, let no) = f.blocks[fast].terminator else {
            Issue.record("the fast path should branch: \(f.blocks[fast].terminator)")
            return
        }
        #expect(f.temps[c.temp!.int].name == "c")
        #expect(f.blocks[yes.int].label == "yes" && f.blocks[no.int].label == "no")
        #expect(try interpretedOutcome(r.before) == interpretedOutcome(r.after))
        #expect(try interpretedOutcome(r.after) == ["", "status 1707"])
    }

    @Test(arguments: ILPrograms.names())
    func programSuiteRunsTheSame(_ name: String) throws {
        try PassTesting.checkSuiteProgram(name) { simplifyControlFlow(&$0) }
    }
}
