import Testing
@testable import KeelIR

/// Every class of malformed input, with its message and position.
@Suite struct ILParserErrorTests {
    /// Wraps instruction lines in a function with one block.
    func body(_ lines: String) -> String { "function $f() {\n@start\n\(lines)\n\tret\n}\n" }

    // MARK: lexical

    @Test func lexicalErrors() {
        expectDiagnostic("data $x = { b \"abc }", "unterminated string", line: 1, column: 15)
        expectDiagnostic("data $x = { l - 1 }", "expected digits after '-'", line: 1, column: 15)
        expectDiagnostic("\n  ~", "unexpected character '~'", line: 2, column: 3)
        expectDiagnostic("function $f() {\n@s\n\t%x =w copy \u{0}\n}", "unexpected byte 0x00", line: 3, column: 13)
        expectDiagnostic("function $f() {\n@s\n\t% =w copy 1\n}", "expected a name after '%', found space", line: 3, column: 2)
        expectDiagnostic("function $f() {\n@1\n}", "expected a name after '@', found character '1'", line: 2, column: 1)
        expectDiagnostic("data $x = { s s_x }", "invalid single-precision constant: expected a number after 's_'", line: 1, column: 15)
        expectDiagnostic("data $x = { d d_ }", "invalid double-precision constant: expected a number after 'd_'", line: 1, column: 15)
        expectDiagnostic("data $x = { b \"a\\q\" }", "unknown escape sequence '\\q' in string", line: 1, column: 17)
        expectDiagnostic("data $x = { b \"a\nb\\x\" }", "expected hexadecimal digits after '\\x' in string", line: 2, column: 2)
    }

    @Test func invalidUTF8IsReportedAsBytes() throws {
        var m = Module()
        do {
            try ILParser.parse([0x64, 0x61, 0x74, 0x61, 0x20, 0xC3, 0x28], fileName: "bin", into: &m)
            Issue.record("parsed")
        } catch {
            #expect(error.message == "unexpected byte 0xC3")
            #expect(error.position == SourcePosition(line: 1, column: 6))
            #expect(error.description == "bin:1:6: error: unexpected byte 0xC3")
        }
    }

    // MARK: top level

    @Test func topLevelErrors() {
        expectDiagnostic("funtion $f() {}", "expected a definition (function, data, type or dbgfile), found 'funtion'", line: 1, column: 1)
        expectDiagnostic("export type :t = { w }", "only data and functions have linkage", line: 1, column: 8)
        expectDiagnostic("thread function $f() {\n@s\n\tret\n}", "only data may have thread linkage", line: 1, column: 1)
        expectDiagnostic("export", "expected 'data' or 'function' after linkage, found end of file", line: 1, column: 7)
        expectDiagnostic("section \"a\" section \"b\" data $x = {}", "only one section allowed", line: 1, column: 13)
        expectDiagnostic("section data $x = {}", "expected a section name string after 'section', found 'data'", line: 1, column: 9)
        expectDiagnostic("dbgfile foo", "expected a file name string after 'dbgfile', found 'foo'", line: 1, column: 9)
    }

    @Test func typeErrors() {
        expectDiagnostic("type t = { w }", "expected a type name (:name) after 'type', found 't'", line: 1, column: 6)
        expectDiagnostic("type :t { w }", "expected '=' after the type name, found '{'", line: 1, column: 9)
        expectDiagnostic("type :t = align 3 { w }", "alignment must be a power of two between 1 and 1073741824", line: 1, column: 17)
        expectDiagnostic("type :t = align { w }", "expected an alignment after 'align', found '{'", line: 1, column: 17)
        expectDiagnostic("type :t = w", "expected '{' to start the type body, found 'w'", line: 1, column: 11)
        expectDiagnostic("type :t = { 8 }", "an opaque type needs an alignment: type :t = align N { SIZE }", line: 1, column: 13)
        expectDiagnostic("type :t = align 8 { 8, }", "expected '}' after the opaque type size, found ','", line: 1, column: 22)
        expectDiagnostic("type :t = { w, q }", "expected a field type (b, h, w, l, s, d or :name), found 'q'", line: 1, column: 16)
        expectDiagnostic("type :t = { w l }", "expected ',' or '}' after a field, found 'l'", line: 1, column: 15)
        expectDiagnostic("type :t = { :u }", "undefined type ':u'", line: 1, column: 13)
        expectDiagnostic("type :t = { :t }", "undefined type ':t'", line: 1, column: 13)
        expectDiagnostic("type :t = { w -1 }", "field count must be between 0 and 2147483647", line: 1, column: 15)
        expectDiagnostic("type :t = { { w } w }", "expected '{' to start a union variant, or '}', found 'w'", line: 1, column: 19)
        expectDiagnostic("type :t = { l 2147483647 }\ntype :u = { :t 2147483647 }",
                         "type is too large (more than 281474976710656 bytes)", line: 2, column: 13)
        expectDiagnostic("type :t = { w", "expected ',' or '}' after a field, found end of file", line: 1, column: 14)
    }

