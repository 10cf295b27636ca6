/// A line and column in an IL source file (both 1-based; 0 means unknown).
public struct SourcePosition: Hashable, Sendable, Comparable {
    public var line: UInt32
    public var column: UInt32
    public init(line: Int, column: Int) {
        self.line = UInt32(clamping: line)
        self.column = UInt32(clamping: column)
    }
    public static let unknown = SourcePosition(line: 0, column: 0)
    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// An error found in a program, with where it was found.
///
/// Prints as `file:line:col: error: message`, the form editors and CI logs understand.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    /// An error makes the input invalid; a warning points at something legal but suspicious.
    public enum Severity: String, Hashable, Sendable { case error, warning }

    public var file: String
    public var position: SourcePosition
    public var message: String
    public var severity: Severity

    public init(file: String, position: SourcePosition, message: String, severity: Severity = .error) {
        self.file = file
        self.position = position
        self.message = message
        self.severity = severity
    }

    public var isError: Bool { severity == .error }

    public var description: String {
        "\(file):\(position.line):\(position.column): \(severity.rawValue): \(message)"
    }
}

/// One or more diagnostics, thrown when a stage reports all the errors it found.
public struct DiagnosticList: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
