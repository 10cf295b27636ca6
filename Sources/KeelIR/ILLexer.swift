/// The tokenizer of QBE IL text (doc/il.txt, section 2 "Lexical structure"; the
/// token rules follow QBE's parse.c so that every file QBE reads is read here).
///
/// Contract: scans raw bytes (any bytes, valid UTF-8 or not) and produces one
/// token at a time with its line and column; newlines are tokens (they end
/// instructions), `#` comments read as a newline. Malformed input (an
/// unterminated string, an overlong integer, a stray byte) is reported as a
/// `Diagnostic` at the token's start. Names are not copied: a name token is a
/// byte range of the source plus its FNV-1a hash, ready for interning.

/// What kind of token was read.
enum TokenKind: UInt8 {
    case eof, newline
    case comma, lparen, rparen, lbrace, rbrace, equals, plus
    /// Decimal integer; `bits` holds its 64-bit two's-complement value.
    case integer
    /// `s_...` / `d_...`; `bits` holds the IEEE bits.
    case single, double
    /// `%name`, `@name`, `$name` (or `$"quoted"`), `:name`: the range excludes the sigil.
    case temp, label, global, typeName
    /// `"..."`: the range is the text between the quotes, escapes undecoded.
    case string
    /// A bare word: a keyword (see `keyword`), or `.none` when unknown.
    case word
}

/// Reserved words of the IL. Opcodes are `.op` with the opcode in `Token.op`.
enum Keyword: UInt8 {
    case none, op
    case phi, jmp, jnz, ret, hlt
    /// `tailcall VAL(ARG, ...)`: the tail-call terminator (docs/il-extensions.md).
    case tailcall
    case export, thread, extern, common, function, type, data, section, align, dbgfile, env
    case w, l, s, d, r, b, h, sb, ub, sh, uh, z
    case dots
    /// QBE's generic `load`: the result class picks `loadsw`/`loadl`/`loads`/`loadd`/`loadr`.
    case load
}

struct Token {
    // Small fields first: the token is 40 bytes, copied on every `next()`.
    var kind: TokenKind
    var keyword: Keyword
    var op: Opcode
    var hash: UInt32
    /// Byte range in the source (names: without the sigil; strings: without quotes).
    var start: Int
    var end: Int
    var bits: UInt64
    var position: SourcePosition

    init(kind: TokenKind, keyword: Keyword = .none, op: Opcode = .add, start: Int, end: Int,
         hash: UInt32 = 0, bits: UInt64 = 0, position: SourcePosition) {
        self.kind = kind
        self.keyword = keyword
        self.op = op
        self.hash = hash
        self.start = start
        self.end = end
        self.bits = bits
        self.position = position
    }
}

/// FNV-1a, used for every name and keyword table of the parser.
@inline(__always)
func fnvStep(_ h: UInt32, _ byte: UInt8) -> UInt32 { (h ^ UInt32(byte)) &* 16_777_619 }
let fnvSeed: UInt32 = 2_166_136_261

/// Character classes as QBE's lexer uses them (C locale, ASCII only).
@inline(__always) func isDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }
@inline(__always) func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) &- 97 < 26 }
@inline(__always) func isNameStart(_ c: UInt8) -> Bool { isAlpha(c) || c == 46 || c == 95 }  // . _
@inline(__always) func isNameChar(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) || c == 46 || c == 95 || c == 36 } // . _ $

/// The keyword table: an open-addressed hash table over the keyword bytes, built once.
struct KeywordTable: Sendable {
    private var names: [[UInt8]]
    private var words: [Keyword]
    private var ops: [Opcode]
    private var slots: [Int16]
    private let mask: Int

    static let shared = KeywordTable()

