// Contract: every way the emitted text of one machine instruction can
// disagree with its declared operands, as a value: the payload, the
// register, the operand index and the line of the emitted sequence where it
// shows. `description` is the readable report.
@testable import KeelX64

/// A line of an instruction's emitted sequence: its index (0 = first line) and text.
struct SequenceLine: Hashable, CustomStringConvertible {
    var index: Int
    var text: String
    var description: String { "line \(index) `\(text)`" }
}

enum OperandMismatch: Hashable, CustomStringConvertible {
    /// The model does not know a line the emitter printed.
    case unmodelled(X64Inst, at: SequenceLine, reason: String)
    /// A register is read with the value it had before the instruction, but no use is placed in it.
    case readNotDeclared(X64Inst, register: ModelRegister, at: SequenceLine)
    /// A scratch register is read before the sequence wrote it (garbage).
    case scratchReadBeforeWrite(X64Inst, register: ModelRegister, at: SequenceLine)
    /// A register is written that is no def, clobber, scratch or frame register.
    case writeNotDeclared(X64Inst, register: ModelRegister, at: SequenceLine)
    /// A def not declared early is written before a use it could share a register with is read.
    case lateDefWrittenBeforeUse(X64Inst, def: Int, register: ModelRegister, writtenAt: SequenceLine,
                                 use: Int, useRegister: ModelRegister, readAt: SequenceLine)
    /// A clobbered register is written before a use that may sit in it is read.
    case clobberWrittenBeforeUse(X64Inst, register: ModelRegister, writtenAt: SequenceLine,
                                 use: Int, useRegister: ModelRegister, readAt: SequenceLine)
    /// No path through the sequence writes the register of a def.
    case defNeverWritten(X64Inst, def: Int, register: ModelRegister)
    /// No path through the sequence reads the register of a use (nor does the calling convention).
    case useNeverRead(X64Inst, use: Int, register: ModelRegister)
    /// A def the caller provides (function parameters) is not in an argument register.
    case entryDefNotArgument(X64Inst, def: Int, register: ModelRegister)
    /// A call leaves a System V caller-saved register out of its defs and clobbers.
    case callClobberMissing(X64Inst, register: ModelRegister, at: SequenceLine)
    /// A call declares a register clobbered that System V preserves.
    case callClobberExtra(X64Inst, register: ModelRegister, at: SequenceLine)

    var payload: X64Inst {
        switch self {
        case .unmodelled(let p, _, _), .readNotDeclared(let p, _, _), .scratchReadBeforeWrite(let p, _, _),
             .writeNotDeclared(let p, _, _), .lateDefWrittenBeforeUse(let p, _, _, _, _, _, _),
             .clobberWrittenBeforeUse(let p, _, _, _, _, _), .defNeverWritten(let p, _, _),
             .useNeverRead(let p, _, _), .entryDefNotArgument(let p, _, _), .callClobberMissing(let p, _, _),
             .callClobberExtra(let p, _, _):
            return p
        }
    }

    var description: String {
        switch self {
        case .unmodelled(let p, let at, let reason):
            return "\(p): \(at) is not modelled: \(reason)"
        case .readNotDeclared(let p, let r, let at):
            return "\(p): \(at) reads \(r) before the sequence writes it, but no use is placed in \(r)"
        case .scratchReadBeforeWrite(let p, let r, let at):
            return "\(p): \(at) reads scratch register \(r) before the sequence writes it"
        case .writeNotDeclared(let p, let r, let at):
            return "\(p): \(at) writes \(r), which is no def, clobber, scratch or frame register"
        case .lateDefWrittenBeforeUse(let p, let d, let r, let w, let u, let ur, let at):
            return "\(p): def operand \(d) in \(r) is late, but \(w) writes it before \(at) reads use operand \(u) "
                + "(\(ur)); the allocator may put that use in \(r): declare the def early"
        case .clobberWrittenBeforeUse(let p, let r, let w, let u, let ur, let at):
            return "\(p): clobbered \(r) is written by \(w) before \(at) reads use operand \(u) (\(ur)), "
                + "which the allocator may place in \(r)"
        case .defNeverWritten(let p, let d, let r):
            return "\(p): def operand \(d) is placed in \(r), but no path of the emitted sequence writes \(r)"
        case .useNeverRead(let p, let u, let r):
            return "\(p): use operand \(u) is placed in \(r), but the emitted sequence never reads \(r)"
        case .entryDefNotArgument(let p, let d, let r):
            return "\(p): def operand \(d) arrives from the caller in \(r), which is no System V argument register"
        case .callClobberMissing(let p, let r, let at):
            return "\(p): \(at) may overwrite caller-saved \(r), missing from the declared defs and clobbers"
        case .callClobberExtra(let p, let r, let at):
            return "\(p): \(at) declares callee-saved \(r) clobbered"
        }
    }
}
