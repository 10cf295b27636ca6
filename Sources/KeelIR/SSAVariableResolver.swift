/// On-the-fly SSA construction from variables: the core shared by
/// `FunctionBuilder` (front ends) and `constructSSA` (IL that assigns a
/// temporary more than once).
///
/// Algorithm: Braun, Buchwald, Hack, Leißa, Mallon, Zwinkau, *Simple and
/// Efficient Construction of Static Single Assignment Form* (CC 2013),
/// section 2: local value numbering per block (`write`/`read`), global value
/// numbering by recursive lookup in the predecessors, incomplete phis for
/// blocks whose predecessors are not all known yet (unsealed), and recursive
/// removal of trivial phis (`x = phi(x, ..., v, ...)` with one distinct other
/// operand `v` becomes `v`).
///
/// Contract:
/// - The owner tells it the CFG as it grows (`addBlock`, `addPredecessor`) and
///   seals a block once its predecessor list is final. A block is *filled*
///   when no more instructions will be added; `read` of a block other than
///   the one being filled must only reach filled blocks (true when blocks are
///   filled in an order where every predecessor of a sealed block is filled).
/// - Guarantees: every value returned by `read` is an SSA value available at
///   the end of the block it was read in (or at the point of the read in the
///   block being filled). With trivial phi removal the phis are minimal for
///   reducible CFGs (Braun et al., section 3.1); `removeRedundantPhiCycles`
///   (section 3.2, run once all blocks are sealed) also removes the redundant
///   phi cycles irreducible CFGs leave, making the phis minimal there too.
/// - Phis live in the resolver until `materializePhis` appends the surviving
///   ones to their blocks. A removed phi's temporary is replaced by its value
///   through a replacement chain (`resolve`); `substitute` rewrites every
///   operand of a function through it.
/// - A read with no definition on some path yields `undefinedValue`. When that
///   path starts at the entry block the read is recorded in `undefinedReads`
///   (reads in blocks no path from the entry reaches are not recorded).
///
/// Everything is index-based: blocks, variables and phis are dense integers;
/// the current definitions are one open-addressing table keyed by (block,
/// variable) packed in 64 bits (`DefinitionTable`). Lookups through long predecessor chains and phi
/// removal cascades use explicit stacks, not recursion.
struct SSAVariableResolver {
    enum PhiState: UInt8 {
        /// Operands not all known yet (unsealed block, or being filled).
        case incomplete
        case complete
        /// Trivial; replaced by `replacement`.
        case removed
    }

    struct PhiRecord {
        var block: BlockID
        var variable: Int32
        var temp: Temp
        /// One per predecessor of `block`, in `predecessors[block]` order.
        var operands: [Ref]
        /// Phis that have this phi as an operand (may repeat; may be stale).
        var users: [Int32]
        var state: PhiState
        var replacement: Ref
    }

    private enum Frame {
        /// Block with one predecessor, waiting for its value.
        case single(BlockID)
        /// Phi being filled; `next` is the index of the predecessor being read.
        case phi(Int32, next: Int, writeBack: Bool)
    }

    private(set) var predecessors: [[BlockID]] = []
    private(set) var sealed: [Bool] = []
    private var incompletePhis: [[Int32]] = []
    private var currentDef = DefinitionTable()
    private(set) var phis: [PhiRecord] = []
    /// Phi index per temporary index, -1 for temporaries that are not resolver phis.
    private var phiOfTemp: [Int32] = []
    private(set) var variableTypes: [BaseType] = []
    private(set) var variableNames: [String?] = []
    var namer = TempNamer()
    /// When set (by `constructSSA`, where every variable's name is taken),
    /// phis are named `name.N` by `derivedName`, without hashing.
    var derivedNames = false
    private var nameCounters: [Int] = []
    /// The entry block: it has no predecessors, whatever the CFG says.
    var entry = Function.entry
    /// What a read with no definition on some path yields.
    var undefinedValue: Ref = .none
    /// (variable, block) of reads that lack a definition on a path from the entry.
    private(set) var undefinedReads: [(variable: Int, block: BlockID)] = []
    private(set) var removedCount = 0
    private var frameBuffer: [Frame] = []

    init() {}

    // MARK: CFG and variables

    mutating func addBlock() {
        predecessors.append([])
        sealed.append(false)
        incompletePhis.append([])
    }

    /// Adds the edge `pred -> b`. Returns false (and adds nothing) if `b` is sealed.
    @discardableResult
    mutating func addPredecessor(_ pred: BlockID, to b: BlockID) -> Bool {
        if sealed[b.int] { return false }
        predecessors[b.int].append(pred)
        return true
    }