    private init() {
        var entries: [(String, Keyword, Opcode)] = Opcode.allCases.map { ($0.name, .op, $0) }
        entries += [("loadw", .op, .loadsw), ("alloc1", .op, .alloc4), ("alloc2", .op, .alloc4)]
        let plain: [(String, Keyword)] = [
            ("phi", .phi), ("jmp", .jmp), ("jnz", .jnz), ("ret", .ret), ("hlt", .hlt), ("tailcall", .tailcall),
            ("export", .export), ("thread", .thread), ("extern", .extern), ("common", .common),
            ("function", .function), ("type", .type), ("data", .data), ("section", .section),
            ("align", .align), ("dbgfile", .dbgfile), ("env", .env),
            ("w", .w), ("l", .l), ("s", .s), ("d", .d), ("r", .r), ("b", .b), ("h", .h),
            ("sb", .sb), ("ub", .ub), ("sh", .sh), ("uh", .uh), ("z", .z), ("...", .dots), ("load", .load),
        ]
        entries += plain.map { ($0.0, $0.1, Opcode.add) }
        names = []; words = []; ops = []
        mask = 1023
        slots = Array(repeating: -1, count: mask + 1)
        for (name, word, op) in entries {
            let bytes = Array(name.utf8)
            var h = fnvSeed
            for c in bytes { h = fnvStep(h, c) }
            var i = Int(h) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int16(names.count)
            names.append(bytes); words.append(word); ops.append(op)
        }
    }

    func lookup(hash: UInt32, start: Int, end: Int, in buf: UnsafeBufferPointer<UInt8>) -> (Keyword, Opcode) {
        var i = Int(hash) & mask
        while true {
            let e = Int(slots[i])
            if e < 0 { return (.none, .add) }
            let name = names[e]
            if name.count == end - start {
                var same = true
                var k = 0
                while k < name.count {
                    if name[k] != buf[start + k] { same = false; break }
                    k += 1
                }
                if same { return (words[e], ops[e]) }
            }
            i = (i + 1) & mask
        }
    }
}

struct ILLexer {
    let buf: UnsafeBufferPointer<UInt8>
    let fileName: String
    let keywords: KeywordTable
    var pos = 0
    var line = 1
    var lineStart = 0

    init(_ buf: UnsafeBufferPointer<UInt8>, fileName: String) {
        self.buf = buf
        self.fileName = fileName
        self.keywords = KeywordTable.shared
    }

    @inline(__always) func byte(_ i: Int) -> UInt8? { i < buf.count ? buf[i] : nil }

    func error(_ message: String, at position: SourcePosition) -> Diagnostic {
        Diagnostic(file: fileName, position: position, message: message)
    }

    @inline(__always) func positionOf(_ offset: Int) -> SourcePosition {
        SourcePosition(line: line, column: offset - lineStart + 1)
    }

    mutating func lex() throws(Diagnostic) -> Token {
        let n = buf.count
        while pos < n, buf[pos] == 32 || buf[pos] == 9 || buf[pos] == 13 { pos += 1 }
        let start = pos
        let position = positionOf(start)
        guard pos < n else { return Token(kind: .eof, start: start, end: start, position: position) }
        let c = buf[pos]
        pos += 1
        func punct(_ k: TokenKind) -> Token { Token(kind: k, start: start, end: start + 1, position: position) }
        switch c {
        case 10:
            line += 1
            lineStart = pos
            return punct(.newline)
        case 35: // '#': a comment reads as the newline that ends it
            while pos < n, buf[pos] != 10 { pos += 1 }
            if pos < n {
                pos += 1
                line += 1
                lineStart = pos
            }
            return punct(.newline)
        case 44: return punct(.comma)
        case 40: return punct(.lparen)
        case 41: return punct(.rparen)
        case 123: return punct(.lbrace)
        case 125: return punct(.rbrace)
        case 61: return punct(.equals)
        case 43: return punct(.plus)
        case 37: return try name(.temp, sigil: "%", position: position)
        case 64: return try name(.label, sigil: "@", position: position)
        case 58: return try name(.typeName, sigil: ":", position: position)
        case 36:
            if pos < n, buf[pos] == 34 {
                // `$"quoted name"`: the name keeps its quotes, as QBE does.
                let s = try stringBody(openedAt: position)
                var h = fnvSeed
                for i in (s.start - 1)...s.end { h = fnvStep(h, buf[i]) }
                return Token(kind: .global, start: s.start - 1, end: s.end + 1, hash: h, position: position)
            }
            return try name(.global, sigil: "$", position: position)
        case 34:
            pos -= 1
            let s = try stringBody(openedAt: position)
            return Token(kind: .string, start: s.start, end: s.end, position: position)
        case 45, 48...57:
            return try integer(negative: c == 45, start: start, position: position)
        case 115, 100: // s_ / d_ float constants
            if pos < n, buf[pos] == 95 {
                return try float(double: c == 100, start: start, position: position)
            }
            return word(start: start, position: position)
        default:
            if isNameStart(c) { return word(start: start, position: position) }
            throw error("unexpected \(describeByte(c))", at: position)
        }
    }

