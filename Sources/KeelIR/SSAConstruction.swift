/// SSA construction for IL that assigns a temporary more than once.
///
/// QBE IL lets a front end write `%x =w copy ...` several times (il.txt,
/// section Phi); the backend must turn that into SSA form.
///
/// Expects: a function whose block references are in range (as the parser
/// produces). Anything else may be wrong; nothing traps.
///
/// Guarantees: every temporary defined more than once (by parameters, phis or
/// instructions) is renamed so that each definition defines its own temporary,
/// and every use reads the definition reaching it, with phis inserted where
/// definitions merge. The first definition (a parameter, or the first in
/// reverse postorder) keeps the original temporary; the others get fresh names
/// `%x.1`, `%x.2`, ... that collide with no existing name. Temporaries defined
/// at most once are not touched (whether their definition dominates their
/// uses is the verifier's question). Positions of instructions are kept; new
/// phis take their block's position.
///
/// A use of a renamed temporary that some path from the entry reaches with no
/// definition reads the integer constant 0. (QBE reads an arbitrary
/// placeholder constant there and warns; any value is correct for a read of
/// an undefined temporary, 0 is deterministic.) Blocks no path from the entry
/// reaches are rewritten too: a read there gets 0 or some definition of the
/// temporary in the unreachable region, which need not dominate it (it may
/// even come later in the same block); such code never runs, and dominance
/// is only required where the entry reaches.
///
/// Algorithm: Braun et al., *Simple and Efficient Construction of SSA Form*
/// (CC 2013), through the same `SSAVariableResolver` that `FunctionBuilder`
/// uses: each multiply defined temporary is a variable; blocks are filled in
/// reverse postorder (then the unreachable ones in index order), and a block
/// is sealed as soon as all its predecessors are filled. Operands of phis
/// written in the input are read at the end of their predecessor once every
/// block is filled. Trivial phis and redundant phi cycles are removed, so the
/// phis are minimal (for irreducible CFGs too).
///
/// A temporary assigned with classes `w` and `l` is a word, as in QBE: its
/// phis are `w`, and each definition keeps its own class (an `l` definition
/// flows into `w` uses by the usual `l`-as-`w` subtyping, so only its low 32
/// bits matter). A use of such a temporary as `l` is rejected by the verifier
/// when it reads a `w` definition, as QBE rejects every one.
///
/// Returns diagnostics (the function is still rewritten, without trapping):
/// a temporary defined with classes that do not merge (its phis take the
/// first definition's class), a jump to the entry block, a jump to a block
/// that does not exist.
@discardableResult
public func constructSSA(_ f: inout Function, fileName: String = "<input>") -> [Diagnostic] {
    var construction = SSAConstruction(fileName: fileName)
    construction.run(&f)
    return construction.diagnostics
}

/// `constructSSA`, renaming `variables` too even where they are defined once
/// or never: for a pass that turns memory into temporaries (slot promotion)
/// on a function already in SSA form. Every use of such a temporary reads
/// the definition reaching it, or 0 where some path from the entry reaches
/// it with none; a definition need not dominate its uses beforehand. A
/// variable with no definition keeps its class from `f.temps`.
@discardableResult
public func constructSSA(_ f: inout Function, renaming variables: [Temp], fileName: String = "<input>") -> [Diagnostic] {
    var construction = SSAConstruction(fileName: fileName)
    construction.forced = variables
    construction.run(&f)
    return construction.diagnostics
}

/// `constructSSA` for every function of `m`.
@discardableResult
public func constructSSA(_ m: inout Module) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    for i in m.functions.indices {
        let file = m.functions[i].file
        let name = m.files.indices.contains(file) ? m.files[file] : "<input>"
        diagnostics += constructSSA(&m.functions[i], fileName: name)
    }
    return diagnostics
}

private struct SSAConstruction {
    let fileName: String
    var diagnostics: [Diagnostic] = []
    var resolver = SSAVariableResolver()
    /// Variable index per temporary index, -1 for temporaries left alone.
    var variableOf: [Int32] = []
    /// The original temporary of each variable.
    var originals: [Temp] = []
    /// Whether the original temporary has been given to a definition yet.
    var originalUsed: [Bool] = []
    /// Temporaries made variables however often they are defined.
    var forced: [Temp] = []

    init(fileName: String) { self.fileName = fileName }

