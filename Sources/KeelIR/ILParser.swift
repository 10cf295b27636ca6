/// The QBE IL parser: text to `Module`.
///
/// Contract: accepts the language of QBE's doc/il.txt as QBE's parse.c reads
/// it (including what parse.c tolerates: trailing commas, newlines between the
/// parts of type and data definitions, `env` anywhere in an argument list),
/// plus Keel's extensions (the `r` class with `loadr`/`storer`, and
/// `$sym + N` symbol offsets in operands; see docs/il-extensions.md).
/// Guarantees: definitions are appended to the module in source order; every
/// function has its blocks in source order with the entry first, every block
/// terminated (a missing jump becomes an explicit `jmp` to the next block),
/// one `Temp` per distinct name (not yet SSA: a name may be assigned more than
/// once) and one `ConstID` per distinct constant. Any malformed input, whatever
/// its bytes, ends in a thrown `Diagnostic` at the offending token; the parser
/// never traps. Type checking of operands is the verifier's job, not this one's.
///
/// Instructions without a result get the `type` their syntax implies: a store
/// its stored class, `blit` and `vastart` `l`, `dbgloc` and `call` `w`. A call's
/// `type` is its return type's `valueClass`; `extra` is its index in
/// `Function.calls`. A `dbgloc` without column gets column 0.
///
/// Algorithm: a hand-written one-token-lookahead recursive descent over a
/// byte lexer (`ILLexer`), names interned through byte-keyed hash tables.
public enum ILParser {
    /// Parses one IL file's bytes and appends its definitions to `module` (types,
    /// data, functions, dbgfile items, in order). On error, `module` keeps the
    /// definitions completed before the error.
    public static func parse(_ source: [UInt8], fileName: String, into module: inout Module) throws(Diagnostic) {
        try source.withUnsafeBufferPointer { (buf) throws(Diagnostic) -> Void in
            var parser = ILParserState(buf: buf, fileName: fileName, module: module)
            module = Module() // leaves the parser the only owner, so appends do not copy
            do throws(Diagnostic) {
                try parser.parseFile()
            } catch {
                module = parser.module
                throw error
            }
            module = parser.module
        }
    }
}

extension Module {
    /// Convenience: a module from one IL text.
    public init(parsing text: String, fileName: String = "<input>") throws(Diagnostic) {
        self.init()
        try ILParser.parse(Array(text.utf8), fileName: fileName, into: &self)
    }
}

/// The parser's working state for one `parse` call.
struct ILParserState {
    var lexer: ILLexer
    var peeked: Token?
    var module: Module
    let fileIndex: Int
    /// `$name` bytes to the module's symbol, so a repeated name allocates nothing.
    var symbolIDs = NameTable(capacity: 256)
    /// Aggregate type names visible so far (the latest definition of a name wins, as in QBE).
    var typeIDs: [String: TypeID] = [:]

    // Per-function state, reset for every function.
    var fn = Function(name: SymbolID(0))
    var temps = NameTable(capacity: 256)
    var labels = NameTable(capacity: 64)
    var constants = ConstantTable()
    /// Interned integer constants 0..<64 (`.none` until first seen).
    var smallIntegers = [Ref](repeating: .none, count: 64)
    var blockDefined: [Bool] = []
    var blockFirstUse: [SourcePosition] = []
    var definitionOrder: [Int] = []
    var current = -1
    /// Instructions of the current block, moved into it when the block ends.
    var pending: [Instruction] = []

    init(buf: UnsafeBufferPointer<UInt8>, fileName: String, module: Module) {
        self.lexer = ILLexer(buf, fileName: fileName)
        self.module = module
        self.module.files.append(fileName)
        self.fileIndex = self.module.files.count - 1
        for (i, t) in module.types.enumerated() { typeIDs[t.name] = TypeID(i) }
    }

    var buf: UnsafeBufferPointer<UInt8> { lexer.buf }

    // MARK: tokens

    @inline(__always)
    mutating func next() throws(Diagnostic) -> Token {
        if let t = peeked {
            peeked = nil
            return t
        }
        return try lexer.lex()
    }

    @inline(__always)
    mutating func peek() throws(Diagnostic) -> Token {
        if let t = peeked { return t }
        let t = try lexer.lex()
        peeked = t
        return t
    }

