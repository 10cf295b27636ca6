/// A regular instruction: `result =cls op a, b`.
///
/// Fixed-size and arena-stored. Operands that do not fit two refs live in a
/// side table: a `call`'s arguments are the `CallSite` at `Function.calls[extra]`;
/// a `blit` copies `extra` bytes from `a` to `b`; `dbgloc` keeps its line and
/// column as integer constants in `a` and `b`.
public struct Instruction: Hashable, Sendable {
    public var op: Opcode
    /// Class of the result; for instructions without a result, the class the
    /// IL syntax implies (stores use the stored class, `blit`/`vastart` use `l`).
    public var type: BaseType
    /// The defined temporary, or `.none`.
    public var result: Ref
    public var a: Ref
    public var b: Ref
    public var extra: UInt32
    public var position: SourcePosition

    public init(op: Opcode, type: BaseType, result: Ref = .none, a: Ref = .none, b: Ref = .none,
                extra: UInt32 = 0, position: SourcePosition = .unknown) {
        self.op = op
        self.type = type
        self.result = result
        self.a = a
        self.b = b
        self.extra = extra
        self.position = position
    }

    /// The written operands, in order (calls: the callee only).
    public var operands: [Ref] {
        switch op.operandCount {
        case 1: return [a]
        default: return [a, b]
        }
    }

    public var callID: CallID? { op == .call ? CallID(Int(extra)) : nil }
}

/// One argument of a call: its ABI type and value.
public struct CallArgument: Hashable, Sendable {
    public var type: ABIType
    public var value: Ref
    public init(type: ABIType, value: Ref) {
        self.type = type
        self.value = value
    }
}

/// The parts of a `call` that do not fit an `Instruction`.
public struct CallSite: Hashable, Sendable {
    /// The returned ABI type, `nil` for a call without result.
    public var returnType: ABIType?
    /// The environment argument (`env VAL`), if any.
    public var env: Ref
    public var arguments: [CallArgument]
    /// Index into `arguments` where the variadic part starts (where `...` was
    /// written), or `nil` for a call to a non-variadic function.
    public var variadicStart: Int?
    /// A proper tail call (`tailcall`, docs/il-extensions.md): the call is the
    /// last instruction of its block, whose terminator returns its result, and
    /// the callee replaces the caller's frame. To every pass over the IR it is
    /// that call followed by that `ret`; only the interpreter and the targets
    /// read the flag.
    public var isTail: Bool

    public init(returnType: ABIType?, env: Ref = .none, arguments: [CallArgument], variadicStart: Int? = nil,
                isTail: Bool = false) {
        self.returnType = returnType
        self.env = env
        self.arguments = arguments
        self.variadicStart = variadicStart
        self.isTail = isTail
    }
}

/// `%x =cls phi @b1 v1, @b2 v2, ...`
public struct Phi: Hashable, Sendable {
    public var result: Temp
    public var type: BaseType
    public var incoming: [PhiArgument]
    public var position: SourcePosition

    public init(result: Temp, type: BaseType, incoming: [PhiArgument], position: SourcePosition = .unknown) {
        self.result = result
        self.type = type
        self.incoming = incoming
        self.position = position
    }

    /// The value flowing in from `pred`, if the phi names it.
    public func value(from pred: BlockID) -> Ref? {
        incoming.first { $0.block == pred }?.value
    }
}

public struct PhiArgument: Hashable, Sendable {
    public var block: BlockID
    public var value: Ref
    public init(block: BlockID, value: Ref) {
        self.block = block
        self.value = value
    }
}

/// How a block ends.
public enum Terminator: Hashable, Sendable {
    /// Not yet terminated (only while building; the verifier rejects it).
    case none
    case jmp(BlockID)
    /// Jump to the first target when the word operand is non-zero.
    case jnz(Ref, BlockID, BlockID)
    /// Return, with `.none` for no value.
    case ret(Ref)
    case hlt

    public var successors: [BlockID] {
        switch self {
        case .jmp(let t): return [t]
        case .jnz(_, let t, let f): return t == f ? [t] : [t, f]
        case .none, .ret, .hlt: return []
        }
    }
}