    mutating func addVariable(type: BaseType, name: String?) -> Int {
        variableTypes.append(type)
        variableNames.append(name)
        nameCounters.append(0)
        return variableTypes.count - 1
    }

    /// The next `name.N` for variable `v` (see `TempNamer.derived`).
    mutating func derivedName(_ v: Int) -> String {
        namer.derived(variableNames[v] ?? "", counter: &nameCounters[v])
    }

    @inline(__always)
    private func key(_ b: BlockID, _ v: Int) -> UInt64 { DefinitionTable.key(b, v) }

    // MARK: reading and writing

    mutating func write(_ v: Int, _ b: BlockID, _ value: Ref) {
        currentDef.set(key(b, v), value)
    }

    /// The value of variable `v` at the current point of block `b`.
    mutating func read(_ v: Int, _ b: BlockID, in f: inout Function) -> Ref {
        if let d = currentDef[key(b, v)] { return resolve(d) }
        return lookup(v, from: b, stack: nil, in: &f)
    }

    /// Marks `b`'s predecessors final and fills its incomplete phis.
    mutating func seal(_ b: BlockID, in f: inout Function) {
        if sealed[b.int] { return }
        sealed[b.int] = true
        let pending = incompletePhis[b.int]
        incompletePhis[b.int] = []
        for p in pending where phis[Int(p)].state == .incomplete {
            fillOperands(p, writeBack: false, in: &f)
        }
    }

    /// Global value numbering: searches the predecessors for `v`'s value,
    /// placing phis at merges, with an explicit stack of pending blocks/phis.
    private mutating func lookup(_ v: Int, from start: BlockID, stack initial: Frame?,
                                 in f: inout Function) -> Ref {
        // Reuse one frame buffer across lookups (taken out of `self` while in use).
        var stack = frameBuffer
        frameBuffer = []
        stack.removeAll(keepingCapacity: true)
        defer { frameBuffer = stack }
        if let initial { stack.append(initial) }
        var b = start
        var value = Ref.none
        if case .phi(let p, _, _)? = initial {
            b = predecessors[phis[Int(p)].block.int][0]
        }
        while true {
            // Descend until some block gives a value. A chain of single
            // predecessors longer than the block count is a cycle no path
            // from the entry reaches: there the value is undefined.
            var singleSteps = 0
            while true {
                if let d = currentDef[key(b, v)] {
                    value = resolve(d)
                    break
                }
                if !sealed[b.int] {
                    let p = newPhi(v, b, in: &f)
                    incompletePhis[b.int].append(p)
                    value = .temp(phis[Int(p)].temp)
                    write(v, b, value)
                    break
                }
                let preds = b == entry ? [] : predecessors[b.int]
                if preds.isEmpty {
                    value = undefined(v, origin: start, at: b)
                    write(v, b, value)
                    break
                }
                if preds.count == 1 {
                    singleSteps += 1
                    if singleSteps > predecessors.count {
                        value = undefinedValue
                        break
                    }
                    stack.append(.single(b))
                    b = preds[0]
                    continue
                }
                // A merge: place a phi first, so that cycles back here find it.
                let p = newPhi(v, b, in: &f)
                write(v, b, .temp(phis[Int(p)].temp))
                stack.append(.phi(p, next: 0, writeBack: true))
                b = preds[0]
            }
            // Ascend, handing the value to the waiting frames.
            var resume: BlockID? = nil
            ascend: while let frame = stack.popLast() {
                switch frame {
                case .single(let sb):
                    write(v, sb, value)
                case .phi(let p, let i, let writeBack):
                    appendOperand(p, value)
                    let pb = phis[Int(p)].block
                    let preds = predecessors[pb.int]
                    if i + 1 < preds.count {
                        stack.append(.phi(p, next: i + 1, writeBack: writeBack))
                        resume = preds[i + 1]
                        break ascend
                    }
                    phis[Int(p)].state = .complete
                    value = tryRemoveTrivialPhi(p)
                    if writeBack { write(v, pb, value) }
                }
            }
            guard let r = resume else { return value }
            b = r
        }
    }

    /// Reads the operands of phi `p` from all predecessors of its block.
    private mutating func fillOperands(_ p: Int32, writeBack: Bool, in f: inout Function) {
        let pb = phis[Int(p)].block
        let v = Int(phis[Int(p)].variable)
        if pb == entry || predecessors[pb.int].isEmpty {
            phis[Int(p)].state = .complete
            _ = tryRemoveTrivialPhi(p)
            return
        }
        _ = lookup(v, from: pb, stack: .phi(p, next: 0, writeBack: writeBack), in: &f)
    }

    private mutating func undefined(_ v: Int, origin: BlockID, at b: BlockID) -> Ref {
        if b == entry { undefinedReads.append((v, origin)) }
        return undefinedValue
    }