    /// A name after its sigil: `[A-Za-z._][A-Za-z0-9._$]*`.
    @inline(__always)
    private mutating func name(_ kind: TokenKind, sigil: String, position: SourcePosition) throws(Diagnostic) -> Token {
        let start = pos
        guard pos < buf.count, isNameStart(buf[pos]) else {
            let what = pos < buf.count ? describeByte(buf[pos]) : "end of file"
            throw error("expected a name after '\(sigil)', found \(what)", at: position)
        }
        var h = fnvSeed
        while pos < buf.count, isNameChar(buf[pos]) {
            h = fnvStep(h, buf[pos])
            pos += 1
        }
        return Token(kind: kind, start: start, end: pos, hash: h, position: position)
    }

    /// A bare word: a keyword or an unknown word (the parser decides what is wrong with it).
    @inline(__always)
    private mutating func word(start: Int, position: SourcePosition) -> Token {
        var h = fnvStep(fnvSeed, buf[start])
        while pos < buf.count, isNameChar(buf[pos]) {
            h = fnvStep(h, buf[pos])
            pos += 1
        }
        // One-letter words are mostly classes (`w`, `l`, ...): no table lookup for them.
        let (kw, op) = pos - start == 1 ? (Self.letterKeyword(buf[start]), Opcode.add)
                                        : keywords.lookup(hash: h, start: start, end: pos, in: buf)
        return Token(kind: .word, keyword: kw, op: op, start: start, end: pos, hash: h, position: position)
    }

    /// The keyword spelled by one letter, `.none` if none is.
    @inline(__always)
    private static func letterKeyword(_ c: UInt8) -> Keyword {
        switch c {
        case UInt8(ascii: "w"): return .w
        case UInt8(ascii: "l"): return .l
        case UInt8(ascii: "s"): return .s
        case UInt8(ascii: "d"): return .d
        case UInt8(ascii: "r"): return .r
        case UInt8(ascii: "b"): return .b
        case UInt8(ascii: "h"): return .h
        case UInt8(ascii: "z"): return .z
        default: return .none
        }
    }

    /// The text of a quoted string, `pos` at the opening quote. Returns the range inside the quotes.
    private mutating func stringBody(openedAt position: SourcePosition) throws(Diagnostic) -> (start: Int, end: Int) {
        pos += 1
        let start = pos
        var escaped = false
        while pos < buf.count {
            let c = buf[pos]
            if c == 34 && !escaped {
                pos += 1
                return (start, pos - 1)
            }
            if c == 10 {
                line += 1
                lineStart = pos + 1
            }
            escaped = c == 92 && !escaped
            pos += 1
        }
        throw error("unterminated string", at: position)
    }

    /// `-?[0-9]+`, as 64-bit bits negated in two's complement when written
    /// with `-`. Like QBE, digits past 18446744073709551615 wrap modulo 2^64
    /// (front ends may write any unsigned or signed 64-bit value, and QBE
    /// accepts every digit string).
    private mutating func integer(negative: Bool, start: Int, position: SourcePosition) throws(Diagnostic) -> Token {
        if negative {
            guard pos < buf.count, isDigit(buf[pos]) else {
                throw error("expected digits after '-'", at: position)
            }
        } else {
            pos -= 1
        }
        var v: UInt64 = 0
        while pos < buf.count, isDigit(buf[pos]) {
            v = v &* 10 &+ UInt64(buf[pos] &- 48)
            pos += 1
        }
        if negative { v = 0 &- v }
        return Token(kind: .integer, start: start, end: pos, bits: v, position: position)
    }

