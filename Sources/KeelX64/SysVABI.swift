// The System V AMD64 calling convention as pure functions: where each
// parameter, argument and return value of a function or call travels.
//
// Contract: given ABI types (and the module's aggregate types), returns plain
// values naming registers (hardware numbering: 0–15 = rax rcx rdx rbx rsp
// rbp rsi rdi r8–r15, 16–31 = xmm0–xmm15, as `PReg`) and stack offsets. It
// changes nothing and never traps; the one combination the convention cannot
// express (a variadic call or function that also has an environment: both
// need rax) is a thrown `SysVError`.
//
// Rules (System V AMD64 psABI §3.2.3, checked against gcc 12.2 `-O1` output,
// see Tests/KeelX64Tests/SysVABITests.swift and GccShapeTests.swift):
// - integer classes (`w l r`, sub-words) take rdi rsi rdx rcx r8 r9, floats
//   (`s d`) take xmm0–xmm7, in order; when a class runs out the value goes
//   to the stack in an 8-byte slot, and later values of the other class (or
//   scalars that still fit) keep using registers;
// - an aggregate is classified (`SysVClassifier`); it travels in registers
//   only if all its eightbytes fit in the registers left, else whole on the
//   stack, copied at an offset aligned to max(8, its alignment), its size
//   rounded up to 8;
// - a MEMORY-class return value is written through a hidden pointer the
//   caller passes in rdi (so it takes the first integer register) and the
//   callee returns in rax;
// - other returns use rax then rdx for INTEGER eightbytes and xmm0 then xmm1
//   for SSE ones, each class counting its own registers ({double, long}
//   returns in xmm0 and rax);
// - the environment (`env`) travels in rax, as QBE does (it is not a C
//   concept; rax is free at calls to non-variadic functions);
// - a variadic call sets %al to (an upper bound of) the number of vector
//   registers used; this module gives the exact count, as gcc does;
// - sub-word arguments (`sb ub sh uh`) travel in a 32-bit register or 8-byte
//   slot; gcc callers sign/zero-extend them to 32 bits (`movsbl`, `movzbl`,
//   `movswl`, `movzwl`) and clang-compiled callees rely on that, so a caller
//   should extend too. (QBE on amd64 drops the sub-word distinction.)
//
// Stack offsets are from the start of the argument area: the caller's rsp at
// the call instruction, which is the callee's rsp + 8 at entry (rbp + 16 after
// the usual `push rbp; mov rbp, rsp`).
import KeelCodegen
import KeelIR

/// Register numbers and register sets of the convention.
public enum SysV {
    public static let rax = PReg(0), rcx = PReg(1), rdx = PReg(2), rbx = PReg(3)
    public static let rsp = PReg(4), rbp = PReg(5), rsi = PReg(6), rdi = PReg(7)
    public static let r8 = PReg(8), r9 = PReg(9), r10 = PReg(10), r11 = PReg(11)
    public static func xmm(_ n: Int) -> PReg { PReg(16 + n) }

    /// Integer argument registers in order: rdi rsi rdx rcx r8 r9.
    public static let integerArgumentRegisters: [PReg] = [rdi, rsi, rdx, rcx, r8, r9]
    /// SSE argument registers in order: xmm0–xmm7.
    public static let sseArgumentRegisters: [PReg] = (0..<8).map(xmm)
    public static let integerReturnRegisters: [PReg] = [rax, rdx]
    public static let sseReturnRegisters: [PReg] = [xmm(0), xmm(1)]
    /// Registers a call may overwrite: rax rcx rdx rsi rdi r8–r11 and every xmm register.
    public static let callerSaved = RegSet([rax, rcx, rdx, rsi, rdi, r8, r9, r10, r11] + (0..<16).map(xmm))
    /// Registers a callee must preserve: rbx rbp r12–r15 (and rsp).
    public static let calleeSaved = RegSet([rbx, rbp, PReg(12), PReg(13), PReg(14), PReg(15)])
    /// Register carrying the environment argument, and %al for variadic calls.
    public static let environmentRegister = rax
    /// Register carrying the hidden pointer of a MEMORY-class return value.
    public static let hiddenPointerRegister = rdi
}

/// One register's share of a value.
public struct RegisterPart: Hashable, Sendable {
    public var register: PReg
    /// Byte offset of this part in the aggregate (0 for scalars).
    public var offset: Int
    /// Class of the move: `w`/`l`/`r` in an integer register, `s`/`d` in an SSE register.
    public var type: BaseType
    /// Bytes of the value this part carries (1 to 8: the tail eightbyte
    /// of an aggregate carries only the bytes that exist, e.g. 4 of a 12-byte struct).
    public var size: Int

    public init(register: PReg, offset: Int, type: BaseType, size: Int) {
        self.register = register
        self.offset = offset
        self.type = type
        self.size = size
    }
}

