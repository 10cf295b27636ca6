import KeelIR

// Sparse conditional constant propagation: temporaries that hold one
// constant on every execution become that constant, branches on constants
// become jumps, and blocks no execution reaches are deleted.
//
// Expects: a verified function in SSA form.
// Guarantees: the function stays verifier-clean and computes the same
// effects. Every temporary proved constant is replaced by the constant in
// every use (phi arguments and terminators included) and its definition is
// deleted (it has no effects: only pure instructions and phis are ever
// found constant); a `jnz` on a constant becomes a `jmp` to the target it
// takes; blocks that no executable edge reaches are deleted, and phis lose
// the arguments of edges that can no longer run. Folding is exact
// (ConstantFolding.swift): nothing that may trap or round differently at
// run time is folded. Values of class r are never constants (the collector
// tracks them). A replacement constant always has the kind its temporary's
// class reads (integer or symbol for l, integer for w, `s_` for s, `d_` for d).
//
// Besides folding constant operands, the evaluation knows results that do
// not depend on an unknown operand: `mul x, 0`, `and x, 0`, `rem x, 1`,
// `sub x, x`, `xor x, x`, and integer comparisons of a temporary with itself.
//
// Algorithm: Wegman & Zadeck, *Constant Propagation with Conditional
// Branches* (TOPLAS 1991), the SSA-edge formulation: a lattice value per
// temporary (unknown > constant > varying) and an executable flag per CFG
// edge, lowered by two worklists (edges that became executable, temporaries
// whose value dropped) until nothing changes; uses come from def-use lists
// built once. In verified SSA every value reaching an executable use is
// eventually known; should a branch condition stay unknown all the same, it
// is made varying at the end so that both targets stay. Linear in the size of
// the function times the lattice height (3).
public func propagateConstants(_ f: inout Function) {
    guard f.blocks.count > 0 else { return }
    var solver = ConstantSolver(f)
    solver.solve(f)
    solver.rewrite(&f)
}

/// `propagateConstants` on every function of `m`.
public func propagateConstants(_ m: inout Module) {
    for i in m.functions.indices { propagateConstants(&m.functions[i]) }
}

/// The lattice and both worklists.
struct ConstantSolver {
    enum State: UInt8 { case unknown, constant, varying }

    var state: [State]
    var value: [Constant]
    /// Class of each temporary (nil: not defined by a phi or instruction).
    var classOf: [BaseType?]
    /// Def-use lists in one flat table: the uses of temporary t are
    /// `useBlock/useIndex[useStart[t]..<useStart[t + 1]]`; an index names a
    /// phi as -1 - p, an instruction as i, the terminator as `terminatorUse`.
    var useStart: [Int32]
    var useBlock: [Int32] = []
    var useIndex: [Int32] = []
    static let terminatorUse = Int32.max
    /// Per block: reached by an executable edge (the entry always), and
    /// whether each of its terminator's edges is executable (slot 0: the
    /// first target, slot 1: the second when it differs).
    var blockExecutable: [Bool]
    var edgeExecutable: [Bool]
    var edgeWork: [(from: Int32, slot: Int32)] = []
    var tempWork: [Int32] = []