    // MARK: phis

    private mutating func newPhi(_ v: Int, _ b: BlockID, in f: inout Function) -> Int32 {
        let type = variableTypes[v]
        let t = f.newTemp(name: "", type: type)
        if derivedNames {
            f.temps[t.int].name = derivedName(v)
        } else {
            f.temps[t.int].name = variableNames[v].map { namer.fresh($0) } ?? TempNamer.unnamed(t)
        }
        let p = Int32(phis.count)
        phis.append(PhiRecord(block: b, variable: Int32(v), temp: t, operands: [], users: [],
                              state: .incomplete, replacement: .none))
        if phiOfTemp.count <= t.int {
            phiOfTemp.append(contentsOf: repeatElement(-1, count: t.int + 1 - phiOfTemp.count))
        }
        phiOfTemp[t.int] = p
        return p
    }

    /// The resolver phi defining `r`, if `r` is one that has not been removed.
    @inline(__always)
    private func livePhi(_ r: Ref) -> Int32? {
        guard let t = r.temp, t.int < phiOfTemp.count else { return nil }
        let p = phiOfTemp[t.int]
        return p >= 0 && phis[Int(p)].state != .removed ? p : nil
    }

    private mutating func appendOperand(_ p: Int32, _ value: Ref) {
        phis[Int(p)].operands.append(value)
        if let q = livePhi(value), q != p { phis[Int(q)].users.append(p) }
    }

    /// The value `p` is equivalent to if it is trivial, else nil.
    private func trivialValue(_ p: Int32) -> Ref? {
        let me = Ref.temp(phis[Int(p)].temp)
        var same = Ref.none
        for op in phis[Int(p)].operands {
            let r = resolve(op)
            if r == same || r == me { continue }
            if !same.isNone { return nil }
            same = r
        }
        return same.isNone ? undefinedValue : same
    }

    /// Removes `p` if trivial, then every phi user that became trivial.
    /// Returns what `p` now stands for.
    private mutating func tryRemoveTrivialPhi(_ p: Int32) -> Ref {
        removeTrivialPhis([p])
        return resolve(.temp(phis[Int(p)].temp))
    }

    /// Removes each trivial phi of `worklist`, then the users that became trivial.
    private mutating func removeTrivialPhis(_ worklist: [Int32]) {
        var worklist = worklist
        while let q = worklist.popLast() {
            guard phis[Int(q)].state == .complete, let same = trivialValue(q) else { continue }
            for u in replace(q, by: same) where u != q { worklist.append(u) }
        }
    }

    /// Marks `p` removed in favour of `value` (resolved, not `p`); returns its users.
    private mutating func replace(_ p: Int32, by value: Ref) -> [Int32] {
        phis[Int(p)].state = .removed
        phis[Int(p)].replacement = value
        removedCount += 1
        let users = phis[Int(p)].users
        phis[Int(p)].users = []
        if let s = livePhi(value) { phis[Int(s)].users.append(contentsOf: users) }
        return users
    }

    // MARK: redundant phi cycles (irreducible control flow)

