// Contract: a function's emitted code as its target reads it back from the
// text — the input of the emitted-code checks (EmittedFrameCheck.swift,
// EmittedCopyCheck.swift). A target's reader is its own model of its
// instructions, written apart from its emitter, so the checks judge what
// was written, not what the emitter meant to write. Each line becomes a few
// target-independent effects on registers (numbered as `PReg`), the stack
// pointer and stack memory, plus where control goes next.

/// A register or an 8-byte cell of the stack, at an offset from the stack
/// pointer's value at function entry.
public enum EmittedPlace: Hashable, Comparable, Sendable {
    case register(Int)
    case cell(Int)
}

/// What one line does, in the order it does it.
public enum EmittedEffect: Hashable, Sendable {
    /// Register `to` ← register `from`; `whole` is false when only part is
    /// copied (a 32-bit move), which leaves a value computed here.
    case copy(to: Int, from: Int, whole: Bool)
    /// Register `to` ← the memory at register `base` + `offset`.
    case load(to: Int, base: Int, offset: Int, whole: Bool)
    /// `width` bytes at `base` + `offset` ← register `from` (nil: a value
    /// computed here). Stores through a base that holds no known stack address
    /// are not followed: the checks trust that only the stack pointer and the
    /// frame pointer reach the save area.
    case store(from: Int?, base: Int, offset: Int, width: Int)
    /// The register holds a value computed here.
    case write(Int)
    /// The stack pointer moves by `by` bytes.
    case moveStack(by: Int)
    /// The stack pointer moves down by the value of a register (a run-time allocation).
    case allocateStack(by: Int)
    /// The register is rounded down to a multiple of 16.
    case alignDown16(Int)
    /// The stack pointer ← register + `plus` (the frame is torn down from the frame pointer).
    case setStack(from: Int, plus: Int)
    /// Judged: the stack pointer is where the prologue left it (or moved by a run-time allocation).
    case expectBodyStack
    /// Judged: a call (the stack is aligned). Its clobbers are listed as `write`s.
    case call
    /// Judged: a return (callee-saved registers and the stack pointer hold their entry values).
    case ret
}

/// Where control goes after a line.
public enum EmittedFlow: Hashable, Sendable {
    case next
    /// A branch to a label of the function; a conditional one may also fall through.
    case branch(String, conditional: Bool)
    /// No successor in the function (return, trap, a jump leaving it).
    case stop
}

public struct EmittedLine: Sendable {
    /// The line's number in the text it was read from (1-based).
    public var number: Int
    public var text: String
    /// The label the line defines, if it is one.
    public var label: String?
    public var effects: [EmittedEffect]
    public var flow: EmittedFlow

    public init(number: Int, text: String, label: String? = nil, effects: [EmittedEffect] = [], flow: EmittedFlow = .next) {
        (self.number, self.text, self.label, self.effects, self.flow) = (number, text, label, effects, flow)
    }
}

/// One parallel copy as the emitter wrote it: its lines and what it must do.
public struct EmittedCopy: Sendable {
    /// Indices into the function's lines.
    public var lines: Range<Int>
    /// Each destination must end holding its source's value.
    public var moves: [(from: EmittedPlace, to: EmittedPlace)]
    /// Where the copy sits, for messages.
    public var point: String

    public init(lines: Range<Int>, moves: [(from: EmittedPlace, to: EmittedPlace)], point: String) {
        (self.lines, self.moves, self.point) = (lines, moves, point)
    }
}

/// One function read back from its emitted text.
public struct EmittedFunction: Sendable {
    public var name: String
    public var lines: [EmittedLine] = []
    /// The stack pointer's entry-relative offset after the prologue, when the target knows it.
    public var bodyStack: Int?
    public var copies: [EmittedCopy] = []
    /// Lines the reader could not model; every such line is a failure.
    public var problems: [EmittedCodeFailure] = []

    public init(name: String) { self.name = name }
}

/// The facts of a target's calling convention the emitted-code checks need,
/// stated by the target's reader (from the ABI document, not its register file).
public struct EmittedConvention: Sendable {
    public var registerNames: [String]
    public var stackPointer: Int
    /// Registers that must hold their entry values at every return.
    public var calleeSaved: [Int]
    /// Registers a parallel copy may overwrite without being asked to (the emitter's scratch).
    public var copyScratch: Set<Int>
    /// The stack pointer's entry-relative offset modulo 16 at every call.
    public var callStackResidue: Int

    public init(registerNames: [String], stackPointer: Int, calleeSaved: [Int], copyScratch: Set<Int>,
                callStackResidue: Int) {
        (self.registerNames, self.stackPointer, self.calleeSaved) = (registerNames, stackPointer, calleeSaved)
        (self.copyScratch, self.callStackResidue) = (copyScratch, callStackResidue)
    }

    func name(_ p: EmittedPlace) -> String {
        switch p {
        case .register(let r): return r < registerNames.count ? registerNames[r] : "register \(r)"
        case .cell(let k): return "the stack cell at entry\(k >= 0 ? "+" : "")\(k)"
        }
    }
}