    init(_ f: Function) {
        let n = f.temps.count
        state = [State](repeating: .unknown, count: n)
        value = [Constant](repeating: .integer(0), count: n)
        classOf = [BaseType?](repeating: nil, count: n)
        blockExecutable = [Bool](repeating: false, count: f.blocks.count)
        edgeExecutable = [Bool](repeating: false, count: 2 * f.blocks.count)
        // Parameters and the environment hold values from outside.
        for p in f.parameters where p.temp.int < n { state[p.temp.int] = .varying }
        if let env = f.env, env.int < n { state[env.int] = .varying }

        var counts = [Int32](repeating: 0, count: n + 1)
        func count(_ t: Temp) { if t.int < n { counts[t.int] += 1 } }
        for block in f.blocks {
            for phi in block.phis {
                if phi.result.int < n { classOf[phi.result.int] = phi.type }
                for arg in phi.incoming { if let t = arg.value.temp { count(t) } }
            }
            for ins in block.instructions {
                if let t = ins.result.temp, t.int < n { classOf[t.int] = ins.type }
                f.forEachUse(of: ins, count)
            }
            f.forEachUse(of: block.terminator, count)
        }
        useStart = [Int32](repeating: 0, count: n + 1)
        var total: Int32 = 0
        for t in 0..<n {
            useStart[t] = total
            total += counts[t]
        }
        useStart[n] = total
        useBlock = [Int32](repeating: 0, count: Int(total))
        useIndex = [Int32](repeating: 0, count: Int(total))
        var fill = useStart
        func add(_ t: Temp, _ b: Int, _ i: Int32) {
            guard t.int < n else { return }
            let k = Int(fill[t.int])
            useBlock[k] = Int32(b)
            useIndex[k] = i
            fill[t.int] += 1
        }
        for (b, block) in f.blocks.enumerated() {
            for (p, phi) in block.phis.enumerated() {
                for arg in phi.incoming { if let t = arg.value.temp { add(t, b, Int32(-1 - p)) } }
            }
            for (i, ins) in block.instructions.enumerated() { f.forEachUse(of: ins) { add($0, b, Int32(i)) } }
            f.forEachUse(of: block.terminator) { add($0, b, ConstantSolver.terminatorUse) }
        }
    }

    // MARK: solving

    mutating func solve(_ f: Function) {
        blockExecutable[Function.entry.int] = true
        visitBlock(Function.entry.int, f)
        while true {
            drain(f)
            // An unknown branch condition is an undefined value: let both
            // targets run rather than delete them.
            var again = false
            for b in f.blocks.indices where blockExecutable[b] {
                if case .jnz(let c, _, _) = f.blocks[b].terminator, let t = c.temp, t.int < state.count,
                   state[t.int] == .unknown {
                    lower(t.int, to: .varying, .integer(0))
                    again = true
                }
            }
            if !again { return }
        }
    }

    mutating func drain(_ f: Function) {
        while true {
            if let (from, slot) = edgeWork.popLast() {
                let to = successor(Int(slot), of: f.blocks[Int(from)].terminator)
                if blockExecutable[to] {
                    for p in f.blocks[to].phis.indices { visitPhi(to, p, f) }
                } else {
                    blockExecutable[to] = true
                    visitBlock(to, f)
                }
            } else if let t = tempWork.popLast() {
                for k in Int(useStart[Int(t)])..<Int(useStart[Int(t) + 1]) {
                    let b = Int(useBlock[k])
                    guard blockExecutable[b] else { continue }
                    let i = useIndex[k]
                    if i == ConstantSolver.terminatorUse { visitTerminator(b, f) }
                    else if i < 0 { visitPhi(b, Int(-1 - i), f) }
                    else { visitInstruction(f.blocks[b].instructions[Int(i)], f) }
                }
            } else {
                return
            }
        }
    }

    func successor(_ slot: Int, of t: Terminator) -> Int {
        switch t {
        case .jmp(let a): return a.int
        case .jnz(_, let a, let b): return slot == 0 ? a.int : b.int
        case .none, .ret, .hlt: preconditionFailure("no successor")
        }
    }

    mutating func markEdge(_ b: Int, _ slot: Int) {
        guard !edgeExecutable[2 * b + slot] else { return }
        edgeExecutable[2 * b + slot] = true
        edgeWork.append((Int32(b), Int32(slot)))
    }

    /// Whether the edge from `p` to `b` can run.
    func isEdgeExecutable(from p: Int, to b: Int, _ f: Function) -> Bool {
        switch f.blocks[p].terminator {
        case .jmp(let a): return a.int == b && edgeExecutable[2 * p]
        case .jnz(_, let x, let y):
            if x.int == b && edgeExecutable[2 * p] { return true }
            return y != x && y.int == b && edgeExecutable[2 * p + 1]
        case .none, .ret, .hlt: return false
        }
    }

    mutating func visitBlock(_ b: Int, _ f: Function) {
        for p in f.blocks[b].phis.indices { visitPhi(b, p, f) }
        for ins in f.blocks[b].instructions { visitInstruction(ins, f) }
        visitTerminator(b, f)
    }