    /// Removes the redundant phi cycles trivial phi removal cannot see:
    /// Braun et al., section 3.2. A strongly connected component of the phi
    /// graph (edges from a phi to its phi operands) whose phis have only one
    /// operand from outside it all stand for that operand. Components are
    /// visited operands first; in a component with several outside operands,
    /// its inner phis (those with no outside operand) are searched again.
    /// With this, the phis of an irreducible CFG are minimal too. Call it once
    /// every block is sealed.
    mutating func removeRedundantPhiCycles() {
        let count = phis.count
        var member = [Int32](repeating: -1, count: count)
        var index = [Int32](repeating: -1, count: count)
        var lowlink = [Int32](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var clusters: [[Int32]] = [(0..<Int32(count)).filter { phis[Int($0)].state == .complete }]
        var generation: Int32 = 0
        while let cluster = clusters.popLast() {
            generation += 1
            for p in cluster where phis[Int(p)].state == .complete {
                member[Int(p)] = generation
                index[Int(p)] = -1
            }
            // Tarjan's algorithm, iterative; components come out operands first.
            var components: [[Int32]] = []
            var counter: Int32 = 0
            var sccStack: [Int32] = []
            for root in cluster where member[Int(root)] == generation && index[Int(root)] < 0 {
                index[Int(root)] = counter; lowlink[Int(root)] = counter; counter += 1
                sccStack.append(root); onStack[Int(root)] = true
                var calls: [(phi: Int32, next: Int)] = [(root, 0)]
                while let (v, i) = calls.last {
                    let operands = phis[Int(v)].operands
                    if i < operands.count {
                        calls[calls.count - 1].next += 1
                        guard let w = livePhi(resolve(operands[i])), member[Int(w)] == generation else { continue }
                        if index[Int(w)] < 0 {
                            index[Int(w)] = counter; lowlink[Int(w)] = counter; counter += 1
                            sccStack.append(w); onStack[Int(w)] = true
                            calls.append((w, 0))
                        } else if onStack[Int(w)] {
                            lowlink[Int(v)] = min(lowlink[Int(v)], index[Int(w)])
                        }
                        continue
                    }
                    calls.removeLast()
                    if let parent = calls.last {
                        lowlink[Int(parent.phi)] = min(lowlink[Int(parent.phi)], lowlink[Int(v)])
                    }
                    if lowlink[Int(v)] == index[Int(v)] {
                        var component: [Int32] = []
                        while let w = sccStack.popLast() {
                            onStack[Int(w)] = false
                            component.append(w)
                            if w == v { break }
                        }
                        components.append(component)
                    }
                }
            }
            for component in components {
                let live = component.filter { phis[Int($0)].state == .complete }
                if live.count < 2 {
                    removeTrivialPhis(live)
                    continue
                }
                generation += 1
                for p in live { member[Int(p)] = generation }
                let (outsideCount, outside) = outsideOperands(live, generation, member)
                if outsideCount <= 1 {
                    let value = outsideCount == 0 ? undefinedValue : outside
                    var users: [Int32] = []
                    for p in live { users += replace(p, by: value) }
                    removeTrivialPhis(users.filter { member[Int($0)] != generation })
                    continue
                }
                // Several values enter: the phis fed only from inside may still
                // form a redundant cycle of their own.
                let inner = live.filter { p in
                    phis[Int(p)].operands.allSatisfy { op in
                        livePhi(resolve(op)).map { member[Int($0)] == generation } ?? false
                    }
                }
                if !inner.isEmpty { clusters.append(inner) }
            }
        }
    }

    /// How many distinct values (0, 1, or 2 meaning "more") flow into the
    /// phis of `component` from outside it, and the first of them.
    private func outsideOperands(_ component: [Int32], _ generation: Int32,
                                 _ member: [Int32]) -> (Int, Ref) {
        var first = Ref.none
        for p in component {
            for op in phis[Int(p)].operands {
                let r = resolve(op)
                if let q = livePhi(r), member[Int(q)] == generation { continue }
                if first.isNone { first = r } else if r != first { return (2, first) }
            }
        }
        return (first.isNone ? 0 : 1, first)
    }

    /// Follows the replacement chain of removed phis.
    @inline(__always)
    func resolve(_ r: Ref) -> Ref {
        var r = r
        while let t = r.temp, t.int < phiOfTemp.count {
            let p = phiOfTemp[t.int]
            guard p >= 0, phis[Int(p)].state == .removed else { break }
            r = phis[Int(p)].replacement
        }
        return r
    }

    // MARK: output

    /// Phis still waiting for their block to be sealed.
    var hasIncompletePhis: Bool { phis.contains { $0.state == .incomplete } }

    /// Appends every surviving phi to its block, operands resolved.
    func materializePhis(into f: inout Function) {
        for p in phis where p.state == .complete {
            let preds = predecessors[p.block.int]
            var incoming: [PhiArgument] = []
            incoming.reserveCapacity(preds.count)
            for (i, pred) in preds.enumerated() where i < p.operands.count {
                incoming.append(PhiArgument(block: pred, value: resolve(p.operands[i])))
            }
            f.blocks[p.block.int].phis.append(
                Phi(result: p.temp, type: variableTypes[Int(p.variable)], incoming: incoming,
                    position: f.blocks[p.block.int].position))
        }
    }

    /// Rewrites every operand of `f` that names a removed phi to its replacement.
    func substitute(in f: inout Function) {
        if removedCount == 0 { return }
        for bi in f.blocks.indices {
            for pi in f.blocks[bi].phis.indices {
                for ai in f.blocks[bi].phis[pi].incoming.indices {
                    f.blocks[bi].phis[pi].incoming[ai].value = resolve(f.blocks[bi].phis[pi].incoming[ai].value)
                }
            }
            for ii in f.blocks[bi].instructions.indices {
                let ins = f.blocks[bi].instructions[ii]
                for k in 0..<f.operandCount(of: ins) {
                    f.setOperand(k, ofInstruction: ii, inBlock: bi, to: resolve(f.operand(k, of: ins)))
                }
            }
            let t = f.blocks[bi].terminator
            f.blocks[bi].terminator = Function.terminator(t, withOperand: resolve(Function.operand(of: t)))
        }
    }
}