/// Where one parameter or argument travels.
public enum ArgumentLocation: Hashable, Sendable {
    /// In registers: one part for a scalar, one per classified eightbyte for an aggregate.
    case registers([RegisterPart])
    /// On the stack at `offset` from the start of the argument area; `size`
    /// is 8 for a scalar, the aggregate's size rounded up to 8 otherwise.
    case stack(offset: Int, size: Int)
}

/// Where a return value travels.
public enum ReturnLocation: Hashable, Sendable {
    case none
    case registers([RegisterPart])
    /// Through memory: the caller passes the buffer's address in rdi, the
    /// callee writes the value there and returns the address in rax.
    case hiddenPointer
}

/// A combination the convention cannot express.
public enum SysVError: Error, Hashable, Sendable {
    /// Variadic calls put the vector register count in %al, the environment travels in rax.
    case variadicWithEnvironment
}

/// The complete assignment of one function's parameters or one call's arguments.
public struct SysVAssignment: Hashable, Sendable {
    /// One location per parameter/argument, in order (the environment excluded).
    public var arguments: [ArgumentLocation]
    public var returnLocation: ReturnLocation
    /// rax when there is an environment.
    public var environment: PReg?
    /// Integer argument registers used, the hidden return pointer included.
    public var integerRegistersUsed: Int
    /// SSE argument registers used.
    public var sseRegistersUsed: Int
    /// End of the last stack argument (a multiple of 8): where a variadic
    /// function's overflow area starts (`va_start`).
    public var stackArgumentBytes: Int
    /// Size of the argument area: `stackArgumentBytes` rounded up to `stackAlignment`.
    public var stackSize: Int
    /// 16, or more when an aggregate with a larger alignment is on the stack
    /// (gcc then realigns the frame).
    public var stackAlignment: Int
    /// For variadic calls, the value of %al: the number of SSE registers used.
    public var vectorRegisterCount: Int?

    /// Registers read by the call (or defined at function entry): argument
    /// registers, the hidden pointer, and rax for the environment or %al.
    public var argumentRegisters: RegSet {
        var set = RegSet(SysV.integerArgumentRegisters.prefix(integerRegistersUsed))
        set = set.union(RegSet(SysV.sseArgumentRegisters.prefix(sseRegistersUsed)))
        if environment != nil || vectorRegisterCount != nil { set.insert(SysV.rax) }
        return set
    }

    /// Registers holding the returned value after the call (rax for a hidden pointer).
    public var returnRegisters: RegSet {
        switch returnLocation {
        case .none: return .empty
        case .hiddenPointer: return RegSet([SysV.rax])
        case .registers(let parts): return RegSet(parts.map(\.register))
        }
    }
}

/// Computes System V assignments for one module's types.
public struct SysVABI: Sendable {
    public var classifier: SysVClassifier
    /// The aggregate return type of each function defined in the module that
    /// returns one, by symbol: a call that ignores such a result must still
    /// pass the callee a result buffer when the result is returned in memory.
    public var definedAggregateReturns: [SymbolID: ABIType] = [:]
    /// Which calls are safepoints (KeelIR's `SafepointPolicy`).
    public var safepoints = SafepointPolicy.none

    public init(types: [AggregateType], opaqueRule: OpaqueTypeRule = .integerEightbytes) {
        classifier = SysVClassifier(types: types, opaqueRule: opaqueRule)
    }

    public init(module: Module, opaqueRule: OpaqueTypeRule = .integerEightbytes) {
        self.init(types: module.types, opaqueRule: opaqueRule)
        safepoints = SafepointPolicy(module: module)
        for f in module.functions {
            if let rt = f.returnType, case .aggregate = rt { definedAggregateReturns[f.name] = rt }
        }
    }

    /// Where the parameters of `function` arrive.
    public func assignParameters(_ function: Function) throws(SysVError) -> SysVAssignment {
        try assign(function.parameters.map(\.type), returnType: function.returnType,
                   hasEnvironment: function.env != nil, variadic: function.isVariadic)
    }

    /// Where the arguments of `call` go.
    public func assignCall(_ call: CallSite) throws(SysVError) -> SysVAssignment {
        try assign(call.arguments.map(\.type), returnType: call.returnType,
                   hasEnvironment: !call.env.isNone, variadic: call.variadicStart != nil)
    }

