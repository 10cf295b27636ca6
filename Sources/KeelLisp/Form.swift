/// A form as the reader returns it: data with the position of its first character.
public struct Form: Sendable, Equatable {
    public indirect enum Kind: Sendable, Equatable {
        case nil_
        case bool(Bool)
        case integer(Int64)
        case double(Double)
        case string(String)
        case character(UInt32)
        case keyword(String)
        case symbol(String)
        case list([Form])
        case vector([Form])
        case map([Form])
        case set([Form])
    }

    public var kind: Kind
    public var location: SourceLocation
    /// A type hint read from `^tag` metadata (`^doubles`, `^{:tag longs}`):
    /// the compiler's claim of what the value is (StaticTypes.swift). Not
    /// part of the form's value: equality ignores it.
    public var tag: String? = nil

    public static func == (a: Form, b: Form) -> Bool { a.kind == b.kind && a.location == b.location }

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    public var symbolName: String? {
        if case .symbol(let s) = kind { return s }
        return nil
    }

    /// The form written back as source (for messages and tests).
    public var text: String {
        func items(_ fs: [Form]) -> String { fs.map(\.text).joined(separator: " ") }
        switch kind {
        case .nil_: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let n): return String(n)
        case .double(let d): return String(d)
        case .string(let s): return "\"\(s)\""
        case .character(let c): return "\\" + String(Character(Unicode.Scalar(c) ?? "?"))
        case .keyword(let k): return ":" + k
        case .symbol(let s): return s
        case .list(let fs): return "(" + items(fs) + ")"
        case .vector(let fs): return "[" + items(fs) + "]"
        case .map(let fs): return "{" + items(fs) + "}"
        case .set(let fs): return "#{" + items(fs) + "}"
        }
    }
}

/// A position in a source file, 1-based.
public struct SourceLocation: Sendable, Equatable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// A reader or compiler error: FILE:LINE:COL: error: MESSAGE.
public struct LispError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var location: SourceLocation
    public var message: String
    /// Set by the reader when the input ended inside a form.
    public var endsInsideForm = false

    public init(file: String, location: SourceLocation, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String { "\(file):\(location.line):\(location.column): error: \(message)" }
}