    mutating func visitTerminator(_ b: Int, _ f: Function) {
        switch f.blocks[b].terminator {
        case .jmp:
            markEdge(b, 0)
        case .jnz(let c, let x, let y):
            let (s, v) = operandValue(c, f)
            switch s {
            case .unknown: break
            case .constant:
                if case .integer(let k) = v {
                    markEdge(b, UInt32(truncatingIfNeeded: k) != 0 || x == y ? 0 : 1)
                } else {
                    markEdge(b, 0)
                    if x != y { markEdge(b, 1) }
                }
            case .varying:
                markEdge(b, 0)
                if x != y { markEdge(b, 1) }
            }
        case .none, .ret, .hlt:
            break
        }
    }


    /// Whether `c` is a constant that a temporary of class `type` may be
    /// replaced by (see the contract).
    static func fits(_ c: Constant, _ type: BaseType) -> Bool {
        switch (type, c) {
        case (.w, .integer), (.l, .integer), (.s, .single), (.d, .double): return true
        case (.l, .symbol(_, _, let access)): return access == .direct
        default: return false
        }
    }

    /// Moves temporary `t` down the lattice (never up) and queues its uses.
    mutating func lower(_ t: Int, to s: State, _ c: Constant) {
        switch (state[t], s) {
        case (.varying, _), (_, .unknown):
            return
        case (.unknown, .constant):
            state[t] = .constant
            value[t] = c
        case (.constant, .constant):
            if value[t] == c { return }
            state[t] = .varying
        case (_, .varying):
            state[t] = .varying
        }
        tempWork.append(Int32(t))
    }

    mutating func visitPhi(_ b: Int, _ p: Int, _ f: Function) {
        let phi = f.blocks[b].phis[p]
        let t = phi.result.int
        guard t < state.count, state[t] != .varying else { return }
        var merged: State = .unknown
        var c: Constant = .integer(0)
        for arg in phi.incoming where isEdgeExecutable(from: arg.block.int, to: b, f) {
            let (s, v) = operandValue(arg.value, f)
            switch s {
            case .unknown: continue
            case .varying:
                merged = .varying
            case .constant:
                if merged == .unknown { merged = .constant; c = v }
                else if merged == .constant && c != v { merged = .varying }
            }
            if merged == .varying { break }
        }
        if merged == .constant && (phi.type == .r || !ConstantSolver.fits(c, phi.type)) { merged = .varying }
        lower(t, to: merged, c)
    }

    /// An operand's lattice value, reading constant operands from the pool.
    func operandValue(_ r: Ref, _ f: Function) -> (State, Constant) {
        if let c = f.constant(r) { return (.constant, c) }
        guard let t = r.temp, t.int < state.count else { return (.varying, .integer(0)) }
        return (state[t.int], value[t.int])
    }

    mutating func visitInstruction(_ ins: Instruction, _ f: Function) {
        guard let t = ins.result.temp?.int, t < state.count, state[t] != .varying else { return }
        let op = ins.op
        guard op.properties.isPure, !op.isAlloc, ins.type != .r else {
            lower(t, to: .varying, .integer(0))
            return
        }
        let (sa, a) = operandValue(ins.a, f)
        if op.operandCount == 1 {
            switch sa {
            case .unknown: return
            case .varying: lower(t, to: .varying, .integer(0))
            case .constant:
                if let c = foldConstant(op, type: ins.type, a, nil) { lower(t, to: .constant, c) }
                else { lower(t, to: .varying, .integer(0)) }
            }
            return
        }
        let (sb, b) = operandValue(ins.b, f)
        if let c = ConstantSolver.absorbed(ins, sa, a, sb, b) {
            lower(t, to: .constant, c)
            return
        }
        if sa == .varying || sb == .varying { lower(t, to: .varying, .integer(0)); return }
        if sa == .unknown || sb == .unknown { return }
        if let c = foldConstant(op, type: ins.type, a, b) { lower(t, to: .constant, c) }
        else { lower(t, to: .varying, .integer(0)) }
    }

