/// The reader: source bytes to forms. Integers are 64-bit (a literal out of
/// range is an error: there are no big integers), doubles, strings with
/// escapes, characters, keywords, symbols, lists, vectors, maps, sets, nil,
/// true/false, `;` comments, `#_` (discard the next form), `'` (quote) and
/// `#(...)` (an anonymous fn of `%`, `%1`, `%2`, ..., `%&`).
/// Every error names file:line:col.
public struct Reader {
    private let bytes: [UInt8]
    private let file: String
    private var index = 0
    private var line = 1
    private var column = 1
    private var depth = 0
    /// Inside `#(...)`: the highest `%N` read so far (0: none) and whether `%&` was.
    private var fnLiteral: (highest: Int, rest: Bool)? = nil
    /// Deeper nesting is an error rather than a stack overflow in the reader
    /// or the compiler's recursive passes.
    static let maxDepth = 512

    public init(_ source: String, file: String) {
        self.bytes = Array(source.utf8)
        self.file = file
    }

    /// Every form of the source.
    public static func readAll(_ source: String, file: String) throws(LispError) -> [Form] {
        var reader = Reader(source, file: file)
        var forms: [Form] = []
        while let form = try reader.next() { forms.append(form) }
        return forms
    }

    /// The next form, or nil at the end of the input.
    public mutating func next() throws(LispError) -> Form? {
        while true {
            skipWhitespace()
            guard let c = peek() else { return nil }
            if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                throw error("unmatched delimiter: \(Character(Unicode.Scalar(c)))")
            }
            if let form = try readForm() { return form }
        }
    }

    // MARK: forms

    /// One form; nil when the text read was a `#_` discard with nothing to return.
    private mutating func readForm() throws(LispError) -> Form? {
        let start = here
        guard let c = peek() else { throw endOfInput("unexpected end of input", at: here) }
        switch c {
        case UInt8(ascii: "("): return Form(.list(try readSequence(closing: ")", start: start)), at: start)
        case UInt8(ascii: "["): return Form(.vector(try readSequence(closing: "]", start: start)), at: start)
        case UInt8(ascii: "{"):
            let items = try readSequence(closing: "}", start: start)
            if items.count % 2 != 0 { throw LispError(file: file, location: start, message: "map literal must contain an even number of forms") }
            return Form(.map(items), at: start)
        case UInt8(ascii: "\""): return try readString()
        case UInt8(ascii: "\\"): return try readCharacter()
        case UInt8(ascii: "'"):
            advance()
            return try nested(at: start) { (r: inout Reader) throws(LispError) -> Form in
                let quoted = try r.requiredForm(after: "'", at: start)
                return Form(.list([Form(.symbol("quote"), at: start), quoted]), at: start)
            }
        case UInt8(ascii: "#"):
            advance()
            guard let d = peek() else { throw endOfInput("unexpected end of input after #", at: here) }
            if d == UInt8(ascii: "{") {
                let items = try readSequence(closing: "}", start: start)
                return Form(.set(items), at: start)
            }
            if d == UInt8(ascii: "_") {
                advance()
                _ = try requiredForm(after: "#_", at: start)
                return nil
            }
            if d == UInt8(ascii: "(") { return try readFnLiteral(start: start) }
            throw error("unsupported reader macro #\(Character(Unicode.Scalar(d)))")
        case UInt8(ascii: "^"):
            return try readMetadata(start: start)
        case UInt8(ascii: "`"), UInt8(ascii: "~"), UInt8(ascii: "@"):
            throw error("unsupported reader syntax '\(Character(Unicode.Scalar(c)))'")
        default:
            return try readAtom()
        }
    }

    /// `^meta form`: the form with its type hint, when the metadata is a
    /// symbol (`^doubles`), a string, or a map with a `:tag`; keyword
    /// metadata (`^:private`) and other map entries are read and dropped.
    private mutating func readMetadata(start: SourceLocation) throws(LispError) -> Form {
        advance()
        return try nested(at: start) { (r: inout Reader) throws(LispError) -> Form in try r.readHinted(start: start) }
    }

    /// `body`'s form one level deeper, which must not pass maxDepth.
    private mutating func nested(at start: SourceLocation,
                                 _ body: (inout Reader) throws(LispError) -> Form) throws(LispError) -> Form {
        depth += 1
        defer { depth -= 1 }
        if depth > Reader.maxDepth {
            throw LispError(file: file, location: start, message: "forms nested more than \(Reader.maxDepth) deep")
        }
        return try body(&self)
    }

    /// The metadata and the form after `^`.
    private mutating func readHinted(start: SourceLocation) throws(LispError) -> Form {
        let meta = try requiredForm(after: "^", at: start)
        var tag: String? = nil
        switch meta.kind {
        case .symbol(let s), .string(let s): tag = s
        case .keyword: break
        case .map(let items):
            for i in stride(from: 0, to: items.count, by: 2) where items[i].kind == .keyword("tag") {
                switch items[i + 1].kind {
                case .symbol(let s), .string(let s): tag = s
                default: break
                }
            }
        default:
            throw LispError(file: file, location: meta.location, message: "Metadata must be Symbol,Keyword,String or Map")
        }
        var form = try requiredForm(after: "^", at: start)
        if let tag { form.tag = tag }
        return form
    }

    /// `#(body)`: `(fn* [%1 .. %N & %&] (body))`, N the highest `%N` used
    /// (`%` is `%1`), as Clojure's reader expands it. The parameters keep
    /// the `%` names, which only a `#()` may bind.
    private mutating func readFnLiteral(start: SourceLocation) throws(LispError) -> Form {
        if fnLiteral != nil { throw LispError(file: file, location: start, message: "Nested #()s are not allowed") }
        fnLiteral = (0, false)
        defer { fnLiteral = nil }
        let body = try readSequence(closing: ")", start: start)
        let (highest, rest) = fnLiteral!
        var parameters = (0..<highest).map { Form(.symbol("%\($0 + 1)"), at: start) }
        if rest { parameters += [Form(.symbol("&"), at: start), Form(.symbol("%&"), at: start)] }
        return Form(.list([Form(.symbol("fn*"), at: start), Form(.vector(parameters), at: start), Form(.list(body), at: start)]), at: start)
    }

    /// A `%` symbol inside `#()`: its parameter's name, recorded as used.
    private mutating func fnLiteralArgument(_ text: String, at start: SourceLocation) throws(LispError) -> Form {
        if text == "%&" {
            fnLiteral!.rest = true
            return Form(.symbol(text), at: start)
        }
        let digits = text.dropFirst()
        guard let n = digits.isEmpty ? 1 : Int(digits), n >= 1, n <= 20, digits.first != "+" else {
            throw LispError(file: file, location: start, message: "arg literal must be %, %& or %integer (1 to 20): \(text)")
        }
        fnLiteral!.highest = max(fnLiteral!.highest, n)
        return Form(.symbol("%\(n)"), at: start)
    }

    /// The form after a prefix such as `'`; skipping `#_` forms.
    private mutating func requiredForm(after prefix: String, at start: SourceLocation) throws(LispError) -> Form {
        while true {
            skipWhitespace()
            guard let c = peek() else {
                throw endOfInput("end of input after \(prefix)", at: start)
            }
            if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                throw error("expected a form after \(prefix)")
            }
            if let f = try readForm() { return f }
        }
    }

    private mutating func readSequence(closing: Character, start: SourceLocation) throws(LispError) -> [Form] {
        advance()  // the opening delimiter
        depth += 1
        defer { depth -= 1 }
        if depth > Reader.maxDepth {
            throw LispError(file: file, location: start, message: "forms nested more than \(Reader.maxDepth) deep")
        }
        let close = closing.asciiValue!
        var items: [Form] = []
        while true {
            skipWhitespace()
            guard let c = peek() else {
                throw endOfInput("unterminated form: no closing '\(closing)' before the end of input", at: start)
            }
            if c == close {
                advance()
                return items
            }
            if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                throw error("unmatched delimiter: \(Character(Unicode.Scalar(c))) (expected '\(closing)')")
            }
            if let f = try readForm() { items.append(f) }
        }
    }

    private mutating func readString() throws(LispError) -> Form {
        let start = here
        advance()
        var out: [UInt8] = []
        while true {
            guard let c = peek() else { throw endOfInput("unterminated string", at: start) }
            if c == UInt8(ascii: "\"") {
                advance()
                return Form(.string(String(decoding: out, as: UTF8.self)), at: start)
            }
            if c == UInt8(ascii: "\\") {
                let escapeAt = here
                advance()
                guard let e = peek() else { throw endOfInput("unterminated string", at: start) }
                advance()
                switch e {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "\""): out.append(34)
                case UInt8(ascii: "\\"): out.append(92)
                case UInt8(ascii: "u"):
                    let scalar = try readHex(4, at: escapeAt)
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw LispError(file: file, location: escapeAt,
                                    message: "unsupported escape character: \\\(Character(Unicode.Scalar(e)))")
                }
                continue
            }
            out.append(c)
            advance()
        }
    }

    private mutating func readHex(_ digits: Int, at location: SourceLocation) throws(LispError) -> Unicode.Scalar {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let c = peek(), let d = hexValue(c) else {
                throw LispError(file: file, location: location, message: "invalid unicode escape: expected \(digits) hex digits")
            }
            value = value * 16 + d
            advance()
        }
        guard let s = Unicode.Scalar(value) else {
            throw LispError(file: file, location: location, message: "invalid unicode character \\u\(String(value, radix: 16))")
        }
        return s
    }

    private mutating func readCharacter() throws(LispError) -> Form {
        let start = here
        advance()  // the backslash
        guard let first = peek() else { throw endOfInput("end of input in a character literal", at: start) }
        // One character always; a name continues while the token does.
        var token = readUTF8Scalar()
        while let c = peek(), !isDelimiter(c) { token.unicodeScalars.append(readUTF8Scalar().unicodeScalars.first!) }
        let named: [String: UInt32] = ["newline": 10, "space": 32, "tab": 9, "return": 13, "backspace": 8, "formfeed": 12]
        if token.unicodeScalars.count == 1 { return Form(.character(token.unicodeScalars.first!.value), at: start) }
        if let v = named[token] { return Form(.character(v), at: start) }
        if first == UInt8(ascii: "u"), token.count == 5, let v = UInt32(token.dropFirst(), radix: 16), Unicode.Scalar(v) != nil {
            return Form(.character(v), at: start)
        }
        throw LispError(file: file, location: start, message: "unsupported character: \\\(token)")
    }

    private mutating func readUTF8Scalar() -> String {
        let lead = bytes[index]
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        let end = min(index + length, bytes.count)
        let s = String(decoding: bytes[index..<end], as: UTF8.self)
        for _ in index..<end { advance() }
        return s
    }

    private mutating func readAtom() throws(LispError) -> Form {
        let start = here
        var token: [UInt8] = []
        while let c = peek(), !isDelimiter(c) {
            token.append(c)
            advance()
        }
        let text = String(decoding: token, as: UTF8.self)
        if token.isEmpty { throw LispError(file: file, location: start, message: "unexpected character") }
        let first = token[0]
        let isDigit = { (c: UInt8) in c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        if isDigit(first) || ((first == UInt8(ascii: "-") || first == UInt8(ascii: "+")) && token.count > 1 && isDigit(token[1])) {
            return try number(text, at: start)
        }
        if first == UInt8(ascii: ":") {
            let name = String(text.dropFirst())
            if name.isEmpty || name.hasPrefix(":") || name.hasSuffix("/") {
                throw LispError(file: file, location: start, message: "invalid token: \(text)")
            }
            return Form(.keyword(name), at: start)
        }
        switch text {
        case "nil": return Form(.nil_, at: start)
        case "true": return Form(.bool(true), at: start)
        case "false": return Form(.bool(false), at: start)
        default:
            if fnLiteral != nil && first == UInt8(ascii: "%") { return try fnLiteralArgument(text, at: start) }
            return Form(.symbol(text), at: start)
        }
    }

    private func number(_ text: String, at start: SourceLocation) throws(LispError) -> Form {
        var body = Substring(text)
        if body.hasSuffix("N") || body.hasSuffix("M") {
            throw LispError(file: file, location: start, message: "big number literals are not supported: \(text)")
        }
        if body.contains("/") {
            throw LispError(file: file, location: start, message: "ratio literals are not supported: \(text)")
        }
        // A hex integer may contain e/E digits (0x4e0811a1): it is never a double.
        let unsigned = body.first == "-" || body.first == "+" ? body.dropFirst() : body
        let hex = unsigned.hasPrefix("0x") || unsigned.hasPrefix("0X")
        if !hex && (body.contains(".") || body.contains("e") || body.contains("E")) {
            guard let d = Double(body) else { throw LispError(file: file, location: start, message: "invalid number: \(text)") }
            return Form(.double(d), at: start)
        }
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        var radix = 10
        if body.hasPrefix("0x") || body.hasPrefix("0X") {
            radix = 16
            body = body.dropFirst(2)
        }
        guard let magnitude = UInt64(body, radix: radix) else {
            if body.allSatisfy({ $0.isHexDigit }) {
                throw LispError(file: file, location: start, message: "integer literal out of the 64-bit range: \(text)")
            }
            throw LispError(file: file, location: start, message: "invalid number: \(text)")
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else {
                throw LispError(file: file, location: start, message: "integer literal out of the 64-bit range: \(text)")
            }
            return Form(.integer(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)), at: start)
        }
        guard magnitude <= UInt64(Int64.max) else {
            throw LispError(file: file, location: start, message: "integer literal out of the 64-bit range: \(text)")
        }
        return Form(.integer(Int64(magnitude)), at: start)
    }

    // MARK: characters

    private var here: SourceLocation { SourceLocation(line: line, column: column) }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func advance() {
        guard index < bytes.count else { return }
        let c = bytes[index]
        index += 1
        if c == 10 {
            line += 1
            column = 1
        } else if c & 0xC0 != 0x80 {
            column += 1  // columns count characters, not UTF-8 continuation bytes
        }
    }

    private mutating func skipWhitespace() {
        while let c = peek() {
            if c == UInt8(ascii: ";") {
                while let d = peek(), d != 10 { advance() }
            } else if c == 32 || c == 9 || c == 10 || c == 13 || c == 12 || c == UInt8(ascii: ",") {
                advance()
            } else {
                return
            }
        }
    }

    private func isDelimiter(_ c: UInt8) -> Bool {
        switch c {
        case 32, 9, 10, 13, 12, UInt8(ascii: ","), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "\""), UInt8(ascii: ";"):
            return true
        default:
            return false
        }
    }

    private func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private func error(_ message: String) -> LispError { LispError(file: file, location: here, message: message) }
    /// The input ended inside a form (the REPL reads on instead).
    private func endOfInput(_ message: String, at location: SourceLocation) -> LispError {
        var e = LispError(file: file, location: location, message: message)
        e.endsInsideForm = true
        return e
    }
}
