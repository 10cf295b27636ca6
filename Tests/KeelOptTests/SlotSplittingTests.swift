import KeelIR
import KeelOpt
import KeelTestSupport
import Testing

@Suite struct SlotSplittingTests {
    func split(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (before: Module, after: Module) {
        let r = try PassTesting.run(text, { splitSlots(&$0) }, sourceLocation: sourceLocation)
        #expect(try interpretedOutcome(r.after) == interpretedOutcome(r.before), sourceLocation: sourceLocation)
        return r
    }

    @Test func fieldsAtConstantOffsetsGetSlotsOfTheirOwnAndPromote() throws {
        let text = """
            export function w $main() {
            @start
                %s =l alloc8 16
                storel 5, %s
                %f =l add %s, 8
                stored d_1.5, %f
                %g =l add %s, 4
                %h =l sub %g, -4
                %x =d loadd %h
                %i =w dtosi %x
                %n =l loadl %s
                %m =w copy %n
                %r =w add %i, %m
                ret %r
            }
            """
        let r = try split(text)
        let body = PassTesting.body(r.after)
        #expect(body.contains("alloc8 8"))
        #expect(body.split(separator: "\n").count { $0.contains("alloc8") } == 3)
        // Promotion then removes every access.
        var promoted = r.after
        promoteSlots(&promoted)
        #expect(!PassTesting.body(promoted).contains("load"))
        #expect(try interpretedOutcome(promoted) == ["", "status 6"])
    }

    @Test func escapingSlotIsLeftAlone() throws {
        let r = try split("""
            export function w $main() {
            @start
                %s =l alloc8 16
                storel 5, %s
                %f =l add %s, 8
                storel 6, %f
                %z =l call $strlen(l %f)
                %n =l loadl %s
                %m =w copy %n
                ret %m
            }
            """)
        #expect(r.after == r.before)
    }

    @Test func overlappingAccessesStayTogether() throws {
        // A long read over two words: that part stays in the old slot; the
        // word at 8 moves.
        let r = try split("""
            export function w $main() {
            @start
                %s =l alloc8 16
                storew 1, %s
                %f =l add %s, 4
                storew 2, %f
                %n =l loadl %s
                %g =l add %s, 8
                storew 3, %g
                %k =w loadw %g
                %c =l shr %n, 32
                %d =w copy %c
                %r =w add %d, %k
                ret %r
            }
            """)
        let body = PassTesting.body(r.after)
        #expect(body.contains("%n =l loadl %s"))
        #expect(!body.contains("%k =w loadsw %g"))
        #expect(try interpretedOutcome(r.after) == ["", "status 5"])
    }

    @Test func accessOutsideTheSlotOrOfAReferenceIsLeftAlone() throws {
        let r = try split("""
            export function w $main() {
            @start
                %s =l alloc8 16
                %t =l alloc8 16
                %f =l add %s, 12
                storel 1, %f
                %g =l add %t, 8
                storer 0, %g
                ret 0
            }
            """)
        #expect(r.after == r.before)
    }

    @Test(arguments: ILPrograms.names())
    func suiteProgramsInterpretTheSame(_ name: String) throws {
        try PassTesting.checkSuiteProgram(name) { splitSlots(&$0) }
    }
}