    /// `s_FP` / `d_FP` where FP is what C's `%f` conversion reads: a decimal or
    /// hexadecimal float, `inf`, `infinity` or `nan`, with an optional sign.
    private mutating func float(double: Bool, start: Int, position: SourcePosition) throws(Diagnostic) -> Token {
        pos += 1 // the '_'
        let numStart = pos
        var p = pos
        var negative = false
        if let c = byte(p), c == 43 || c == 45 {
            negative = c == 45
            p += 1
        }
        let kind: TokenKind = double ? .double : .single
        func matchWord(_ w: String, at p: Int) -> Bool {
            var i = p
            for ch in w.utf8 {
                guard let c = byte(i), c | 0x20 == ch else { return false }
                i += 1
            }
            return true
        }
        if matchWord("nan", at: p) {
            p += 3
            if byte(p) == 40 { // nan(chars): the payload is ignored, as most C libraries do
                var q = p + 1
                while let c = byte(q), isNameChar(c) { q += 1 }
                if byte(q) == 41 { p = q + 1 }
            }
            pos = p
            let bits: UInt64 = double
                ? Double.nan.bitPattern | (negative ? 1 << 63 : 0)
                : UInt64(Float.nan.bitPattern | (negative ? 1 << 31 : 0))
            return Token(kind: kind, start: start, end: pos, bits: bits, position: position)
        }
        if matchWord("inf", at: p) {
            p += matchWord("infinity", at: p) ? 8 : 3
            pos = p
            let bits: UInt64 = double
                ? (negative ? -Double.infinity : Double.infinity).bitPattern
                : UInt64((negative ? -Float.infinity : Float.infinity).bitPattern)
            return Token(kind: kind, start: start, end: pos, bits: bits, position: position)
        }
        var digits = 0
        if byte(p) == 48, let x = byte(p + 1), x | 0x20 == 120, let h = byte(p + 2), isHexDigit(h) || h == 46 {
            p += 2
            while let c = byte(p), isHexDigit(c) { p += 1; digits += 1 }
            if byte(p) == 46 {
                p += 1
                while let c = byte(p), isHexDigit(c) { p += 1; digits += 1 }
            }
            if digits > 0, let e = byte(p), e | 0x20 == 112 { p = exponent(after: p) }
        } else {
            while let c = byte(p), isDigit(c) { p += 1; digits += 1 }
            if byte(p) == 46 {
                p += 1
                while let c = byte(p), isDigit(c) { p += 1; digits += 1 }
            }
            if digits > 0, let e = byte(p), e | 0x20 == 101 { p = exponent(after: p) }
        }
        guard digits > 0 else {
            throw error("invalid \(double ? "double" : "single")-precision constant: expected a number after '\(double ? "d_" : "s_")'", at: position)
        }
        pos = p
        let text = String(decoding: UnsafeBufferPointer(rebasing: buf[numStart..<p]), as: UTF8.self)
        let bits: UInt64
        if double {
            guard let v = Double(text) else { throw error("invalid double-precision constant", at: position) }
            bits = v.bitPattern
        } else {
            guard let v = Float(text) else { throw error("invalid single-precision constant", at: position) }
            bits = UInt64(v.bitPattern)
        }
        return Token(kind: kind, start: start, end: pos, bits: bits, position: position)
    }

    /// Consumes `e[+-]digits` / `p[+-]digits` at `p` when complete; otherwise leaves it.
    private func exponent(after p: Int) -> Int {
        var q = p + 1
        if let c = byte(q), c == 43 || c == 45 { q += 1 }
        guard let c = byte(q), isDigit(c) else { return p }
        while let c = byte(q), isDigit(c) { q += 1 }
        return q
    }
}

@inline(__always) func isHexDigit(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20) &- 97 < 6 }

/// A byte for an error message: the character when printable, else its code.
func describeByte(_ c: UInt8) -> String {
    switch c {
    case 32: return "space"
    case 9: return "tab"
    case 10: return "end of line"
    case 13: return "carriage return"
    default: break
    }
    if c >= 33 && c < 127 { return "character '\(Character(Unicode.Scalar(c)))'" }
    let hex = String(c, radix: 16, uppercase: true)
    return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
}