    @Test func dataErrors() {
        expectDiagnostic("data x = { w 1 }", "expected a data name ($name) after 'data', found 'x'", line: 1, column: 6)
        expectDiagnostic("data $x { w 1 }", "expected '=' after the data name, found '{'", line: 1, column: 9)
        expectDiagnostic("data $x = align 128 { w 1 }", "alignment must be a power of two between 1 and 64", line: 1, column: 17)
        expectDiagnostic("data $x = w 1", "expected '{' to start the data contents, found 'w'", line: 1, column: 11)
        expectDiagnostic("data $x = { q 1 }", "expected a data item type (b, h, w, l, s, d, r or z) or '}', found 'q'", line: 1, column: 13)
        expectDiagnostic("data $x = { w }", "expected a constant or string in the data item, found '}'", line: 1, column: 15)
        expectDiagnostic("data $x = { w 1 b 2 }", "expected ',' or '}' after a data item, found 'b'", line: 1, column: 17)
        expectDiagnostic("data $x = { z $y }", "expected a byte count after 'z', found '$y'", line: 1, column: 15)
        expectDiagnostic("data $x = { z -1 }", "expected a byte count after 'z', found '-1'", line: 1, column: 15)
        expectDiagnostic("data $x = { l $y + z }", "expected an integer offset after '+', found 'z'", line: 1, column: 20)
        expectDiagnostic("data $x = { w 1,\n", "expected a data item type (b, h, w, l, s, d, r or z) or '}', found end of file", line: 2, column: 1)
    }

    // MARK: functions

    @Test func signatureErrors() {
        expectDiagnostic("function f() {", "expected a return type or function name (w, l, s, d, r, sb, ub, sh, uh or :name), found 'f'", line: 1, column: 10)
        expectDiagnostic("function w f() {", "expected a function name ($name), found 'f'", line: 1, column: 12)
        expectDiagnostic("function :t $f() {", "undefined type ':t'", line: 1, column: 10)
        expectDiagnostic("function $f {", "expected '(' after the function name, found '{'", line: 1, column: 13)
        expectDiagnostic("function $f(w) {", "expected a parameter name (%name), found ')'", line: 1, column: 14)
        expectDiagnostic("function $f(w 1) {", "expected a parameter name (%name), found '1'", line: 1, column: 15)
        expectDiagnostic("function $f(q %a) {", "expected a parameter type (w, l, s, d, r, sb, ub, sh, uh or :name), found 'q'", line: 1, column: 13)
        expectDiagnostic("function $f(w %a w %b) {", "expected ',' or ')' in the parameter list, found 'w'", line: 1, column: 18)
        expectDiagnostic("function $f(..., w %a) {", "no parameters allowed after '...'", line: 1, column: 18)
        expectDiagnostic("function $f(env %a, env %b) {", "only one environment parameter allowed", line: 1, column: 21)
        expectDiagnostic("function $f(w %a, l %a) {", "parameter %a is declared twice", line: 1, column: 21)
        expectDiagnostic("function $f()\n\n@s", "expected '{' to start the function body, found '@s'", line: 3, column: 1)
        expectDiagnostic("function $f(w %a,\n) {", "expected a parameter type (w, l, s, d, r, sb, ub, sh, uh or :name), found end of line", line: 1, column: 18)
    }