    /// The next token that is not a newline.
    mutating func nextSkippingNewlines() throws(Diagnostic) -> Token {
        while true {
            let t = try next()
            if t.kind != .newline { return t }
        }
    }

    func error(_ message: String, at t: Token) -> Diagnostic {
        Diagnostic(file: lexer.fileName, position: t.position, message: message)
    }

    func error(_ message: String, at position: SourcePosition) -> Diagnostic {
        Diagnostic(file: lexer.fileName, position: position, message: message)
    }

    /// The token's text (names without their sigil).
    func text(_ t: Token) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buf[t.start..<t.end]), as: UTF8.self)
    }

    /// The token as an error message shows it.
    func describe(_ t: Token) -> String {
        switch t.kind {
        case .eof: return "end of file"
        case .newline: return "end of line"
        case .comma: return "','"
        case .lparen: return "'('"
        case .rparen: return "')'"
        case .lbrace: return "'{'"
        case .rbrace: return "'}'"
        case .equals: return "'='"
        case .plus: return "'+'"
        case .string: return "string \"\(excerpt(t.start, t.end))\""
        case .temp: return "'%\(excerpt(t.start, t.end))'"
        case .label: return "'@\(excerpt(t.start, t.end))'"
        case .global: return "'$\(excerpt(t.start, t.end))'"
        case .typeName: return "':\(excerpt(t.start, t.end))'"
        case .integer, .single, .double, .word: return "'\(excerpt(t.start, t.end))'"
        }
    }

    /// Source bytes for a message: printable ASCII as is, the rest as `\xNN`, long text cut.
    func excerpt(_ start: Int, _ end: Int) -> String {
        var s = ""
        var i = start
        while i < end && i < buf.count {
            if i - start >= 40 {
                s += "..."
                break
            }
            let c = buf[i]
            if c >= 32 && c < 127 {
                s.unicodeScalars.append(Unicode.Scalar(c))
            } else {
                let hex = String(c, radix: 16)
                s += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
            i += 1
        }
        return s
    }

    // MARK: names

    mutating func symbol(_ t: Token) -> SymbolID {
        if let v = symbolIDs.lookup(hash: t.hash, start: t.start, end: t.end, in: buf) {
            return SymbolID(Int(v))
        }
        let id = module.symbols.intern(text(t))
        symbolIDs.insert(hash: t.hash, start: t.start, end: t.end, value: Int32(truncatingIfNeeded: id.int))
        return id
    }

    func aggregate(_ t: Token) throws(Diagnostic) -> TypeID {
        guard let id = typeIDs[text(t)] else { throw error("undefined type ':\(text(t))'", at: t) }
        return id
    }

    // MARK: top level

    mutating func parseFile() throws(Diagnostic) {
        while true {
            var linkage = Linkage()
            var firstLinkage: Token? = nil
            var threadToken: Token? = nil
            var t = try nextSkippingNewlines()
            linkageWords: while t.kind == .word {
                switch t.keyword {
                case .export: linkage.export = true
                case .thread:
                    linkage.thread = true
                    threadToken = t
                case .common: linkage.common = true
                case .section:
                    if linkage.section != nil { throw error("only one section allowed", at: t) }
                    let name = try next()
                    guard name.kind == .string else {
                        throw error("expected a section name string after 'section', found \(describe(name))", at: name)
                    }
                    linkage.section = text(name)
                    if try peek().kind == .string { linkage.sectionFlags = text(try next()) }
                default: break linkageWords
                }
                if firstLinkage == nil { firstLinkage = t }
                t = try nextSkippingNewlines()
            }
            switch (t.kind, t.keyword) {
            case (.eof, _):
                if firstLinkage != nil {
                    throw error("expected 'data' or 'function' after linkage, found end of file", at: t)
                }
                return
            case (.word, .function):
                if let thread = threadToken { throw error("only data may have thread linkage", at: thread) }
                try parseFunction(linkage)
            case (.word, .data):
                try parseData(linkage)
            case (.word, .type), (.word, .dbgfile):
                if firstLinkage != nil { throw error("only data and functions have linkage", at: t) }
                if t.keyword == .type {
                    try parseType()
                } else {
                    let name = try next()
                    guard name.kind == .string else {
                        throw error("expected a file name string after 'dbgfile', found \(describe(name))", at: name)
                    }
                    module.items.append(.dbgfile(text(name)))
                }
            default:
                throw error("expected a definition (function, data, type or dbgfile), found \(describe(t))", at: t)
            }
        }
    }

    /// A power-of-two alignment after `align`, at most `limit`.
    mutating func alignment(limit: Int) throws(Diagnostic) -> Int {
        let t = try nextSkippingNewlines()
        guard t.kind == .integer else { throw error("expected an alignment after 'align', found \(describe(t))", at: t) }
        let v = Int64(bitPattern: t.bits)
        guard v > 0, v <= limit, v & (v - 1) == 0 else {
            throw error("alignment must be a power of two between 1 and \(limit)", at: t)
        }
        return Int(v)
    }

    // MARK: types

    /// Largest aggregate size accepted, so size arithmetic cannot overflow.
    static let maxAggregateSize = 1 << 48

    mutating func parseType() throws(Diagnostic) {
        let nameToken = try nextSkippingNewlines()
        guard nameToken.kind == .typeName else {
            throw error("expected a type name (:name) after 'type', found \(describe(nameToken))", at: nameToken)
        }
        let eq = try nextSkippingNewlines()
        guard eq.kind == .equals else { throw error("expected '=' after the type name, found \(describe(eq))", at: eq) }
        var t = try nextSkippingNewlines()
        var explicitAlignment: Int? = nil
        if t.kind == .word && t.keyword == .align {
            explicitAlignment = try alignment(limit: 1 << 30)
            t = try nextSkippingNewlines()
        }
        guard t.kind == .lbrace else { throw error("expected '{' to start the type body, found \(describe(t))", at: t) }
        t = try nextSkippingNewlines()
        let name = text(nameToken)
        if t.kind == .integer {
            guard let align = explicitAlignment else {
                throw error("an opaque type needs an alignment: type :\(name) = align N { SIZE }", at: t)
            }
            let size = Int64(bitPattern: t.bits)
            guard size >= 0, size <= Int64(Self.maxAggregateSize) else {
                throw error("opaque type size must be between 0 and \(Self.maxAggregateSize)", at: t)
            }
            let close = try nextSkippingNewlines()
            guard close.kind == .rbrace else {
                throw error("expected '}' after the opaque type size, found \(describe(close))", at: close)
            }
            let id = module.addType(AggregateType(name: name, explicitAlignment: align, layout: .opaque(size: Int(size)),
                                                  size: Int(size), alignment: align, position: nameToken.position))
            typeIDs[name] = id
            return
        }
        var align = explicitAlignment ?? 1
        var variants: [[AggregateField]] = []
        var size = 0
        if t.kind == .lbrace {
            // A union: `{ FIELDS } { FIELDS } ...`; its size is the largest variant's.
            repeat {
                guard t.kind == .lbrace else {
                    throw error("expected '{' to start a union variant, or '}', found \(describe(t))", at: t)
                }
                let (fields, variantSize) = try parseFields(first: try nextSkippingNewlines(), alignment: &align)
                variants.append(fields)
                size = max(size, variantSize)
                t = try nextSkippingNewlines()
            } while t.kind != .rbrace
        } else {
            let (fields, structSize) = try parseFields(first: t, alignment: &align)
            variants = [fields]
            size = structSize
        }
        size = (size + align - 1) & ~(align - 1)
        let id = module.addType(AggregateType(name: name, explicitAlignment: explicitAlignment, layout: .fields(variants),
                                              size: size, alignment: align, position: nameToken.position))
        typeIDs[name] = id
    }

    /// `SUBTY [N], SUBTY [N], ... }` with C layout: each field at the next
    /// multiple of its alignment. Returns the fields and the unpadded size.
    mutating func parseFields(first: Token, alignment: inout Int) throws(Diagnostic) -> ([AggregateField], Int) {
        var t = first
        var fields: [AggregateField] = []
        var size = 0
        while t.kind != .rbrace {
            let kind: AggregateField.Kind
            let fieldSize: Int
            let fieldAlign: Int
            switch (t.kind, t.keyword) {
            case (.word, .b): kind = .scalar(.b)
            case (.word, .h): kind = .scalar(.h)
            case (.word, .w): kind = .scalar(.w)
            case (.word, .l): kind = .scalar(.l)
            case (.word, .s): kind = .scalar(.s)
            case (.word, .d): kind = .scalar(.d)
            case (.typeName, _): kind = .aggregate(try aggregate(t))
            default:
                throw error("expected a field type (b, h, w, l, s, d or :name), found \(describe(t))", at: t)
            }
            switch kind {
            case .scalar(let e):
                fieldSize = e.size
                fieldAlign = e.size
            case .aggregate(let id):
                fieldSize = module.types[id.int].size
                fieldAlign = module.types[id.int].alignment
            }
            t = try nextSkippingNewlines()
            var count = 1
            if t.kind == .integer {
                let v = Int64(bitPattern: t.bits)
                guard v >= 0, v <= Int64(Int32.max) else {
                    throw error("field count must be between 0 and \(Int32.max)", at: t)
                }
                count = Int(v)
                t = try nextSkippingNewlines()
            }
            alignment = max(alignment, fieldAlign)
            size = (size + fieldAlign - 1) & ~(fieldAlign - 1)
            let (bytes, overflow) = count.multipliedReportingOverflow(by: fieldSize)
            size += bytes
            if overflow || size > Self.maxAggregateSize {
                throw error("type is too large (more than \(Self.maxAggregateSize) bytes)", at: first)
            }
            fields.append(AggregateField(kind, count: count))
            if t.kind != .comma { break }
            t = try nextSkippingNewlines()
        }
        guard t.kind == .rbrace else { throw error("expected ',' or '}' after a field, found \(describe(t))", at: t) }
        return (fields, size)
    }

    // MARK: data

    mutating func parseData(_ linkage: Linkage) throws(Diagnostic) {
        let nameToken = try nextSkippingNewlines()
        guard nameToken.kind == .global else {
            throw error("expected a data name ($name) after 'data', found \(describe(nameToken))", at: nameToken)
        }
        let name = symbol(nameToken)
        let eq = try nextSkippingNewlines()
        guard eq.kind == .equals else { throw error("expected '=' after the data name, found \(describe(eq))", at: eq) }
        var t = try nextSkippingNewlines()
        var align: Int? = nil
        if t.kind == .word && t.keyword == .align {
            align = try alignment(limit: 64)
            t = try nextSkippingNewlines()
        }
        guard t.kind == .lbrace else {
            throw error("expected '{' to start the data contents, found \(describe(t))", at: t)
        }
        var items: [DataItem] = []
        contents: while true {
            t = try nextSkippingNewlines()
            if t.kind == .rbrace { break }
            let type: ExtType
            switch (t.kind, t.keyword) {
            case (.word, .b): type = .b
            case (.word, .h): type = .h
            case (.word, .w): type = .w
            case (.word, .l): type = .l
            case (.word, .s): type = .s
            case (.word, .d): type = .d
            case (.word, .z):
                t = try nextSkippingNewlines()
                repeat {
                    let v = Int64(bitPattern: t.bits)
                    guard t.kind == .integer, v >= 0, v <= Int64(Self.maxAggregateSize) else {
                        throw error("expected a byte count after 'z', found \(describe(t))", at: t)
                    }
                    items.append(.zero(Int(v)))
                    t = try nextSkippingNewlines()
                } while t.kind == .integer
                if t.kind == .rbrace { break contents }
                guard t.kind == .comma else {
                    throw error("expected ',' or '}' after a data item, found \(describe(t))", at: t)
                }
                continue
            case (.word, .r):
                // Reference cells (docs/il-extensions.md, "Global references").
                var cells: [Int64] = []
                t = try nextSkippingNewlines()
                repeat {
                    guard t.kind == .integer else {
                        throw error("expected the initial value of a reference cell after 'r' (0 or an immediate), found \(describe(t))", at: t)
                    }
                    let v = Int64(bitPattern: t.bits)
                    guard ManagedRuntime.isImmediateOrZero(v) else {
                        throw error("a reference cell starts as 0 or an immediate (low three bits not all 0), not \(v): the collector would trace it as an object", at: t)
                    }
                    cells.append(v)
                    t = try nextSkippingNewlines()
                } while t.kind == .integer
                items.append(.references(cells))
                if t.kind == .rbrace { break contents }
                guard t.kind == .comma else {
                    throw error("expected ',' or '}' after a data item, found \(describe(t))", at: t)
                }
                continue
            default:
                throw error("expected a data item type (b, h, w, l, s, d, r or z) or '}', found \(describe(t))", at: t)
            }
            var values: [DataValue] = []
            t = try nextSkippingNewlines()
            repeat {
                switch t.kind {
                case .integer: values.append(.integer(Int64(bitPattern: t.bits)))
                case .single: values.append(.single(bits: UInt32(truncatingIfNeeded: t.bits)))
                case .double: values.append(.double(bits: t.bits))
                case .string: values.append(.string(try decodeString(t)))
                case .global:
                    let sym = symbol(t)
                    values.append(.symbol(sym, offset: try symbolOffset()))
                default:
                    throw error("expected a constant or string in the data item, found \(describe(t))", at: t)
                }
                t = try nextSkippingNewlines()
            } while t.kind == .integer || t.kind == .single || t.kind == .double || t.kind == .string || t.kind == .global
            items.append(.values(type, values))
            if t.kind == .rbrace { break }
            guard t.kind == .comma else {
                throw error("expected ',' or '}' after a data item, found \(describe(t))", at: t)
            }
        }
        module.addData(DataDefinition(name: name, linkage: linkage, alignment: align, items: items,
                                      file: fileIndex, position: nameToken.position))
    }

    /// An optional `+ N` after a symbol.
    mutating func symbolOffset() throws(Diagnostic) -> Int64 {
        guard try peek().kind == .plus else { return 0 }
        _ = try next()
        let t = try next()
        guard t.kind == .integer else { throw error("expected an integer offset after '+', found \(describe(t))", at: t) }
        return Int64(bitPattern: t.bits)
    }

    /// The bytes a string literal stands for, escapes decoded as the assembler
    /// would: `\n \t \r \b \f \v \a \\ \" \' \?`, octal `\NNN`, hex `\xHH`.
    func decodeString(_ t: Token) throws(Diagnostic) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(t.end - t.start)
        var i = t.start
        while i < t.end {
            let c = buf[i]
            i += 1
            if c != 92 {
                out.append(c)
                continue
            }
            let backslash = i - 1
            guard i < t.end else { throw error("unterminated escape sequence in string", at: position(of: backslash, in: t)) }
            let e = buf[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "v"): out.append(11)
            case UInt8(ascii: "a"): out.append(7)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "?"): out.append(e)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var v = Int(e - 48)
                var digits = 1
                while digits < 3, i < t.end, buf[i] >= 48, buf[i] <= 55 {
                    v = v * 8 + Int(buf[i] - 48)
                    i += 1
                    digits += 1
                }
                out.append(UInt8(truncatingIfNeeded: v))
            case UInt8(ascii: "x"):
                var v = 0
                var digits = 0
                while i < t.end, isHexDigit(buf[i]) {
                    let h = buf[i]
                    v = ((v << 4) | Int(isDigit(h) ? h - 48 : (h | 0x20) - 87)) & 0xFF
                    i += 1
                    digits += 1
                }
                guard digits > 0 else {
                    throw error("expected hexadecimal digits after '\\x' in string", at: position(of: backslash, in: t))
                }
                out.append(UInt8(truncatingIfNeeded: v))
            default:
                throw error("unknown escape sequence '\\\(excerpt(i - 1, i))' in string", at: position(of: backslash, in: t))
            }
        }
        return out
    }

    /// Position of byte `offset` inside the string token `t` (strings may span lines).
    func position(of offset: Int, in t: Token) -> SourcePosition {
        var line = Int(t.position.line)
        var column = Int(t.position.column) + 1 + (offset - t.start)
        var i = t.start
        while i < offset {
            if buf[i] == 10 {
                line += 1
                column = offset - i
            }
            i += 1
        }
        return SourcePosition(line: line, column: column)
    }
}
