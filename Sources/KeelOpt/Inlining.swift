import KeelIR

// Inlining: a direct call to a small function of the module, or to a local
// function called from one place only, becomes a copy of the callee's body.
// C front ends pass small structs by value through tiny helpers; once the
// body is in the caller, slot splitting and promotion turn the copies into
// registers.
//
// Expects: a verified module in SSA form.
// Guarantees: the module stays verifier-clean and computes the same effects.
// A call is inlined only when
// - the callee is defined in the module, takes no environment, is not
//   variadic, its entry block has no predecessors, it allocates only in its
//   entry block with constant sizes, and it has no `vastart`, `vaarg`,
//   `tailcall` (inlined, a tail call would stop being one, and a loop of
//   tail calls would grow the stack) nor any GC reference (class r);
// - the call is not a `tailcall` (the front end asked for that jump, and
//   its checks should not depend on the level), passes no environment, no
//   variadic arguments, exactly the callee's parameters with the same ABI
//   types, and expects the callee's return type or nothing;
// - the callee is not the caller nor reaches it through calls walked before
//   (recursion stays a call);
// - the callee is small (`InliningLimits.smallCallee` instructions), or it
//   is local, never has its address taken, is called from one place and is
//   under `InliningLimits.calledOnce`; and the caller stays under
//   `InliningLimits.callerSize`.
// The callee's body is then copied into the caller between the two halves
// of the calling block: fresh temporaries and blocks, its `alloc`s moved to
// the caller's entry block, scalar arguments substituted for the parameters
// (sub-words extended as the call would), each aggregate argument copied
// into a slot of its own (the callee may write its copy), each `ret` a jump
// to the continuation, where a phi (or copy) of the returned values defines
// the call's result; an aggregate result is copied into a slot at each
// `ret`, since the returned address may be memory the caller later writes.
// The copied blocks are placed right after the calling block. A local
// function whose every call was inlined, and whose address is never taken,
// is deleted.
//
// Algorithm: callees before callers (post-order of a depth-first walk of
// the call graph), so a callee is copied with its own calls already
// inlined; a call to a function not finished yet closes a cycle and stays.
// A small function that calls itself is then copied into itself once at
// each such call (its recursion unrolled by one level, halving the calls
// of fib-like functions).

/// Size budgets of `inlineCalls`, in instructions (phis count as one).
public struct InliningLimits: Hashable, Sendable {
    /// Any callee this small is inlined at every call site.
    public var smallCallee = 30
    /// A local callee with one call site is inlined up to this size.
    public var calledOnce = 400
    /// No inlining makes a caller larger than this.
    public var callerSize = 4000
    public init() {}
}

/// Inlines calls in every function of `m` (see above).
public func inlineCalls(_ m: inout Module, limits: InliningLimits = InliningLimits()) {
    var inliner = Inliner(m, limits: limits)
    inliner.run(&m)
}

struct Inliner {
    let limits: InliningLimits
    var functionOf: [SymbolID: Int] = [:]
    var callSites: [Int]
    var addressTaken: [Bool]
    var size: [Int]
    var hasBody: [Bool]

    init(_ m: Module, limits: InliningLimits) {
        self.limits = limits
        let n = m.functions.count
        callSites = [Int](repeating: 0, count: n)
        addressTaken = [Bool](repeating: false, count: n)
        size = m.functions.map(Inliner.size)
        hasBody = m.functions.map(Inliner.isInlinableBody)
        for (i, f) in m.functions.enumerated() { functionOf[f.name] = i }
        for f in m.functions { countReferences(in: f) }
        for d in m.data {
            for case .values(_, let values) in d.items {
                for case .symbol(let s, _) in values { if let g = functionOf[s] { addressTaken[g] = true } }
            }
        }
    }

    static func size(_ f: Function) -> Int {
        f.blocks.reduce(0) { $0 + $1.phis.count + $1.instructions.count }
    }

    /// The function a direct call to `callee` reaches, if the module defines it.
    func target(_ callee: Ref, in f: Function) -> Int? {
        guard let c = f.constant(callee), case .symbol(let s, 0, .direct) = c else { return nil }
        return functionOf[s]
    }

    mutating func countReferences(in f: Function) {
        func value(_ r: Ref) {
            guard let c = f.constant(r), case .symbol(let s, _, _) = c, let g = functionOf[s] else { return }
            addressTaken[g] = true
        }
        for block in f.blocks {
            for phi in block.phis { for arg in phi.incoming { value(arg.value) } }
            for ins in block.instructions {
                for k in 0..<f.operandCount(of: ins) {
                    let r = f.operand(k, of: ins)
                    if k == 0 && ins.op == .call, let g = target(r, in: f) {
                        callSites[g] += 1
                    } else {
                        value(r)
                    }
                }
            }
            value(Function.operand(of: block.terminator))
        }
    }

    /// Whether `f`'s body can be copied into a caller at all.
    static func isInlinableBody(_ f: Function) -> Bool {
        guard !f.isVariadic, f.env == nil, !f.blocks.isEmpty, f.returnType != .base(.r),
              !f.parameters.contains(where: { $0.type == .base(.r) }) else { return false }
        for (b, block) in f.blocks.enumerated() {
            if block.successors.contains(Function.entry) { return false }
            if block.phis.contains(where: { $0.type == .r }) { return false }
            for ins in block.instructions {
                switch ins.op {
                case .vastart, .vaarg, .loadr, .storer, .tagr: return false
                case .call where f.calls[Int(ins.extra)].isTail: return false
                case .alloc4, .alloc8, .alloc16:
                    guard b == 0, let c = f.constant(ins.a), case .integer(let n) = c, n >= 0 else { return false }
                default: break
                }
                if ins.type == .r && ins.result.temp != nil { return false }
            }
        }
        return true
    }