    @Test func blockStructureErrors() {
        expectDiagnostic("function $f() {\n}", "function $f has no blocks", line: 2, column: 1)
        expectDiagnostic("function $f() {\n\tret\n}", "expected a label to start the function body, found 'ret'", line: 2, column: 2)
        expectDiagnostic("function $f() {\n@a\n\tret\n\t%x =w copy 1\n}", "expected a label or '}' after a jump, found '%x'", line: 4, column: 2)
        expectDiagnostic("function $f() {\n@a\n\t%x =w copy 1\n}", "last block @a does not end with a jump (jmp, jnz, ret or hlt)", line: 4, column: 1)
        expectDiagnostic("function $f() {\n@a\n\tjmp @b\n@b\n\tjmp @c\n@c\n\tjmp @d\n@b\n\tret\n}",
                         "label @b is defined twice (first at line 4)", line: 8, column: 1)
        expectDiagnostic("function $f() {\n@a\n\tjnz 1, @b, @c\n@b\n\tjmp @d\n@c\n\tret\n}",
                         "label @d is used but never defined", line: 5, column: 6)
        expectDiagnostic("function $f() {\n@a\n\tjmp @b\n@b\n\t%x =w phi @e 1, @a 2\n\tret\n}",
                         "label @e is used but never defined", line: 5, column: 12)
        expectDiagnostic("function $f() {\n@a\n\tjmp @b\n@b\n\tjmp @a\n}", "jump to the entry block @a is not allowed", line: 5, column: 6)
        expectDiagnostic("function $f() {\n@a\n\tjnz 1, @b, @a\n@b\n\tret\n}", "jump to the entry block @a is not allowed", line: 3, column: 13)
        expectDiagnostic("function $f() {\n@a\n\tret\n", "unexpected end of file in function $f (missing '}')", line: 4, column: 1)
        expectDiagnostic("function $f() {\n@a ret\n}", "expected end of line after label, found 'ret'", line: 2, column: 4)
        expectDiagnostic("function $f() {\n@a\n\tret\n}\n}", "expected a definition (function, data, type or dbgfile), found '}'", line: 5, column: 1)
    }

    @Test func phiErrors() {
        expectDiagnostic("function $f() {\n@a\n\t%x =w phi @a 1\n\tret\n}", "phi in the entry block", line: 3, column: 8)
        expectDiagnostic("function $f() {\n@a\n\tjmp @b\n@b\n\t%y =w copy 1\n\t%x =w phi @a 1\n\tret\n}",
                         "phi after a regular instruction (phis must come first in a block)", line: 6, column: 8)
        expectDiagnostic("function $f() {\n@a\n\tjmp @b\n@b\n\t%x =sb phi @a 1\n\tret\n}", "phi class must be w, l, s, d or r", line: 5, column: 6)
        expectDiagnostic("function $f() {\n@a\n\tjmp @b\n@b\n\t%x =w phi 1\n\tret\n}", "expected a label (@name) in phi argument, found '1'", line: 5, column: 12)
        expectDiagnostic("function $f() {\n@a\n\tjmp @b\n@b\n\t%x =w phi @a 1 @b 2\n\tret\n}",
                         "expected ',' or end of line after phi argument, found '@b'", line: 5, column: 17)
        expectDiagnostic("function $f() {\n@a\n\tjmp @b\n@b\n\tphi @a 1\n\tret\n}",
                         "phi needs a result: %name =CLASS phi @label value, ...", line: 5, column: 2)
    }

    @Test func instructionErrors() {
        expectDiagnostic(body("\t%x =w addd 1, 2"), "unknown instruction 'addd'", line: 3, column: 8)
        expectDiagnostic(body("\taddd 1, 2"), "unknown instruction 'addd'", line: 3, column: 2)
        expectDiagnostic(body("\tadd 1, 2"), "'add' needs a result: %name =CLASS add ...", line: 3, column: 2)
        expectDiagnostic(body("\t%x =w storew 1, %p"), "'storew' does not produce a result", line: 3, column: 8)
        expectDiagnostic(body("\t%x w add 1, 2"), "expected '=' after %x, found 'w'", line: 3, column: 5)
        expectDiagnostic(body("\t%x =q add 1, 2"), "expected a result class (w, l, s, d, r, sb, ub, sh, uh or :name), found 'q'", line: 3, column: 6)
        expectDiagnostic(body("\t%x =sb add 1, 2"), "result class of 'add' must be w, l, s, d or r", line: 3, column: 6)
        expectDiagnostic(body("\t%x =w 1"), "expected an instruction after '=w', found '1'", line: 3, column: 8)
        expectDiagnostic(body("\t%x =w export 1"), "expected an instruction after '=w', found 'export'", line: 3, column: 8)
        expectDiagnostic(body("\t%x =w add 1 2"), "expected ',' after operand, found '2'", line: 3, column: 14)
        expectDiagnostic(body("\t%x =w add 1"), "'add' expects 2 operands, found 1", line: 3, column: 13)
        expectDiagnostic(body("\t%x =w add"), "'add' expects 2 operands, found none", line: 3, column: 11)
        expectDiagnostic(body("\t%x =w neg 1, 2"), "too many operands: 'neg' expects 1 operand", line: 3, column: 13)
        expectDiagnostic(body("\t%x =w add 1, 2, 3"), "too many operands: 'add' expects 2 operands", line: 3, column: 16)
        expectDiagnostic(body("\t%x =w neg 1 2"), "expected ',' or end of line after operand, found '2'", line: 3, column: 14)
        expectDiagnostic(body("\t%x =w add 1, @a"), "expected an operand (%temporary, constant or $symbol), found '@a'", line: 3, column: 15)
        expectDiagnostic(body("\t%x =l copy thread 1"), "expected a symbol ($name) after 'thread', found '1'", line: 3, column: 20)
        expectDiagnostic(body("\t%x =l copy extern extern $y"), "'extern' written twice", line: 3, column: 20)
        expectDiagnostic(body("\t%x =l copy $y + $z"), "expected an integer offset after '+', found '$z'", line: 3, column: 18)
        expectDiagnostic(body("\tjmp"), "expected a label after 'jmp', found end of line", line: 3, column: 5)
        expectDiagnostic(body("\tjnz 1 @a, @b"), "expected ',' after the jnz condition, found '@a'", line: 3, column: 8)
        expectDiagnostic(body("\tjnz 1, @a @b"), "expected ',' between the jnz targets, found '@b'", line: 3, column: 12)
        expectDiagnostic(body("\tjmp @x 1"), "expected end of line after 'jmp', found '1'", line: 3, column: 9)
        expectDiagnostic(body("\tret 0"), "function $f has no return type, so 'ret' cannot return a value", line: 3, column: 6)
        expectDiagnostic(body("\t%x =w load"), "'load' expects 1 operand, found none", line: 3, column: 12)
        expectDiagnostic(body("\tload %p"), "'load' needs a result: %name =CLASS load ...", line: 3, column: 2)
    }

