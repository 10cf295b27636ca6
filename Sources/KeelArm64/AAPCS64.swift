// ABI lowering for AAPCS64 (the Linux flavour), the step before instruction
// selection: where every parameter, argument and result goes.
//
// Rules (AAPCS64 §6.8.2, "Parameter passing"; aggregates classified by
// AAPCS64Aggregates.swift):
// - integer classes (`w l r`, sub-words) take x0–x7, floats (`s d`) take
//   v0–v7, each class counting its own registers (NGRN, NSRN); once a class
//   runs out, its later values go to the stack, while the other class keeps
//   using registers;
// - an HFA takes as many consecutive v registers as it has members, if that
//   many remain; else no later value of the float class uses a register
//   (NSRN = 8) and it goes to the stack;
// - another aggregate of at most 16 bytes takes 1 or 2 consecutive x
//   registers (an even-numbered first one when 16-byte aligned), if they
//   remain; else NGRN = 8 and it goes to the stack, its size rounded up to 8;
// - a larger aggregate is copied by the caller and the copy's address is
//   passed as an integer argument;
// - every scalar stack argument takes an 8-byte slot (C.16: smaller sizes
//   are rounded up to 8 on Linux); the area is rounded up to 16 bytes;
// - results come back in x0 or v0; an HFA in v0–v3, another aggregate of at
//   most 16 bytes in x0–x1, a larger one in memory the caller provides,
//   whose address it passes in x8;
// - anonymous arguments of a variadic call travel exactly like named ones
//   (Linux, unlike Apple's variant), so a call to printf needs nothing more;
// - the environment (`env`, not a C concept) travels in x9, as QBE passes it;
// - sub-word arguments: the caller extends them to 32 bits and the callee
//   extends again (the standard leaves the upper bits unspecified).
//
// A variadic function saves x0–x7 and v0–v7 in its frame for its va_list
// (Arm64SelectVarargs.swift).
import KeelCodegen
import KeelIR

/// One register's share of an aggregate.
public struct Arm64Part: Hashable, Sendable {
    public var register: PReg
    /// Byte offset of this part in the aggregate.
    public var offset: Int
    /// `l` in an x register, `s` or `d` in a v register.
    public var type: BaseType
    /// Bytes of the aggregate this part carries (the last integer part may carry fewer than 8).
    public var size: Int
}

/// Where one parameter, argument or result travels.
public indirect enum Arm64ArgumentLocation: Hashable, Sendable {
    case register(PReg)
    /// Byte offset from the caller's stack pointer at the call.
    case stack(Int)
    /// An aggregate in registers, one part each.
    case parts([Arm64Part])
    /// An aggregate's bytes (size rounded up to 8) on the stack at `offset`.
    case stackBlock(offset: Int, size: Int)
    /// An aggregate copied by the caller; the copy's address travels at this location.
    case reference(Arm64ArgumentLocation)
}

public enum Arm64ReturnLocation: Hashable, Sendable {
    case none
    case register(PReg)
    case parts([Arm64Part])
    /// In memory at the address the caller passes in x8.
    case memory
}

/// The locations of a parameter list or of one call's arguments.
public struct Arm64Assignment: Sendable {
    public var arguments: [Arm64ArgumentLocation]
    /// Bytes of stack arguments, rounded up to 16.
    public var stackSize: Int
    public var returnLocation: Arm64ReturnLocation
    /// Registers of each class the named arguments use, and their stack bytes (a variadic function's va_list starts after them).
    public var integerRegistersUsed = 0, floatRegistersUsed = 0, namedStackBytes = 0
}

/// The boundary plan of one function.
public struct Arm64Boundary: Sendable {
    /// The parameters' assignment, or why it cannot be expressed yet.
    public var parameters: Result<Arm64Assignment, SelectionError>
    /// Every call site as it is compiled: a call that ignores the aggregate
    /// result of a function defined in the module still receives it (the
    /// callee writes it all the same).
    public var callSites: [CallSite]
    /// The assignment of each call site (indexed like `Function.calls`).
    public var calls: [Arm64Assignment]
}

/// Module-wide facts: the aggregate types and which functions of the module return aggregates.
public struct Arm64ModuleABI: Sendable {
    public var types: [AggregateType]
    public var definedAggregateReturns: [SymbolID: ABIType]
    /// Which calls are safepoints (KeelIR's `SafepointPolicy`).
    public var safepoints: SafepointPolicy

