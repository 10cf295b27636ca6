@testable import KeelIR
import KeelTestSupport

/// Builds IL functions by hand, temporaries by name, possibly assigned many times.
struct RawFunction {
    var f: Function
    private var temps: [String: Temp] = [:]
    private var blocks: [String: BlockID] = [:]

    init(parameters: [String] = [], file: Int = 0) {
        f = Function(name: SymbolID(0), returnType: .base(.w), file: file)
        for p in parameters {
            let t = temp(p).temp!
            f.temps[t.int].type = .w
            f.parameters.append(Parameter(type: .base(.w), temp: t))
        }
    }

    mutating func temp(_ name: String) -> Ref {
        if let t = temps[name] { return .temp(t) }
        let t = f.newTemp(name: name, type: nil)
        temps[name] = t
        return .temp(t)
    }

    mutating func block(_ label: String) -> BlockID {
        if let b = blocks[label] { return b }
        let b = f.addBlock(label: label)
        blocks[label] = b
        return b
    }

    mutating func int(_ v: Int64) -> Ref { f.addConstant(.integer(v)) }

    /// `%to =type op a, b` in block `b`.
    mutating func ins(_ b: String, _ to: String?, _ type: BaseType, _ op: Opcode, _ a: Ref, _ c: Ref = .none) {
        let block = block(b)
        var result = Ref.none
        if let to {
            result = temp(to)
            if f.temps[result.temp!.int].type == nil { f.temps[result.temp!.int].type = type }
        }
        f.blocks[block.int].instructions.append(Instruction(op: op, type: type, result: result, a: a, b: c))
    }

    mutating func phi(_ b: String, _ to: String, _ type: BaseType, _ incoming: [(String, Ref)]) {
        let block = block(b)
        let t = temp(to).temp!
        if f.temps[t.int].type == nil { f.temps[t.int].type = type }
        let args = incoming.map { PhiArgument(block: self.block($0.0), value: $0.1) }
        f.blocks[block.int].phis.append(Phi(result: t, type: type, incoming: args))
    }

    mutating func jmp(_ b: String, _ to: String) { f.blocks[block(b).int].terminator = .jmp(block(to)) }
    mutating func jnz(_ b: String, _ c: Ref, _ t: String, _ e: String) {
        f.blocks[block(b).int].terminator = .jnz(c, block(t), block(e))
    }
    mutating func ret(_ b: String, _ v: Ref = .none) { f.blocks[block(b).int].terminator = .ret(v) }
}

/// Strict SSA checks: each temporary defined once, each use in a block
/// reachable from the entry dominated by its definition. Returns the problems.
func strictSSAProblems(_ f: Function) -> [String] {
    var problems: [String] = []
    let n = f.blocks.count
    // Definition sites: (block, index); parameters -2, phis -1, instructions >= 0.
    var site = [(block: Int, index: Int)?](repeating: nil, count: f.temps.count)
    func define(_ t: Temp, _ b: Int, _ i: Int) {
        if site[t.int] != nil { problems.append("%\(f.temps[t.int].name) defined more than once") }
        site[t.int] = (b, i)
    }
    if let e = f.env { define(e, 0, -2) }
    for p in f.parameters { define(p.temp, 0, -2) }
    for (b, block) in f.blocks.enumerated() {
        for phi in block.phis { define(phi.result, b, -1) }
        for (i, ins) in block.instructions.enumerated() {
            if let t = ins.result.temp { define(t, b, i) }
        }
    }
    let dom = dominance(f)
    func dominates(_ a: Int, _ b: Int) -> Bool { dom[a][b] }
    func reachable(_ b: Int) -> Bool { dom[b][b] }
    func check(_ r: Ref, inBlock b: Int, at i: Int, what: String) {
        guard let t = r.temp else { return }
        guard let d = site[t.int] else {
            problems.append("%\(f.temps[t.int].name) used in @\(f.blocks[b].label) (\(what)) but never defined")
            return
        }
        let ok = d.block == b ? d.index < i : dominates(d.block, b)
        if !ok { problems.append("%\(f.temps[t.int].name) used in @\(f.blocks[b].label) (\(what)) not dominated by its definition") }
    }
    for (b, block) in f.blocks.enumerated() where reachable(b) {
        for phi in block.phis {
            for arg in phi.incoming where arg.block.int < n && reachable(arg.block.int) {
                check(arg.value, inBlock: arg.block.int, at: Int.max, what: "phi operand")
            }
        }
        for (i, ins) in block.instructions.enumerated() {
            check(ins.a, inBlock: b, at: i, what: ins.op.name)
            check(ins.b, inBlock: b, at: i, what: ins.op.name)
            if let c = ins.callID {
                check(f.calls[c.int].env, inBlock: b, at: i, what: "call env")
                for a in f.calls[c.int].arguments { check(a.value, inBlock: b, at: i, what: "call argument") }
            }
        }
        switch block.terminator {
        case .jnz(let c, _, _): check(c, inBlock: b, at: block.instructions.count, what: "jnz")
        case .ret(let r): check(r, inBlock: b, at: block.instructions.count, what: "ret")
        default: break
        }
    }
    return problems
}