    /// Integer results that do not depend on an unknown operand.
    static func absorbed(_ ins: Instruction, _ sa: State, _ a: Constant, _ sb: State, _ b: Constant) -> Constant? {
        func isInt(_ s: State, _ c: Constant, _ v: Int64, width: BaseType) -> Bool {
            guard s == .constant, case .integer(let x) = c else { return false }
            return width == .w ? UInt32(truncatingIfNeeded: x) == UInt32(truncatingIfNeeded: v) : x == v
        }
        let op = ins.op
        if op.isComparison {
            guard let t = ins.a.temp, ins.b.temp == t else { return nil }
            switch op {
            case .ceqw, .csgew, .cslew, .cugew, .culew, .ceql, .csgel, .cslel, .cugel, .culel: return .integer(1)
            case .cnew, .csgtw, .csltw, .cugtw, .cultw, .cnel, .csgtl, .csltl, .cugtl, .cultl: return .integer(0)
            default: return nil  // float comparisons: NaN is not equal to itself
            }
        }
        guard ins.type.isInteger else { return nil }
        let w = ins.type
        switch op {
        case .mul, .and:
            if isInt(sa, a, 0, width: w) || isInt(sb, b, 0, width: w) { return .integer(0) }
        case .rem, .urem:
            if isInt(sb, b, 1, width: w) { return .integer(0) }
        case .sub, .xor:
            if let t = ins.a.temp, ins.b.temp == t { return .integer(0) }
        default:
            break
        }
        return nil
    }

    // MARK: rewriting

    mutating func rewrite(_ f: inout Function) {
        var pool = ConstantPool()
        let n = state.count
        var replacement = [Ref](repeating: .none, count: n)
        var any = false
        for t in 0..<n where state[t] == .constant {
            guard let cls = classOf[t], ConstantSolver.fits(value[t], cls) else { continue }
            replacement[t] = pool.ref(value[t], in: &f)
            any = true
        }
        func replaced(_ r: Ref) -> Ref {
            guard let t = r.temp, t.int < n, !replacement[t.int].isNone else { return r }
            return replacement[t.int]
        }
        var keep = blockExecutable
        // Phis first, while the terminators still say which edge is which:
        // drop the edges that cannot run, and the phis found constant.
        for b in f.blocks.indices where keep[b] {
            if !f.blocks[b].phis.isEmpty {
                let preds = f.blocks[b].phis[0].incoming.map(\.block)
                let dead = preds.filter { !isEdgeExecutable(from: $0.int, to: b, f) }
                for p in f.blocks[b].phis.indices {
                    if !dead.isEmpty { f.blocks[b].phis[p].incoming.removeAll { dead.contains($0.block) } }
                    if any {
                        for k in f.blocks[b].phis[p].incoming.indices {
                            f.blocks[b].phis[p].incoming[k].value = replaced(f.blocks[b].phis[p].incoming[k].value)
                        }
                    }
                }
                if any { f.blocks[b].phis.removeAll { !replacement[$0.result.int].isNone } }
            }
        }
        for b in f.blocks.indices where keep[b] {
            if any {
                var deleted = false
                for i in f.blocks[b].instructions.indices {
                    let ins = f.blocks[b].instructions[i]
                    if let t = ins.result.temp, t.int < n, !replacement[t.int].isNone, !ins.op.hasEffects {
                        deleted = true
                        continue
                    }
                    for k in 0..<f.operandCount(of: ins) {
                        let r = f.operand(k, of: ins)
                        let s = replaced(r)
                        if s != r { f.setOperand(k, ofInstruction: i, inBlock: b, to: s) }
                    }
                }
                if deleted {
                    f.blocks[b].instructions.removeAll { ins in
                        guard let t = ins.result.temp, t.int < n, !ins.op.hasEffects else { return false }
                        return !replacement[t.int].isNone
                    }
                }
            }
            // Terminators: a branch with one executable edge becomes a jump.
            switch f.blocks[b].terminator {
            case .jnz(let c, let x, let y):
                if x == y {
                    f.blocks[b].terminator = .jnz(replaced(c), x, y)
                } else if !edgeExecutable[2 * b + 1] {
                    f.blocks[b].terminator = .jmp(x)
                } else if !edgeExecutable[2 * b] {
                    f.blocks[b].terminator = .jmp(y)
                } else {
                    f.blocks[b].terminator = .jnz(replaced(c), x, y)
                }
            case .ret(let v):
                f.blocks[b].terminator = .ret(replaced(v))
            case .none, .jmp, .hlt:
                break
            }
        }
        keep[Function.entry.int] = true
        removeBlocks(&f, keeping: keep)
    }
}
