// Which `keel_alloc` calls a target may expand into the nursery's inline
// bump-pointer path (docs/runtime.md, "Allocation"), decided the same way
// for every target: a direct call `call $keel_alloc(l $layout, l N)` with
// no environment or variadic part, a layout the module defines or declares
// (section keel_layouts) and a constant N the fast path handles (`SafepointPolicy.inlinesAllocation`).
// The target writes the sequence; to its allocator it stays the call.
import KeelIR

extension SafepointPolicy {
    /// The layout and payload words of call `ins` (at `site`) of `f` when it
    /// may take the inline path; nil for any other call.
    public func inlineAllocation(_ ins: Instruction, _ site: CallSite, in f: Function)
        -> (layout: SymbolID, words: Int64)? {
        guard site.arguments.count == 2, site.env.isNone, site.variadicStart == nil,
              let c = f.constant(ins.a), case .symbol(let callee, 0, .direct) = c,
              let lc = f.constant(site.arguments[0].value), case .symbol(let layout, 0, .direct) = lc,
              let wc = f.constant(site.arguments[1].value), case .integer(let words) = wc,
              inlinesAllocation(callee: callee, layout: layout, words: words) else { return nil }
        return (layout, words)
    }
}
