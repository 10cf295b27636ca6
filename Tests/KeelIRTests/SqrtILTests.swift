import Testing
@testable import KeelIR

/// Keel's `sqrt` extension (docs/il-extensions.md): parsed, typed, printed.
struct SqrtILTests {
    static let source = """
        function d $f(d %x, s %y) {
        @start
        \t%r =d sqrt %x
        \t%q =s sqrt %y
        \t%c =d sqrt d_2.25
        \t%e =d exts %q
        \t%t =d add %r, %e
        \t%u =d add %t, %c
        \tret %u
        }

        """

    @Test func isAOneOperandOpcodeAddedLast() {
        #expect(Opcode.byName["sqrt"] == .sqrt)
        #expect(Opcode.sqrt.name == "sqrt")
        #expect(Opcode.sqrt.operandCount == 1)
        #expect(Opcode.sqrt.hasResult)
        #expect(!Opcode.sqrt.hasEffects)
        #expect(Opcode.sqrt.properties.isPure)
        #expect(!Opcode.sqrt.properties.contains(.mayTrap))
        // Added after `tagr`: the raw values of QBE's opcodes do not move.
        #expect(Opcode.sqrt.rawValue == Opcode.tagr.rawValue + 1)
        #expect(Opcode.allCases.last == .sqrt)
    }

    @Test func onlyFloatClassesAreValidOperandOfTheirOwnClass() {
        #expect(Opcode.sqrt.operandTypes(for: .s) == [.s])
        #expect(Opcode.sqrt.operandTypes(for: .d) == [.d])
        #expect(Opcode.sqrt.operandTypes(for: .w) == nil)
        #expect(Opcode.sqrt.operandTypes(for: .l) == nil)
        #expect(Opcode.sqrt.operandTypes(for: .r) == nil)
    }

    @Test func parsesAndPrintsAsWritten() throws {
        _ = try parseFunction(Self.source)
        let printed = try expectFixedPoint(Self.source)
        #expect(printed.contains("\t%r =d sqrt %x\n"))
        #expect(printed.contains("\t%q =s sqrt %y\n"))
        #expect(printed.contains("\t%c =d sqrt d_2.25\n"))
    }

    @Test func takesExactlyOneOperand() {
        expectDiagnostic("""
            function d $f(d %x) {
            @start
            \t%r =d sqrt %x, %x
            \tret %r
            }
            """, "too many operands: 'sqrt' expects 1 operand", line: 3, column: 15)
        expectDiagnostic("""
            function d $f(d %x) {
            @start
            \t%r =d sqrt
            \tret %r
            }
            """, "'sqrt' expects 1 operand, found none", line: 3, column: 12)
    }
}
