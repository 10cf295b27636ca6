import KeelIR
import KeelOpt
import KeelTestSupport
import Testing

@Suite struct InliningTests {
    func inlined(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (before: Module, after: Module) {
        let r = try PassTesting.runModule(text, { inlineCalls(&$0) }, sourceLocation: sourceLocation)
        #expect(try interpretedOutcome(r.after) == interpretedOutcome(r.before), sourceLocation: sourceLocation)
        return r
    }

    func names(_ m: Module) -> [String] { m.functions.map { m.name($0.name) } }

    func body(_ m: Module, _ name: String) -> String {
        PassTesting.body(m, m.functions.firstIndex { m.name($0.name) == name }!)
    }

    @Test func smallLocalCalleeIsCopiedAndDeleted() throws {
        let r = try inlined("""
            function w $twice(w %x) {
            @start
                %y =w add %x, %x
                ret %y
            }
            export function w $main() {
            @start
                %a =w call $twice(w 20)
                %b =w add %a, 2
                ret %b
            }
            """)
        #expect(names(r.after) == ["main"])
        let main = body(r.after, "main")
        #expect(!main.contains("call"))
        #expect(main.contains("add 20, 20"))
    }

    @Test func exportedCalleeStaysAfterItsCallIsInlined() throws {
        let r = try inlined("""
            export function w $one() {
            @start
                ret 1
            }
            export function w $main() {
            @start
                %a =w call $one()
                ret %a
            }
            """)
        #expect(names(r.after) == ["one", "main"])
        #expect(!body(r.after, "main").contains("call"))
    }

    @Test func slotsAfterACallInTheEntryStayInTheEntry() throws {
        let r = try inlined("""
            function w $twice(w %x) {
            @start
                %y =w add %x, %x
                ret %y
            }
            export function w $main() {
            @start
                %a =w call $twice(w 20)
                %s =l alloc8 8
                storew %a, %s
                %b =w loadw %s
                ret %b
            }
            """)
        let main = r.after.functions[r.after.functions.count - 1]
        #expect(main.blocks[0].instructions.contains { $0.op == .alloc8 })
        #expect(!main.blocks.dropFirst().contains { $0.instructions.contains { $0.op.isAlloc } })
    }

    @Test func bareReturnWhereAValueIsExpectedIsInlinedToo() throws {
        let r = try inlined("""
            type :pair = { l, l }
            function w $f(w %x) {
            @start
                jnz %x, @a, @b
            @a
                ret
            @b
                ret 7
            }
            function :pair $g(w %x) {
            @start
                %s =l alloc8 16
                storel 5, %s
                jnz %x, @a, @b
            @a
                ret
            @b
                ret %s
            }
            export function w $main() {
            @start
                %r =w call $f(w 0)
                %p =:pair call $g(w 0)
                %v =l loadl %p
                %w =w copy %v
                %t =w add %r, %w
                ret %t
            }
            """)
        #expect(!body(r.after, "main").contains("call"))
        #expect(try interpretedOutcome(r.after) == ["", "status 12"])
    }

    @Test func severalReturnsMeetInAPhi() throws {
        let r = try inlined("""
            function w $max(w %a, w %b) {
            @start
                %c =w csgtw %a, %b
                jnz %c, @first, @second
            @first
                ret %a
            @second
                ret %b
            }
            export function w $main(w %n) {
            @start
                %m =w call $max(w %n, w 7)
                %r =w call $max(w 3, w %m)
                ret %r
            }
            """)
        let main = body(r.after, "main")
        #expect(!main.contains("call"))
        #expect(main.contains("%m =w phi"))
        #expect(main.contains("%r =w phi"))
    }

    @Test func recursionStaysACall() throws {
        let r = try inlined("""
            function w $even(w %n) {
            @start
                jnz %n, @more, @done
            @more
                %m =w sub %n, 1
                %r =w call $odd(w %m)
                ret %r
            @done
                ret 1
            }
            function w $odd(w %n) {
            @start
                jnz %n, @more, @done
            @more
                %m =w sub %n, 1
                %r =w call $even(w %m)
                ret %r
            @done
                ret 0
            }
            function w $fact(w %n) {
            @start
                jnz %n, @more, @done
            @more
                %m =w sub %n, 1
                %r =w call $fact(w %m)
                %p =w mul %r, %n
                ret %p
            @done
                ret 1
            }
            export function w $main() {
            @start
                %a =w call $even(w 9)
                %b =w call $fact(w 5)
                %c =w add %a, %b
                ret %c
            }
            """)
        #expect(body(r.after, "fact").contains("call $fact"))
        // One of the pair is copied into the other, which keeps calling itself.
        let pair = r.after.functions.filter { ["even", "odd"].contains(r.after.name($0.name)) }
        #expect(!pair.isEmpty)
        #expect(try interpretedOutcome(r.after) == ["", "status 120"])
    }

    @Test func smallSelfRecursionIsUnrolledOnce() throws {
        let r = try inlined("""
            function w $fact(w %n) {
            @start
                jnz %n, @more, @done
            @more
                %m =w sub %n, 1
                %r =w call $fact(w %m)
                %p =w mul %r, %n
                ret %p
            @done
                ret 1
            }
            export function w $main() {
            @start
                %b =w call $fact(w 5)
                ret %b
            }
            """)
        let fact = body(r.after, "fact").split(separator: "\n")
        #expect(fact.count { $0.contains("call $fact") } == 1)
        #expect(fact.count { $0.contains("mul") } == 2)
        #expect(try interpretedOutcome(r.after) == ["", "status 120"])
    }

    @Test func aggregateArgumentIsCopiedSoTheCalleeWritesItsOwn() throws {
        // The callee writes its by-value struct; the caller's must not change.
        let r = try inlined("""
            type :pair = { l, d }
            function :pair $bump(:pair %p) {
            @start
                %n =l loadl %p
                %m =l add %n, 1
                storel %m, %p
                ret %p
            }
            export function w $main() {
            @start
                %s =l alloc8 16
                storel 41, %s
                %w =l add %s, 8
                stored d_2, %w
                %q =:pair call $bump(:pair %s)
                %a =l loadl %s
                %b =l loadl %q
                %c =l add %a, %b
                ret %c
            }
            """)
        let main = body(r.after, "main")
        #expect(!main.contains("call"))
        #expect(try interpretedOutcome(r.after) == ["", "status 83"])
    }

    @Test func subWordResultIsExtendedAsTheCallWould() throws {
        let r = try inlined("""
            function sb $low(w %x) {
            @start
                ret %x
            }
            export function w $main() {
            @start
                %a =sb call $low(w 511)
                %b =w add %a, 10
                ret %b
            }
            """)
        #expect(body(r.after, "main").contains("extsb"))
        #expect(try interpretedOutcome(r.after) == ["", "status 9"])
    }

    @Test func calleesThatCannotBeCopiedStayCalls() throws {
        let r = try inlined("""
            function w $sum(w %n, ...) {
            @start
                ret %n
            }
            function w $loop(w %n) {
            @start
                tailcall $loop(w %n)
            }
            function w $dyn(l %n) {
            @start
                jmp @body
            @body
                %p =l alloc4 %n
                storew 4, %p
                %v =w loadw %p
                ret %v
            }
            export function w $main() {
            @start
                %a =w call $sum(w 1, ...)
                %c =w call $dyn(l 4)
                %d =w add %a, %c
                ret %d
            }
            export function w $other() {
            @start
                %b =w call $loop(w 1)
                ret %b
            }
            """)
        #expect(body(r.after, "main").contains("call $sum"))
        #expect(body(r.after, "main").contains("call $dyn"))
        #expect(body(r.after, "other").contains("call $loop"))
    }

    @Test func callWithOtherArgumentTypesStaysACall() throws {
        let r = try PassTesting.runModule("""
            function w $f(w %x) {
            @start
                ret %x
            }
            export function w $main() {
            @start
                %a =w call $f(l 1)
                ret %a
            }
            """, { inlineCalls(&$0) })
        #expect(body(r.after, "main").contains("call $f"))
    }

    @Test func functionWhoseAddressIsTakenIsKept() throws {
        let r = try inlined("""
            function w $one() {
            @start
                ret 1
            }
            data $table = { l $one }
            export function w $main() {
            @start
                %a =w call $one()
                ret %a
            }
            """)
        #expect(names(r.after) == ["one", "main"])
    }

    @Test(arguments: ILPrograms.names())
    func suiteProgramsInterpretTheSame(_ name: String) throws {
        try PassTesting.checkSuiteModule(name, { m in
            inlineCalls(&m)
            splitSlots(&m)
            promoteSlots(&m)
        })
    }
}