    @Test func specialInstructionErrors() {
        expectDiagnostic(body("\tblit %a, %b, -1"), "blit size must be a non-negative integer constant (at most 4294967295), found '-1'", line: 3, column: 15)
        expectDiagnostic(body("\tblit %a, %b, %n"), "blit size must be a non-negative integer constant (at most 4294967295), found '%n'", line: 3, column: 15)
        expectDiagnostic(body("\tblit %a, %b, 4294967296"), "blit size must be a non-negative integer constant (at most 4294967295), found '4294967296'", line: 3, column: 15)
        expectDiagnostic(body("\tblit %a %b, 8"), "expected ',' after the blit source, found '%b'", line: 3, column: 10)
        expectDiagnostic(body("\tblit %a, %b, 8, 9"), "too many operands: 'blit' expects 3 operands", line: 3, column: 16)
        expectDiagnostic(body("\tvastart %ap"), "vastart used in function $f, which is not variadic", line: 3, column: 2)
        expectDiagnostic(body("\tdbgloc %x"), "expected a line number (0 to 4294967295) in dbgloc, found '%x'", line: 3, column: 9)
        expectDiagnostic(body("\tdbgloc 1, -2"), "expected a column number (0 to 4294967295) in dbgloc, found '-2'", line: 3, column: 12)
        expectDiagnostic(body("\tcall $g"), "expected '(' after the callee, found end of line", line: 3, column: 9)
        expectDiagnostic(body("\tcall $g(w)"), "expected an operand (%temporary, constant or $symbol), found ')'", line: 3, column: 11)
        expectDiagnostic(body("\tcall $g(w 1 w 2)"), "expected ',' or ')' in the argument list, found 'w'", line: 3, column: 14)
        expectDiagnostic(body("\tcall $g(q 1)"), "expected an argument type (w, l, s, d, r, sb, ub, sh, uh or :name), found 'q'", line: 3, column: 10)
        expectDiagnostic(body("\tcall $g(..., w 1, ...)"), "only one '...' allowed in a call", line: 3, column: 20)
        expectDiagnostic(body("\tcall $g(env 1, env 2)"), "only one environment argument allowed", line: 3, column: 17)
        expectDiagnostic(body("\tcall $g() 1"), "expected end of line after the call, found '1'", line: 3, column: 12)
        expectDiagnostic(body("\tcall $g(:nope %x)"), "undefined type ':nope'", line: 3, column: 10)
        expectDiagnostic(body("\tcall $g(w 1,\n)"), "expected an argument type (w, l, s, d, r, sb, ub, sh, uh or :name), found end of line", line: 3, column: 14)
    }

    @Test func errorsStopAtTheFirstProblem() throws {
        var m = Module()
        let text = "data $a = { w 1 }\nfunction $f() {\n@s\n\tret\n}\ndata $b = { q }\n"
        do {
            try ILParser.parse(Array(text.utf8), fileName: "x", into: &m)
            Issue.record("parsed")
        } catch {
            #expect(error.position.line == 6)
        }
        // The definitions before the error stay in the module.
        #expect(m.data.count == 1)
        #expect(m.functions.count == 1)
    }
}
