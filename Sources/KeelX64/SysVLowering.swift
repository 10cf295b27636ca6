import KeelCodegen
import KeelIR

// ABI lowering for System V AMD64, the step before instruction selection:
// decides where every parameter, argument and result of one function goes
// (registers, stack cells, hidden result buffer), so the selector only
// follows the plan. A second calling convention on x86-64 would be a second
// lowering producing the same plan, not a second selector.
//
// Expects: a verified function and the module's `SysVABI`. Guarantees: one
// assignment for the parameters and one per call site (indexed like
// `Function.calls`), or nil where the convention cannot express the
// boundary (a variadic function or call with an environment); the selector
// reports those when it reaches them, at the instruction's position.

/// The boundary plan of one function.
public struct SysVBoundary: Sendable {
    /// The parameters' assignment; nil when the convention cannot express it.
    public var parameters: SysVAssignment?
    /// Every call site as it is compiled: a call that ignores the aggregate
    /// result of a function defined in the module still receives it (the
    /// callee writes it all the same; see docs/x64.md).
    public var callSites: [CallSite]
    /// The assignment of each call site; nil when the convention cannot express it.
    public var calls: [SysVAssignment?]
    /// Where the function's own result goes.
    public var returnLocation: ReturnLocation
}

/// Lowers `f`'s boundary to System V locations.
public func lowerSysV(_ f: Function, abi: SysVABI) -> SysVBoundary {
    let sites = f.callSites(withDefinedAggregateReturns: abi.definedAggregateReturns)
    let calls = sites.map { try? abi.assignCall($0) }
    return SysVBoundary(parameters: try? abi.assignParameters(f), callSites: sites, calls: calls,
                        returnLocation: abi.assignReturn(f.returnType))
}