    public init(module: Module) {
        types = module.types
        safepoints = SafepointPolicy(module: module)
        var returns: [SymbolID: ABIType] = [:]
        for f in module.functions { if case .aggregate? = f.returnType { returns[f.name] = f.returnType } }
        definedAggregateReturns = returns
    }
}

enum AAPCS64 {
    /// Assigns `types` (and the return type) to registers and stack slots.
    static func assign(_ types: [ABIType], returning rt: ABIType?, abi: Arm64ModuleABI) -> Arm64Assignment {
        var ngrn = 0, nsrn = 0, nsaa = 0
        var out: [Arm64ArgumentLocation] = []
        func scalar(float: Bool) -> Arm64ArgumentLocation {
            if float, nsrn < 8 { nsrn += 1; return .register(Arm64Reg.floatArguments[nsrn - 1]) }
            if !float, ngrn < 8 { ngrn += 1; return .register(Arm64Reg.intArguments[ngrn - 1]) }
            nsaa += 8
            return .stack(nsaa - 8)
        }
        for t in types {
            guard case .aggregate(let id) = t else {
                out.append(scalar(float: t.valueClass.isFloat))
                continue
            }
            let size = id.int < abi.types.count ? abi.types[id.int].size : 0
            switch AAPCS64Aggregates.classify(id, types: abi.types) {
            case .hfa(let b, let n):
                if nsrn + n <= 8 {
                    out.append(.parts((0..<n).map { k in
                        Arm64Part(register: Arm64Reg.floatArguments[nsrn + k], offset: k * b.size, type: b, size: b.size)
                    }))
                    nsrn += n
                } else {
                    nsrn = 8
                    out.append(.stackBlock(offset: nsaa, size: (size + 7) & ~7))
                    nsaa += (size + 7) & ~7
                }
            case .integer(let words, let even):
                if even { ngrn = (ngrn + 1) & ~1 }
                if ngrn + words <= 8 {
                    out.append(.parts((0..<words).map { k in
                        Arm64Part(register: Arm64Reg.intArguments[ngrn + k], offset: 8 * k, type: .l,
                                  size: min(8, size - 8 * k))
                    }))
                    ngrn += words
                } else {
                    ngrn = 8
                    if even { nsaa = (nsaa + 15) & ~15 }
                    out.append(.stackBlock(offset: nsaa, size: 8 * words))
                    nsaa += 8 * words
                }
            case .reference:
                out.append(.reference(scalar(float: false)))
            }
        }
        return Arm64Assignment(arguments: out, stackSize: (nsaa + 15) & ~15,
                               returnLocation: returnLocation(rt, abi: abi),
                               integerRegistersUsed: ngrn, floatRegistersUsed: nsrn, namedStackBytes: nsaa)
    }

    static func returnLocation(_ rt: ABIType?, abi: Arm64ModuleABI) -> Arm64ReturnLocation {
        guard let rt else { return .none }
        guard case .aggregate(let id) = rt else {
            return .register(rt.valueClass.isFloat ? Arm64Reg.v(0) : Arm64Reg.x(0))
        }
        let size = id.int < abi.types.count ? abi.types[id.int].size : 0
        switch AAPCS64Aggregates.classify(id, types: abi.types) {
        case .hfa(let b, let n):
            return .parts((0..<n).map { Arm64Part(register: Arm64Reg.v($0), offset: $0 * b.size, type: b, size: b.size) })
        case .integer(let words, _):
            return .parts((0..<words).map {
                Arm64Part(register: Arm64Reg.x($0), offset: 8 * $0, type: .l, size: min(8, size - 8 * $0))
            })
        case .reference:
            return .memory
        }
    }

    static func lower(_ f: Function, abi: Arm64ModuleABI) -> Arm64Boundary {
        let params: Result<Arm64Assignment, SelectionError> =
            .success(assign(f.parameters.map(\.type), returning: f.returnType, abi: abi))
        let sites = f.callSites(withDefinedAggregateReturns: abi.definedAggregateReturns)
        let calls = sites.map { assign($0.arguments.map(\.type), returning: $0.returnType, abi: abi) }
        return Arm64Boundary(parameters: params, callSites: sites, calls: calls)
    }
}
