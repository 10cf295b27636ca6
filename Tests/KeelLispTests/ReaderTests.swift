import Testing
@testable import KeelLisp

/// The reader on its own: each kind of form, positions, and errors at file:line:col.
@Suite struct ReaderTests {
    func read(_ s: String) throws -> [Form] { try Reader.readAll(s, file: "t.clj") }

    func readError(_ s: String) -> LispError? {
        do {
            _ = try Reader.readAll(s, file: "t.clj")
            return nil
        } catch {
            return error
        }
    }

    @Test func atoms() throws {
        let forms = try read("nil true false 42 -7 +3 0x1F 1.5 -2e3 \"a\\n\\\"b\" \\a \\newline \\u0041 :k :ns/k sym")
        #expect(forms.map(\.kind) == [
            .nil_, .bool(true), .bool(false), .integer(42), .integer(-7), .integer(3), .integer(31), .double(1.5),
            .double(-2000), .string("a\n\"b"), .character(97), .character(10), .character(65), .keyword("k"),
            .keyword("ns/k"), .symbol("sym"),
        ])
    }

    @Test func sixtyFourBitIntegers() throws {
        #expect(try read("9223372036854775807 -9223372036854775808").map(\.kind)
                == [.integer(Int64.max), .integer(Int64.min)])
        let e = readError("\n  9223372036854775808")
        #expect(e?.location == SourceLocation(line: 2, column: 3))
        #expect(e?.message.contains("out of the 64-bit range") == true)
    }

    @Test func collectionsCommentsDiscardAndQuote() throws {
        let forms = try read("(a [1 2] {:x 1, :y 2} #{3}) ; comment\n#_ (ignored form) 'q")
        #expect(forms.count == 2)
        #expect(forms[0].text == "(a [1 2] {:x 1 :y 2} #{3})")
        #expect(forms[1].text == "(quote q)")
        #expect(forms[1].location == SourceLocation(line: 2, column: 19))
    }

    /// `#(...)` is a fn of the highest `%N` used (`%` is `%1`), with `& %&` when `%&` is used.
    @Test func anonymousFnLiterals() throws {
        #expect(try read("#(+ % 1)")[0].text == "(fn* [%1] (+ %1 1))")
        #expect(try read("#(f %2 %&)")[0].text == "(fn* [%1 %2 & %&] (f %2 %&))")
        #expect(try read("#(g)")[0].text == "(fn* [] (g))")
        #expect(try read("(% %1)")[0].text == "(% %1)")   // outside #(), plain symbols
        let nested = readError("(map #(+ %\n #(%)) xs)")
        #expect(nested?.location == SourceLocation(line: 2, column: 2))
        #expect(nested?.message == "Nested #()s are not allowed")
        #expect(readError("#(%a)")?.message.contains("arg literal must be %, %& or %integer") == true)
        #expect(readError("#(%21)")?.location == SourceLocation(line: 1, column: 3))
    }

    @Test func positionsAreLineAndColumn() throws {
        let forms = try read("(f\n   (g x))")
        guard case .list(let items) = forms[0].kind else { Issue.record("not a list"); return }
        #expect(items[1].location == SourceLocation(line: 2, column: 4))
    }

    @Test func errorsNameTheirPosition() {
        let cases: [(String, Int, Int, String)] = [
            ("(+ 1 2", 1, 1, "unterminated form"),
            ("  )", 1, 3, "unmatched delimiter"),
            ("(a]", 1, 3, "unmatched delimiter"),
            ("\"abc", 1, 1, "unterminated string"),
            ("\n\"a\\q\"", 2, 3, "unsupported escape"),
            ("{:a}", 1, 1, "even number of forms"),
            ("#?(:clj 1)", 1, 2, "unsupported reader macro"),
            ("\\bogus", 1, 1, "unsupported character"),
            ("1/2", 1, 1, "ratio"),
            ("'", 1, 1, "end of input after '"),
        ]
        for (source, line, column, message) in cases {
            let e = readError(source)
            #expect(e != nil, "no error for \(source)")
            #expect(e?.location == SourceLocation(line: line, column: column), "\(source): \(String(describing: e))")
            #expect(e?.message.contains(message) == true, "\(source): \(String(describing: e))")
            #expect(e?.description.hasPrefix("t.clj:\(line):\(column): error: ") == true)
        }
    }

    @Test func deepNestingIsAnErrorNotAStackOverflow() throws {
        let ok = String(repeating: "(", count: 500) + String(repeating: ")", count: 500)
        #expect(try read(ok).count == 1)
        let e = readError("\n" + String(repeating: "[", count: 100_000))
        #expect(e?.message.contains("nested more than 512 deep") == true)
        #expect(e?.location == SourceLocation(line: 2, column: 513))
        #expect(readError(String(repeating: "'", count: 100_000) + "x")?.message.contains("nested") == true)
    }
}
