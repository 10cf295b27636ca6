// Contract: what the emitted-code checks report, one case per kind of
// fault, each naming the function, the line of the emitted text (or the
// parallel copy) and the register or cell involved, with a message a reader
// can act on.

public enum EmittedCodeFailure: Hashable, Sendable {
    /// At a return, a callee-saved register does not hold its entry value.
    case notRestored(function: String, line: Int, register: Int, holds: SymbolicValue)
    /// At a return, the stack pointer is not back at its entry value.
    case stackPointerAtReturn(function: String, line: Int, found: SymbolicStack)
    /// Where the frame is torn down, the body's stack adjustments do not balance.
    case unbalancedAdjustments(function: String, line: Int, expected: Int, found: SymbolicStack)
    /// At a call, the stack pointer is not aligned as the convention requires.
    case misalignedCall(function: String, line: Int, found: SymbolicStack)
    case unmodelled(function: String, line: Int, text: String, reason: String)
    case unknownLabel(function: String, line: Int, label: String)
    case fallsOffEnd(function: String, line: Int)
    /// After a parallel copy, a destination does not hold its source's value.
    case copyWrongDestination(function: String, point: String, place: EmittedPlace, expected: EmittedPlace, found: SymbolicValue)
    /// A parallel copy overwrote a place it was not asked to write.
    case copyClobbered(function: String, point: String, place: EmittedPlace, found: SymbolicValue)
    /// A parallel copy left the stack pointer elsewhere than it found it.
    case copyMovedStack(function: String, point: String, found: SymbolicStack)

    public var function: String {
        switch self {
        case .notRestored(let f, _, _, _), .stackPointerAtReturn(let f, _, _), .unbalancedAdjustments(let f, _, _, _),
             .misalignedCall(let f, _, _), .unmodelled(let f, _, _, _), .unknownLabel(let f, _, _),
             .fallsOffEnd(let f, _), .copyWrongDestination(let f, _, _, _, _), .copyClobbered(let f, _, _, _),
             .copyMovedStack(let f, _, _):
            return f
        }
    }

    /// The line reported at (nil for a copy, reported at its program point).
    public var line: Int? {
        switch self {
        case .notRestored(_, let l, _, _), .stackPointerAtReturn(_, let l, _), .unbalancedAdjustments(_, let l, _, _),
             .misalignedCall(_, let l, _), .unmodelled(_, let l, _, _), .unknownLabel(_, let l, _),
             .fallsOffEnd(_, let l):
            return l
        case .copyWrongDestination, .copyClobbered, .copyMovedStack:
            return nil
        }
    }

    /// The program point of the parallel copy reported at (nil for a line).
    public var copyPoint: String? {
        switch self {
        case .copyWrongDestination(_, let p, _, _, _), .copyClobbered(_, let p, _, _), .copyMovedStack(_, let p, _): return p
        default: return nil
        }
    }

    /// What went wrong, where in the function (the caller names the function).
    public func message(_ c: EmittedConvention) -> String {
        // "Entry" is the function's entry, or a copy's start in a copy's messages.
        let start = line == nil ? "the value before the copy of" : "the entry value of"
        func v(_ x: SymbolicValue) -> String {
            switch x {
            case .initial(let p): return "\(start) \(c.name(p))"
            case .address(let k): return "the frame address entry\(k >= 0 ? "+" : "")\(k)"
            case .aligned16, .computed: return "a value computed here"
            }
        }
        func sp(_ s: SymbolicStack) -> String {
            switch s {
            case .offset(let k): return k >= 0 ? "entry+\(k)" : "entry\(k)"
            case .dynamic(let m): return "unknown after a run-time allocation (mod 16: \(m.map(String.init) ?? "unknown"))"
            case .unknown: return "unknown (paths disagree or it was overwritten)"
            }
        }
        let stack = c.name(.register(c.stackPointer))
        switch self {
        case .notRestored(_, let l, let r, let h):
            return "line \(l): return with callee-saved \(c.name(.register(r))) holding \(v(h)), not its entry value"
        case .stackPointerAtReturn(_, let l, let s):
            return "line \(l): return with \(stack) at \(sp(s)), not at its entry value"
        case .unbalancedAdjustments(_, let l, let e, let s):
            return "line \(l): frame torn down with \(stack) at \(sp(s)), but the prologue left it at \(sp(.offset(e)))"
                + " (stack adjustments of the body do not balance)"
        case .misalignedCall(_, let l, let s):
            return "line \(l): call with \(stack) at \(sp(s)), not 16-byte aligned"
        case .unmodelled(_, let l, let t, let why):
            return "line \(l): '\(t)' cannot be followed: \(why)"
        case .unknownLabel(_, let l, let label):
            return "line \(l): branch to '\(label)', not a label of the function"
        case .fallsOffEnd(_, let l):
            return "line \(l): control falls off the end of the function"
        case .copyWrongDestination(_, let p, let d, let e, let found):
            return "parallel copy \(p): \(c.name(d)) ends holding \(v(found)), not the value of \(c.name(e))"
        case .copyClobbered(_, let p, let d, let found):
            return "parallel copy \(p): \(c.name(d)) is not a destination but ends holding \(v(found))"
        case .copyMovedStack(_, let p, let s):
            return "parallel copy \(p): leaves \(stack) at \(sp(s)), not where it found it"
        }
    }
}
