// ABI lowering for AAPCS64 (the Linux flavour), the step before instruction
// selection: where every scalar parameter, argument and result goes.
//
// Rules (AAPCS64 §6.8.2, "Parameter passing"):
// - integer classes (`w l r`, sub-words) take x0–x7, floats (`s d`) take
//   v0–v7, each class counting its own registers; once a class runs out,
//   its later values go to the stack, while the other class keeps using
//   registers;
// - every stack argument takes an 8-byte slot (C.16: smaller sizes are
//   rounded up to 8 on Linux), in order, from the caller's sp; the area is
//   rounded up to 16 bytes;
// - results come back in x0 or v0;
// - anonymous arguments of a variadic call travel exactly like named ones
//   (Linux, unlike Apple's variant), so a call to printf needs nothing more;
// - the environment (`env`, not a C concept) travels in x9, as QBE passes it;
// - sub-word arguments: the caller extends them to 32 bits and the callee
//   extends again (the standard leaves the upper bits unspecified).
//
// Not yet supported (the selector reports them at their instruction):
// aggregates by value (including homogeneous float aggregates and results
// through x8), variadic functions (va_list), which leave `unsupported` set.
import KeelCodegen
import KeelIR

/// Where one scalar travels.
public enum Arm64ArgumentLocation: Hashable, Sendable {
    case register(PReg)
    /// Byte offset from the caller's stack pointer at the call.
    case stack(Int)
}

/// The locations of a parameter list or of one call's arguments.
public struct Arm64Assignment: Sendable {
    public var arguments: [Arm64ArgumentLocation]
    /// Bytes of stack arguments, rounded up to 16.
    public var stackSize: Int
}

/// The boundary plan of one function.
public struct Arm64Boundary: Sendable {
    /// The parameters' assignment, or why the convention here cannot express them yet.
    public var parameters: Result<Arm64Assignment, SelectionError>
    /// The assignment of each call site (indexed like `Function.calls`).
    public var calls: [Result<Arm64Assignment, SelectionError>]
}

/// Module-wide facts: none yet (aggregate classifications will live here).
public struct Arm64ModuleABI: Sendable {
    public init() {}
}

enum AAPCS64 {
    /// Assigns scalar `types` to registers and stack slots.
    static func assign(_ types: [ABIType], position: SourcePosition, what: String)
        -> Result<Arm64Assignment, SelectionError> {
        var nextInt = 0, nextFloat = 0, stack = 0
        var out: [Arm64ArgumentLocation] = []
        for t in types {
            if case .aggregate = t {
                return .failure(SelectionError(position: position,
                                               message: "aggregate \(what) are not yet supported on arm64"))
            }
            if t.valueClass.isFloat, nextFloat < 8 {
                out.append(.register(Arm64Reg.floatArguments[nextFloat]))
                nextFloat += 1
            } else if !t.valueClass.isFloat, nextInt < 8 {
                out.append(.register(Arm64Reg.intArguments[nextInt]))
                nextInt += 1
            } else {
                out.append(.stack(stack))
                stack += 8
            }
        }
        return .success(Arm64Assignment(arguments: out, stackSize: (stack + 15) & ~15))
    }

    static func lower(_ f: Function) -> Arm64Boundary {
        var params = assign(f.parameters.map(\.type), position: f.position, what: "parameters")
        if f.isVariadic {
            params = .failure(SelectionError(position: f.position,
                                             message: "variadic functions are not yet supported on arm64"))
        } else if case .aggregate = f.returnType {
            params = .failure(SelectionError(position: f.position,
                                             message: "aggregate results are not yet supported on arm64"))
        }
        let calls = f.calls.map { site -> Result<Arm64Assignment, SelectionError> in
            if case .aggregate = site.returnType {
                return .failure(SelectionError(position: .unknown,
                                               message: "calls with aggregate results are not yet supported on arm64"))
            }
            return assign(site.arguments.map(\.type), position: .unknown, what: "arguments")
        }
        return Arm64Boundary(parameters: params, calls: calls)
    }
}