/// `dominance(f)[d][b]`: whether block d dominates block b of `f`, from the
/// tests' shared brute-force oracle (KeelTestSupport); `[b][b]` holds exactly
/// for the blocks reachable from the entry.
func dominance(_ f: Function) -> [[Bool]] {
    bruteForceDominance(f.blocks.map { $0.successors.map(\.int) })
}

/// Runs a function of integer arithmetic (add, sub, mul, copy, comparisons,
/// phis, jumps) with temporaries as mutable registers initialised to 0 — the
/// meaning of non-SSA IL — so it runs input and SSA output alike.
/// Returns the returned value, or nil when `fuel` block transitions run out.
func evaluate(_ f: Function, arguments: [Int64], fuel: Int = 300) -> Int64? {
    var regs = Array(repeating: Int64(0), count: f.temps.count)
    for (p, v) in zip(f.parameters, arguments) { regs[p.temp.int] = v }
    let constants = f.constants.map { c -> Int64 in
        if case .integer(let v) = c { return v }
        return 0
    }
    func value(_ r: Ref) -> Int64 {
        if let t = r.temp { return regs[t.int] }
        if let c = r.constant { return constants[c.int] }
        return 0
    }
    var b = 0, previous = -1, fuel = fuel
    while fuel > 0 {
        fuel -= 1
        let block = f.blocks[b]
        let incoming = block.phis.map { phi in phi.incoming.first { $0.block.int == previous }.map { value($0.value) } ?? 0 }
        for (phi, v) in zip(block.phis, incoming) { regs[phi.result.int] = v }
        for ins in block.instructions {
            let a = value(ins.a), c = value(ins.b)
            var r: Int64
            switch ins.op {
            case .add: r = a &+ c
            case .sub: r = a &- c
            case .mul: r = a &* c
            case .copy: r = a
            case .csltw: r = Int32(truncatingIfNeeded: a) < Int32(truncatingIfNeeded: c) ? 1 : 0
            case .ceqw: r = Int32(truncatingIfNeeded: a) == Int32(truncatingIfNeeded: c) ? 1 : 0
            default: return nil
            }
            if ins.type == .w { r = Int64(Int32(truncatingIfNeeded: r)) }
            if let t = ins.result.temp { regs[t.int] = r }
        }
        previous = b
        switch block.terminator {
        case .jmp(let t): b = t.int
        case .jnz(let c, let t, let e): b = Int32(truncatingIfNeeded: value(c)) != 0 ? t.int : e.int
        case .ret(let r): return value(r)
        case .hlt, .none: return nil
        }
    }
    return nil
}

/// A readable dump for failure messages (not the IL printer).
func dump(_ f: Function) -> String {
    func show(_ r: Ref) -> String {
        if let t = r.temp { return "%" + f.temps[t.int].name }
        if let c = f.constant(r), case .integer(let v) = c { return "\(v)" }
        return r.description
    }
    var s = "function (" + f.parameters.map { "%" + f.temps[$0.temp.int].name }.joined(separator: ", ") + ")\n"
    for b in f.blocks {
        s += "@\(b.label)\n"
        for p in b.phis {
            s += "\t%\(f.temps[p.result.int].name) =\(p.type.name) phi "
            s += p.incoming.map { "@\(f.blocks[$0.block.int].label) \(show($0.value))" }.joined(separator: ", ") + "\n"
        }
        for i in b.instructions {
            s += "\t" + (i.result.isNone ? "" : "\(show(i.result)) =\(i.type.name) ") + "\(i.op.name) \(show(i.a))"
            s += i.b.isNone ? "\n" : ", \(show(i.b))\n"
        }
        switch b.terminator {
        case .jmp(let t): s += "\tjmp @\(f.blocks[t.int].label)\n"
        case .jnz(let c, let t, let e): s += "\tjnz \(show(c)), @\(f.blocks[t.int].label), @\(f.blocks[e.int].label)\n"
        case .ret(let r): s += "\tret \(r.isNone ? "" : show(r))\n"
        case .hlt: s += "\thlt\n"
        case .none: s += "\t(no terminator)\n"
        }
    }
    return s
}

/// Phis with fewer than two distinct operands other than themselves: what
/// minimal SSA never has. Phis already in `input` (the first ones of each
/// block) are skipped.
func trivialPhis(_ f: Function, input: Function? = nil) -> [String] {
    var found: [String] = []
    for (i, b) in f.blocks.enumerated() {
        for p in b.phis.dropFirst(input?.blocks[i].phis.count ?? 0) {
            let others = Set(p.incoming.map(\.value).filter { $0 != .temp(p.result) })
            if others.count < 2 { found.append("%" + f.temps[p.result.int].name + " in @" + b.label) }
        }
    }
    return found
}