    mutating func run(_ f: inout Function) {
        guard findVariables(f) else { return }
        // New names are always `name.N` for a variable's name: only names of
        // that shape can clash.
        var bases = Set<String>(minimumCapacity: originals.count)
        for t in originals { bases.insert(f.temps[t.int].name.isEmpty ? "v" : f.temps[t.int].name) }
        for t in f.temps { resolver.namer.reserveIfDerived(t.name, fromAnyOf: bases) }
        resolver.derivedNames = true
        resolver.undefinedValue = zeroConstant(&f)

        // The CFG, with out-of-range targets and edges into the entry dropped.
        let n = f.blocks.count
        var predecessors = Array(repeating: [BlockID](), count: n)
        for b in f.blocks.indices {
            for s in f.blocks[b].successors {
                if s.int >= n {
                    report(f.blocks[b].terminatorPosition,
                           "jump from @\(f.blocks[b].label) to a block that does not exist")
                } else if s == Function.entry {
                    report(f.blocks[b].terminatorPosition,
                           "jump from @\(f.blocks[b].label) to the entry block")
                } else {
                    predecessors[s.int].append(BlockID(b))
                }
            }
        }
        for b in 0..<n {
            resolver.addBlock()
            for p in predecessors[b] { resolver.addPredecessor(p, to: BlockID(b)) }
        }
        for b in 0..<n where predecessors[b].isEmpty { resolver.seal(BlockID(b), in: &f) }

        if n > 0 {
            if let env = f.env { define(env, .l, in: Function.entry, &f) }
            for p in f.parameters { define(p.temp, p.type.valueClass, in: Function.entry, &f) }
        }

        var filledPredecessors = Array(repeating: 0, count: n)
        var deferredPhiOperands: [(block: Int, phi: Int, argument: Int)] = []
        for b in fillOrder(f, predecessors) {
            rewrite(block: b, &f, deferred: &deferredPhiOperands)
            func filled(_ s: BlockID) {
                guard s.int < n, s != Function.entry else { return }
                filledPredecessors[s.int] += 1
                if filledPredecessors[s.int] == predecessors[s.int].count { resolver.seal(s, in: &f) }
            }
            switch f.blocks[b].terminator {
            case .jmp(let t): filled(t)
            case .jnz(_, let t, let e):
                filled(t)
                if e != t { filled(e) }
            case .none, .ret, .hlt: break
            }
        }

        // Phi operands written in the input: the value at the end of the predecessor.
        for (b, p, a) in deferredPhiOperands {
            let arg = f.blocks[b].phis[p].incoming[a]
            guard arg.block.int < n, let t = arg.value.temp else { continue }
            let v = Int(variableOf[t.int])
            f.blocks[b].phis[p].incoming[a].value = resolver.read(v, arg.block, in: &f)
        }
        resolver.removeRedundantPhiCycles()
        resolver.materializePhis(into: &f)
        resolver.substitute(in: &f)
    }

    /// Counts definitions; makes a variable of every temporary defined twice or
    /// more and checks that its definitions agree on the class. False if none.
    private mutating func findVariables(_ f: Function) -> Bool {
        var defs = Array(repeating: UInt8(0), count: f.temps.count)
        var firstClass = [BaseType?](repeating: nil, count: f.temps.count)
        var mergedClass = [BaseType?](repeating: nil, count: f.temps.count)
        var conflicts: [(Temp, BaseType, SourcePosition)] = []
        func count(_ t: Temp, _ type: BaseType, _ position: SourcePosition) {
            guard t.int < defs.count else { return }
            if defs[t.int] < 2 { defs[t.int] += 1 }
            if let c = mergedClass[t.int] {
                if let m = c.merged(with: type) { mergedClass[t.int] = m } else { conflicts.append((t, type, position)) }
            } else {
                firstClass[t.int] = type
                mergedClass[t.int] = type
            }
        }
        if let env = f.env { count(env, .l, f.position) }
        for p in f.parameters { count(p.temp, p.type.valueClass, p.position) }
        for b in f.blocks {
            for phi in b.phis { count(phi.result, phi.type, phi.position) }
            for i in b.instructions {
                if let t = i.result.temp { count(t, i.type, i.position) }
            }
        }
        for t in forced where t.int < defs.count { defs[t.int] = 2 }
        variableOf = Array(repeating: -1, count: f.temps.count)
        for t in f.temps.indices where defs[t] >= 2 {
            let v = resolver.addVariable(type: mergedClass[t] ?? f.temps[t].type ?? .l, name: f.temps[t].name)
            variableOf[t] = Int32(v)
            originals.append(Temp(t))
            originalUsed.append(false)
        }
        for (t, type, position) in conflicts where variableOf[t.int] >= 0 {
            report(position, "temporary %\(f.temps[t.int].name) is defined with class "
                   + "\(firstClass[t.int]?.name ?? "?") and with class \(type.name)")
        }
        return !originals.isEmpty
    }