    /// Whether the call `site` to `callee` (of `m`) may be inlined into a
    /// caller of `callerSize` instructions.
    func accepts(_ site: CallSite, callee g: Int, callerSize: Int, _ m: Module, finished: [Bool]) -> Bool {
        guard finished[g], hasBody[g], callerSize + size[g] <= limits.callerSize else { return false }
        let callee = m.functions[g]
        let small = size[g] <= limits.smallCallee
        let once = !callee.linkage.export && !addressTaken[g] && callSites[g] == 1 && size[g] <= limits.calledOnce
        guard small || once else { return false }
        guard site.variadicStart == nil, site.env.isNone, !site.isTail, site.arguments.count == callee.parameters.count,
              zip(site.arguments, callee.parameters).allSatisfy({ $0.type == $1.type }) else { return false }
        return site.returnType == nil || site.returnType == callee.returnType
    }

    mutating func run(_ m: inout Module) {
        let n = m.functions.count
        var finished = [Bool](repeating: false, count: n)
        var visiting = [Bool](repeating: false, count: n)
        var inlinedAway = [Bool](repeating: false, count: n)
        // Iterative post-order walk: (function, next call to look at).
        for root in 0..<n where !visiting[root] {
            var stack: [(Int, [Int], Int)] = [(root, callees(of: m.functions[root]), 0)]
            visiting[root] = true
            while !stack.isEmpty {
                let (f, next, k) = stack[stack.count - 1]
                if k < next.count {
                    stack[stack.count - 1].2 += 1
                    let g = next[k]
                    if !visiting[g] {
                        visiting[g] = true
                        stack.append((g, callees(of: m.functions[g]), 0))
                    }
                    continue
                }
                stack.removeLast()
                var caller = m.functions[f]
                let inlined = inlineCalls(into: &caller, m, finished: finished)
                for g in inlined { inlinedAway[g] = true }
                m.functions[f] = caller
                size[f] = Inliner.size(caller)
                finished[f] = true
                // A small function calling itself gets one copy of its body
                // at each such call: the recursion unrolled once.
                if hasBody[f] && size[f] <= limits.smallCallee
                    && !inlineCalls(into: &caller, m, finished: finished, only: f).isEmpty {
                    m.functions[f] = caller
                    size[f] = Inliner.size(caller)
                }
            }
        }
        deleteUnused(&m, candidates: inlinedAway)
    }

    func callees(of f: Function) -> [Int] {
        var out: [Int] = []
        for block in f.blocks {
            for ins in block.instructions where ins.op == .call {
                if let g = target(ins.a, in: f) { out.append(g) }
            }
        }
        return out
    }

    /// Inlines the accepted calls of `f`; returns the callees inlined.
    func inlineCalls(into f: inout Function, _ m: Module, finished: [Bool], only: Int? = nil) -> [Int] {
        let callerSize0 = Inliner.size(f)
        let any = f.blocks.contains { block in
            block.instructions.contains { ins in
                guard ins.op == .call, let g = target(ins.a, in: f), only == nil || g == only else { return false }
                return accepts(f.calls[Int(ins.extra)], callee: g, callerSize: callerSize0, m, finished: finished)
            }
        }
        guard any else { return [] }  // most functions: no copy made
        var copier = BodyCopier(caller: f, types: m.types)
        var inlined: [Int] = []
        var callerSize = callerSize0
        var b = 0
        while b < copier.f.blocks.count {
            defer { b += 1 }
            if copier.isCopy[b] { continue }  // calls the callee kept
            var i = 0
            while i < copier.f.blocks[b].instructions.count {
                let ins = copier.f.blocks[b].instructions[i]
                guard ins.op == .call, let g = target(ins.a, in: copier.f), only == nil || g == only,
                      accepts(copier.f.calls[Int(ins.extra)], callee: g, callerSize: callerSize, m, finished: finished)
                else {
                    i += 1
                    continue
                }
                copier.inline(block: b, index: i, callee: m.functions[g])
                inlined.append(g)
                callerSize += size[g]
                break  // the rest of the block is now the continuation, scanned in turn
            }
        }
        guard !inlined.isEmpty else { return [] }
        copier.finish()
        f = copier.f
        return inlined
    }

    /// Deletes the local functions that had calls, now have none, and whose
    /// address is never taken.
    mutating func deleteUnused(_ m: inout Module, candidates: [Bool]) {
        guard candidates.contains(true) else { return }
        callSites = [Int](repeating: 0, count: m.functions.count)
        for f in m.functions { countReferences(in: f) }
        var newIndex = [Int](repeating: -1, count: m.functions.count)
        var kept: [Function] = []
        for (i, f) in m.functions.enumerated() {
            if candidates[i] && callSites[i] == 0 && !addressTaken[i] && !f.linkage.export { continue }
            newIndex[i] = kept.count
            kept.append(f)
        }
        guard kept.count < m.functions.count else { return }
        m.functions = kept
        m.items = m.items.compactMap { item in
            guard case .function(let i) = item else { return item }
            return newIndex[i] >= 0 ? .function(newIndex[i]) : nil
        }
    }
}