    /// Where a value of `type` is returned (`nil`: no value).
    public func assignReturn(_ type: ABIType?) -> ReturnLocation {
        guard let type else { return .none }
        switch type {
        case .base(let base):
            let register = base.isFloat ? SysV.sseReturnRegisters[0] : SysV.integerReturnRegisters[0]
            return .registers([RegisterPart(register: register, offset: 0, type: base, size: base.size)])
        case .sb, .ub:
            return .registers([RegisterPart(register: SysV.rax, offset: 0, type: .w, size: 1)])
        case .sh, .uh:
            return .registers([RegisterPart(register: SysV.rax, offset: 0, type: .w, size: 2)])
        case .aggregate(let id):
            guard case .registers(let classes) = classifier.classify(id) else { return .hiddenPointer }
            var nextInt = 0, nextSSE = 0
            return .registers(eightbyteParts(classes, size: aggregateSize(id), integer: SysV.integerReturnRegisters,
                                             sse: SysV.sseReturnRegisters, nextInt: &nextInt, nextSSE: &nextSSE))
        }
    }

    /// The general case: argument types in order, the return type, the environment and variadic flags.
    public func assign(_ types: [ABIType], returnType: ABIType?, hasEnvironment: Bool,
                       variadic: Bool) throws(SysVError) -> SysVAssignment {
        if hasEnvironment && variadic { throw .variadicWithEnvironment }
        let returnLocation = assignReturn(returnType)
        var nextInt = returnLocation == .hiddenPointer ? 1 : 0
        var nextSSE = 0
        var stack = 0
        var stackAlignment = 16
        var locations: [ArgumentLocation] = []
        locations.reserveCapacity(types.count)

        for type in types {
            switch type {
            case .base, .sb, .ub, .sh, .uh:
                let (base, size) = scalarShape(type)
                if base.isFloat ? nextSSE < 8 : nextInt < 6 {
                    let register: PReg
                    if base.isFloat {
                        register = SysV.sseArgumentRegisters[nextSSE]
                        nextSSE += 1
                    } else {
                        register = SysV.integerArgumentRegisters[nextInt]
                        nextInt += 1
                    }
                    locations.append(.registers([RegisterPart(register: register, offset: 0, type: base, size: size)]))
                } else {
                    locations.append(.stack(offset: stack, size: 8))
                    stack += 8
                }
            case .aggregate(let id):
                let cls = classifier.classify(id)
                let (ints, sses) = cls.registerCounts
                if case .registers(let classes) = cls, nextInt + ints <= 6, nextSSE + sses <= 8 {
                    locations.append(.registers(eightbyteParts(
                        classes, size: aggregateSize(id), integer: SysV.integerArgumentRegisters,
                        sse: SysV.sseArgumentRegisters, nextInt: &nextInt, nextSSE: &nextSSE)))
                } else {
                    let alignment = max(8, aggregateAlignment(id))
                    stackAlignment = max(stackAlignment, alignment)
                    stack = (stack + alignment - 1) / alignment * alignment
                    let size = (aggregateSize(id) + 7) / 8 * 8
                    locations.append(.stack(offset: stack, size: size))
                    stack += size
                }
            }
        }
        let stackSize = (stack + stackAlignment - 1) / stackAlignment * stackAlignment
        return SysVAssignment(arguments: locations, returnLocation: returnLocation,
                              environment: hasEnvironment ? SysV.environmentRegister : nil,
                              integerRegistersUsed: nextInt, sseRegistersUsed: nextSSE,
                              stackArgumentBytes: stack, stackSize: stackSize, stackAlignment: stackAlignment,
                              vectorRegisterCount: variadic ? nextSSE : nil)
    }

    // MARK: helpers

    func aggregateSize(_ id: TypeID) -> Int {
        id.int < classifier.types.count ? max(0, classifier.types[id.int].size) : 0
    }

    func aggregateAlignment(_ id: TypeID) -> Int {
        id.int < classifier.types.count ? max(1, classifier.types[id.int].alignment) : 8
    }

    /// Register class and byte size of a scalar ABI type.
    func scalarShape(_ type: ABIType) -> (BaseType, Int) {
        switch type {
        case .base(let b): return (b, b.size)
        case .sb, .ub: return (.w, 1)
        case .sh, .uh: return (.w, 2)
        case .aggregate: return (.l, 8)
        }
    }

    /// One part per eightbyte that has a class, registers chosen by `register`.
    /// The register parts of an aggregate's eightbytes, each taking the next
    /// register of its class from `integer` or `sse` (counted in `nextInt`, `nextSSE`).
    func eightbyteParts(_ classes: [EightbyteClass], size: Int, integer: [PReg], sse: [PReg],
                        nextInt: inout Int, nextSSE: inout Int) -> [RegisterPart] {
        var parts: [RegisterPart] = []
        for (i, cls) in classes.enumerated() where cls != .none {
            let bytes = min(8, size - 8 * i)
            let type: BaseType = cls == .sse ? (bytes <= 4 ? .s : .d) : (bytes <= 4 ? .w : .l)
            let register: PReg
            if cls == .sse {
                register = sse[nextSSE]
                nextSSE += 1
            } else {
                register = integer[nextInt]
                nextInt += 1
            }
            parts.append(RegisterPart(register: register, offset: 8 * i, type: type, size: bytes))
        }
        return parts
    }
}
