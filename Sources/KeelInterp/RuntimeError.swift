import KeelIR

/// An error raised while running a program: a fault of the program (bad
/// memory access, division by zero, `hlt`, an unknown external, a limit
/// reached), never a fault of the interpreter.
///
/// Prints as `file:line:col: runtime error: message (in $f, @block)`; the
/// location parts are omitted when unknown.
public struct RuntimeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    /// Name of the IL function executing when the error happened (without `$`).
    public var function: String?
    /// Label of the block executing (without `@`).
    public var block: String?
    public var file: String?
    public var position: SourcePosition

    public init(_ message: String, function: String? = nil, block: String? = nil,
                file: String? = nil, position: SourcePosition = .unknown) {
        self.message = message
        self.function = function
        self.block = block
        self.file = file
        self.position = position
    }

    public var description: String {
        var s = ""
        if let file { s += "\(file):" }
        if position != .unknown { s += "\(position.line):\(position.column):" }
        if !s.isEmpty { s += " " }
        s += "runtime error: \(message)"
        var loc: [String] = []
        if let function { loc.append("in $\(function)") }
        if let block { loc.append("@\(block)") }
        if !loc.isEmpty { s += " (\(loc.joined(separator: ", ")))" }
        return s
    }
}
