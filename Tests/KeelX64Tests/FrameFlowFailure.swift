// Contract: what the frame-flow check reports, one case per kind of fault,
// each naming the function, the 1-based line of the emitted text and (where
// one is involved) the register, with a message a reader can act on.

enum FrameFlowFailure: Hashable, CustomStringConvertible {
    /// At a `ret`, a callee-saved register does not hold the caller's value.
    case notRestored(function: String, line: Int, register: ModelRegister, holds: FrameValue)
    /// At a `ret`, %rsp is not back at its entry value.
    case stackPointerAtReturn(function: String, line: Int, found: FrameStackPointer)
    /// At a `leave`, the body's stack adjustments do not balance (rsp differs from its value after the prologue).
    case unbalancedAdjustments(function: String, line: Int, expected: Int, found: FrameStackPointer)
    /// At a `call`, %rsp is not 16-byte aligned.
    case misalignedCall(function: String, line: Int, found: FrameStackPointer)
    case unmodelled(function: String, line: Int, text: String, reason: String)
    case unknownLabel(function: String, line: Int, label: String)
    case fallsOffEnd(function: String, line: Int)

    var function: String {
        switch self {
        case .notRestored(let f, _, _, _), .stackPointerAtReturn(let f, _, _), .unbalancedAdjustments(let f, _, _, _),
             .misalignedCall(let f, _, _), .unmodelled(let f, _, _, _), .unknownLabel(let f, _, _),
             .fallsOffEnd(let f, _):
            return f
        }
    }

    var line: Int {
        switch self {
        case .notRestored(_, let l, _, _), .stackPointerAtReturn(_, let l, _), .unbalancedAdjustments(_, let l, _, _),
             .misalignedCall(_, let l, _), .unmodelled(_, let l, _, _), .unknownLabel(_, let l, _),
             .fallsOffEnd(_, let l):
            return l
        }
    }

    var description: String {
        switch self {
        case .notRestored(let f, let l, let r, let v):
            return "\(f), line \(l): ret with callee-saved \(r) holding \(v), not the caller's \(r)"
        case .stackPointerAtReturn(let f, let l, let sp):
            return "\(f), line \(l): ret with %rsp at \(sp), not at its entry value"
        case .unbalancedAdjustments(let f, let l, let e, let sp):
            return "\(f), line \(l): leave with %rsp at \(sp), but the prologue left it at \(e >= 0 ? "entry+\(e)" : "entry\(e)")"
                + " (stack adjustments of the body do not balance)"
        case .misalignedCall(let f, let l, let sp):
            return "\(f), line \(l): call with %rsp at \(sp), not 16-byte aligned (needs entry-8 mod 16)"
        case .unmodelled(let f, let l, let t, let why):
            return "\(f), line \(l): '\(t)' cannot be followed: \(why)"
        case .unknownLabel(let f, let l, let label):
            return "\(f), line \(l): branch to '\(label)', not a label of the function"
        case .fallsOffEnd(let f, let l):
            return "\(f), line \(l): control falls off the end of the function"
        }
    }
}
