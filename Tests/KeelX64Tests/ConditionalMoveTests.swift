import KeelCodegen
import KeelIR
import Testing
@testable import KeelX64

/// If-conversion at selection (X64SelectConditionalMove.swift): which
/// branches become `cmp; cmovcc`, and which must stay branches.
struct ConditionalMoveTests {
    func payloads(_ text: String) throws -> [X64Inst] {
        var module = try Module(parsing: text)
        let problems = constructSSA(&module)
        #expect(problems.isEmpty, "\(problems)")
        return try selectInstructions(module.functions[0], in: module).machine.instructions.map(\.payload)
    }

    func isBranch(_ p: X64Inst) -> Bool {
        switch p {
        case .cmpJump, .cmpImmJump, .jnz, .testJump, .testImmJump, .cmpMemJump, .cmpMemImmJump: return true
        default: return false
        }
    }

    @Test func runningMaximumIsAConditionalMove() throws {
        // if (x > m) m = x: an empty arm, the join picks x or m.
        let p = try payloads("""
            function w $f(w %x, w %m) {
            @start
                %c =w csgtw %x, %m
                jnz %c, @then, @join
            @then
                jmp @join
            @join
                %r =w phi @start %m, @then %x
                ret %r
            }
            """)
        #expect(p.contains(.cmpSelect(.g, size: 4, resultSize: 4)))
        #expect(!p.contains(where: isBranch))
    }

    @Test func diamondArmsAreComputedBeforeTheMove() throws {
        // c ? a + 8 : a + 16 on longs, the condition a plain value.
        let p = try payloads("""
            function l $f(w %c, l %a) {
            @start
                jnz %c, @one, @two
            @one
                %x =l add %a, 8
                jmp @join
            @two
                %y =l add %a, 16
                jmp @join
            @join
                %r =l phi @one %x, @two %y
                ret %r
            }
            """)
        #expect(p.contains(.cmpImmSelect(.ne, size: 4, imm: 0, resultSize: 8)))
        #expect(!p.contains(where: isBranch))
    }

    @Test func armsThatLoadTrapOrAreLongStayBranches() throws {
        for arm in ["%v =w loadw %p", "%v =w div %x, %m", "%v =w call $g()",
                    "%u =w add %x, 1\n\t%t =w add %u, 1\n\t%v =w add %t, 1"] {
            let p = try payloads("""
                function w $f(w %x, w %m, l %p) {
                @start
                    %c =w csgtw %x, %m
                    jnz %c, @then, @join
                @then
                    \(arm)
                    jmp @join
                @join
                    %r =w phi @start %m, @then %v
                    ret %r
                }
                """)
            #expect(p.contains(where: isBranch), "\(arm)")
            #expect(!p.contains { if case .cmpSelect = $0 { return true } else { return false } }, "\(arm)")
        }
    }

    @Test func floatPhisStayBranches() throws {
        let p = try payloads("""
            function d $f(w %x, d %a, d %b) {
            @start
                jnz %x, @then, @join
            @then
                jmp @join
            @join
                %r =d phi @start %a, @then %b
                ret %r
            }
            """)
        #expect(p.contains(where: isBranch))
    }
}
