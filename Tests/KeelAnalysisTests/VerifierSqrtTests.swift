import KeelIR
import Testing

@testable import KeelAnalysis

/// Keel's `sqrt` (docs/il-extensions.md): s and d only, operand of the result's class.
struct VerifierSqrtTests {
    @Test func floatClassesAreAccepted() throws {
        let il = """
        function d $f(d %x, s %y) {
        @start
        \t%r =d sqrt %x
        \t%q =s sqrt %y
        \t%c =s sqrt s_4
        \t%e =d exts %q
        \t%t =d add %r, %e
        \tret %t
        }
        """
        #expect(try verifyIL(il) == [])
    }

    @Test func integerAndReferenceClassesAreRejected() throws {
        let il = """
        function $f(l %a, w %b) {
        @start
        \t%x =l sqrt %a
        \t%y =w sqrt %b
        \t%z =r sqrt %a
        \tret
        }
        """
        #expect(try verifyIL(il) == [
            "t.ssa:3:2: error: invalid class l for sqrt",
            "t.ssa:4:2: error: invalid class w for sqrt",
            "t.ssa:5:2: error: invalid class r for sqrt",
        ])
    }

    @Test func theOperandHasTheResultsClass() throws {
        let il = """
        function $f(s %a, d %b, l %c) {
        @start
        \t%x =d sqrt %a
        \t%y =s sqrt %b
        \t%z =d sqrt %c
        \tret
        }
        """
        #expect(try verifyIL(il) == [
            "t.ssa:3:2: error: %a of class s used as first operand of sqrt, which needs d",
            "t.ssa:4:2: error: %b of class d used as first operand of sqrt, which needs s",
            "t.ssa:5:2: error: %c of class l used as first operand of sqrt, which needs d",
        ])
    }
}