    /// Reverse postorder from the entry, then the blocks it does not reach, by index.
    private func fillOrder(_ f: Function, _ predecessors: [[BlockID]]) -> [Int] {
        let n = f.blocks.count
        guard n > 0 else { return [] }
        var visited = Array(repeating: false, count: n)
        var postorder: [Int] = []
        postorder.reserveCapacity(n)
        var stack: [(block: Int, next: Int)] = [(0, 0)]
        visited[0] = true
        while let top = stack.last {
            // Successors in reverse, so that the reverse postorder lists a
            // branch's first target first (as it is usually written).
            let succs = f.blocks[top.block].successors
            if top.next < succs.count {
                stack[stack.count - 1].next += 1
                let s = succs[succs.count - 1 - top.next].int
                if s < n, !visited[s] {
                    visited[s] = true
                    stack.append((s, 0))
                }
            } else {
                postorder.append(top.block)
                stack.removeLast()
            }
        }
        var order = Array(postorder.reversed())
        for b in 0..<n where !visited[b] { order.append(b) }
        return order
    }

    /// Renames the uses and definitions of variables in block `b`, in order.
    private mutating func rewrite(block b: Int, _ f: inout Function,
                                  deferred: inout [(block: Int, phi: Int, argument: Int)]) {
        let block = BlockID(b)
        for p in f.blocks[b].phis.indices {
            for (a, arg) in f.blocks[b].phis[p].incoming.enumerated() where isVariable(arg.value) {
                deferred.append((b, p, a))
            }
            let phi = f.blocks[b].phis[p]
            if isVariable(.temp(phi.result)) {
                f.blocks[b].phis[p].result = define(phi.result, phi.type, in: block, &f)
            }
        }
        for i in f.blocks[b].instructions.indices {
            let ins = f.blocks[b].instructions[i]
            for k in 0..<f.operandCount(of: ins) {
                let r = f.operand(k, of: ins)
                if isVariable(r) { f.setOperand(k, ofInstruction: i, inBlock: b, to: use(r, in: block, &f)) }
            }
            if let t = ins.result.temp, isVariable(ins.result) {
                f.blocks[b].instructions[i].result = .temp(define(t, ins.type, in: block, &f))
            }
        }
        let r = Function.operand(of: f.blocks[b].terminator)
        if isVariable(r) {
            f.blocks[b].terminator = Function.terminator(f.blocks[b].terminator, withOperand: use(r, in: block, &f))
        }
    }

    @inline(__always)
    private func isVariable(_ r: Ref) -> Bool {
        guard let t = r.temp, t.int < variableOf.count else { return false }
        return variableOf[t.int] >= 0
    }

    private mutating func use(_ r: Ref, in b: BlockID, _ f: inout Function) -> Ref {
        guard let t = r.temp else { return r }
        return resolver.read(Int(variableOf[t.int]), b, in: &f)
    }

    /// A new definition of the variable `original` stands for: the original
    /// temporary the first time, a fresh one afterwards.
    @discardableResult
    private mutating func define(_ original: Temp, _ type: BaseType, in b: BlockID,
                                 _ f: inout Function) -> Temp {
        guard original.int < variableOf.count, variableOf[original.int] >= 0 else { return original }
        let v = Int(variableOf[original.int])
        var t = original
        if originalUsed[v] {
            t = f.newTemp(name: resolver.derivedName(v), type: type)
        } else {
            // The parser recorded the class of the first definition in the
            // text; the one given the original name may be another (w vs l).
            f.temps[t.int].type = type
        }
        originalUsed[v] = true
        resolver.write(v, b, .temp(t))
        return t
    }

    /// An integer 0 from the pool, added if absent.
    private func zeroConstant(_ f: inout Function) -> Ref {
        if let i = f.constants.firstIndex(of: .integer(0)) { return .const(ConstID(i)) }
        return f.addConstant(.integer(0))
    }

    private mutating func report(_ position: SourcePosition, _ message: String) {
        diagnostics.append(Diagnostic(file: fileName, position: position, message: message))
    }
}
