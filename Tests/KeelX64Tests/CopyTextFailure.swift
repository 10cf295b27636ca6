// Contract: what the parallel-copy text check reports, one case per way the
// emitted text of a copy can differ from its meaning. Every case names the
// function, the program point of the copy, and the place and symbols
// involved, so a message reads on its own: "$f, before i12: %rcx should
// hold ⟨%rax⟩ (source %rax) but holds ⟨%rbx⟩".
import KeelCodegen

enum CopyTextFailure: Equatable, CustomStringConvertible {
    /// A destination does not hold its source's original value.
    case wrongDestination(function: String, point: ProgramPoint, place: CopyPlace, expected: CopySymbol,
                          found: CopySymbol)
    /// A place that is neither a destination nor scratch (r11, xmm15) nor rsp was changed.
    case clobbered(function: String, point: ProgramPoint, place: CopyPlace, expected: CopySymbol, found: CopySymbol)
    /// A line the copy text may not contain (or cannot be read).
    case unreadableLine(function: String, point: ProgramPoint, line: String)
    /// Pushes without matching pops: the stack pointer moved.
    case unbalancedStack(function: String, point: ProgramPoint, pending: Int)
    /// Two moves of the copy write the same place with different sources (the copy has no meaning).
    case conflictingDestinations(function: String, point: ProgramPoint, place: CopyPlace,
                                 sources: [CopyPlace])

    var point: ProgramPoint {
        switch self {
        case .wrongDestination(_, let p, _, _, _), .clobbered(_, let p, _, _, _), .unreadableLine(_, let p, _),
             .unbalancedStack(_, let p, _), .conflictingDestinations(_, let p, _, _):
            return p
        }
    }

    var function: String {
        switch self {
        case .wrongDestination(let f, _, _, _, _), .clobbered(let f, _, _, _, _), .unreadableLine(let f, _, _),
             .unbalancedStack(let f, _, _), .conflictingDestinations(let f, _, _, _):
            return f
        }
    }

    var description: String {
        switch self {
        case let .wrongDestination(f, p, place, expected, found):
            return "$\(f), \(p): \(place) should hold \(expected) (its source) but holds \(found)"
        case let .clobbered(f, p, place, expected, found):
            return "$\(f), \(p): \(place) is not a destination and should keep \(expected) but holds \(found)"
        case let .unreadableLine(f, p, line):
            return "$\(f), \(p): unreadable copy line \"\(line)\""
        case let .unbalancedStack(f, p, pending):
            return "$\(f), \(p): \(pending) value(s) left pushed on the stack"
        case let .conflictingDestinations(f, p, place, sources):
            return "$\(f), \(p): \(place) is the destination of several sources \(sources)"
        }
    }
}
