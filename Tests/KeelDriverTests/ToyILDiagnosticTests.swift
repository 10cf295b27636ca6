// What the toy target cannot compile is a diagnostic at the construct's
// file:line:col, through the driver, never a crash; the driver still
// compiles the other functions and reports every error at once.
import KeelIR
import Testing

struct ToyILDiagnosticTests {
    static let source = """
        function w $memory(l %p) {
        @start
        	%x =w loadw %p
        	ret %x
        }

        function w $fine(w %a) {
        @start
        	%b =w add %a, 1
        	ret %b
        }

        function d $floatParameter(d %a) {
        @start
        	ret %a
        }

        function w $floatArithmetic(w %a) {
        @start
        	%f =d swtof %a
        	%g =d add %f, d_1.5
        	%r =w dtosi %g
        	ret %r
        }

        function w $external(w %a) {
        @start
        	%r =w call $abs(w %a)
        	ret %r
        }

        function w $stackArguments(w %a) {
        @start
        	%r =w call $four(w %a, w %a, w %a, w %a)
        	ret %r
        }

        function w $four(w %a, w %b, w %c, w %d) {
        @start
        	ret %d
        }

        function l $symbolValue() {
        @start
        	%r =l add $fine, 8
        	ret %r
        }
        """

    @Test func unsupportedConstructsAreDiagnosticsAtTheirPositions() throws {
        // -O1: at -O2 the calls below would be inlined away.
        let module = try ToyILHarness.module(Self.source, file: "unsupported.ssa", level: .o1)
        let error = #expect(throws: DiagnosticList.self) { try ToyILHarness.compile(module) }
        let messages = error?.diagnostics.map(\.description) ?? []
        #expect(messages == [
            "unsupported.ssa:3:2: error: the toy target has no instruction for `loadsw`",
            "unsupported.ssa:13:28: error: the toy ABI passes only w and l values, not the parameter's type",
            "unsupported.ssa:20:2: error: the toy target has no instruction for `swtof`",
            "unsupported.ssa:28:2: error: the toy target calls only functions of the module, by name",
            "unsupported.ssa:34:2: error: the call passes 4 values: the toy ABI passes at most 3, in registers (no stack arguments)",
            "unsupported.ssa:38:12: error: the function takes 4 values: the toy ABI passes at most 3, in registers (no stack arguments)",
            "unsupported.ssa:45:2: error: the toy machine has no memory, so no symbol addresses",
        ], "\(messages.joined(separator: "\n"))")
    }

    /// The functions the toy target can compile still are: only the bad
    /// ones are named, and a module of good ones compiles without a word.
    @Test func supportedFunctionsCompileBesideUnsupportedOnes() throws {
        let good = """
            function w $fine(w %a) {
            @start
            	%b =w add %a, 1
            	ret %b
            }

            export function w $main() {
            @start
            	%r =w call $fine(w 41)
            	ret %r
            }
            """
        try ToyILHarness.expectSameResult(good, name: "good")
        let module = try ToyILHarness.module(good + "\n" + """
            function s $bad(s %x) {
            @start
            	ret %x
            }
            """, file: "mixed.ssa")
        let error = #expect(throws: DiagnosticList.self) { try ToyILHarness.compile(module) }
        #expect(error?.diagnostics.count == 1)
    }
}
