import KeelCodegen
import KeelTestSupport

/// A toy target for allocator tests: 4 allocatable int registers (p0, p1
/// caller-saved; p2, p3 callee-saved), 2 float ones (p5 caller-saved, p6
/// callee-saved), one scratch per class (p4, p7). All values are Int64; the
/// class only decides which registers may hold them.
enum ToyOp: Hashable, Sendable {
    /// defs x (fixed p0), y (fixed p1): the function's arguments.
    case args
    case const(Int64)
    /// def, use, use.
    case add, sub, mul, cmplt, fadd
    /// Two-address add: def reuse(0), use, use.
    case addTwo
    /// def float, use int / def int, use float.
    case itof, ftoi
    /// def, use a, use count fixed(p1) (like x86 shifts by %cl).
    case shl
    /// Two-address shift: def reuse(1), use a, use count fixed(p1).
    case shlTwo
    /// defs q fixed(p0), r fixed(p1); uses a fixed(p0), b (like x86 division).
    case divmod
    /// def d early (= a*3), def e late (= b+7); use a early, use b late.
    case earlyLate
    /// def = a - b with a fixed(p2), b fixed(p3).
    case pinned
    /// call #k: uses args fixed p0, p1 (count = operand count - 1), def result fixed p0, clobbers caller-saved.
    case call(Int)
    /// Multi-way branch: successor `cond mod successors.count` (non-negative).
    case switchOn
    case br, jmp, ret
}

enum Toy {
    static let p0 = PReg(0), p1 = PReg(1), p2 = PReg(2), p3 = PReg(3), p5 = PReg(5), p6 = PReg(6)
    static let callerSaved = RegSet([p0, p1, p5])
    static let registers = RegisterFile(
        allocatable: [.int: [p0, p1, p2, p3], .float: [p5, p6]],
        callerSaved: callerSaved,
        classes: [.int, .int, .int, .int, .int, .float, .float, .float],
        names: ["r0", "r1", "r2", "r3", "rs", "f0", "f1", "fs"],
        scratch: [.int: PReg(4), .float: PReg(7)])

    /// The values of an instruction's defs (in operand order) given its uses'.
    static func compute(_ op: ToyOp, _ u: [Int64]) -> [Int64] {
        switch op {
        case .args: return []
        case .const(let c): return [c]
        case .add, .fadd, .addTwo: return [u[0] &+ u[1]]
        case .sub: return [u[0] &- u[1]]
        case .mul: return [u[0] &* u[1]]
        case .cmplt: return [u[0] < u[1] ? 1 : 0]
        case .itof: return [u[0] &* 2 &+ 1]
        case .ftoi: return [u[0] &- 3]
        case .shl, .shlTwo: return [u[0] << (u[1] & 7)]
        case .divmod: return [u[0] &+ u[1] &* 5, u[0] &- u[1]]
        case .earlyLate: return [u[0] &* 3, u[1] &+ 7]
        case .pinned: return [u[0] &- u[1]]
        case .call(let k): return [callResult(k, u)]
        case .br, .jmp, .ret, .switchOn: return []
        }
    }

    static func callResult(_ k: Int, _ args: [Int64]) -> Int64 {
        var h = Int64(k) &* 0x9E37_79B9 &+ 17
        for a in args { h = (h ^ a) &* 0x100_0000_01B3 }
        return h >> 3
    }

    static let argValues: [Int64] = [1234, -77]
}

/// What one run of a toy function did: the calls it made and its result.
struct Trace: Equatable, CustomStringConvertible {
    var calls: [[Int64]] = []
    var result: Int64? = nil
    var description: String { "calls \(calls) result \(String(describing: result))" }
}

struct ExecutionFailure: Error, CustomStringConvertible {
    var description: String
}

/// How far a moving collector moves every object at the n-th safepoint
/// executed (both executions below simulate it with `moving`).
func movedBy(_ n: Int) -> Int64 { Int64(n + 1) &* 0x1_0008 }

/// Reference semantics: runs the function over vregs. With `moving`, every
/// safepoint moves every object: each reference vreg's value changes by
/// `movedBy(n)` after the call has read its arguments, before its results.
func interpret(_ f: MachineFunction<ToyOp>, fuel: Int = 200_000, moving: Bool = false) throws -> Trace {
    var values = [Int64?](repeating: nil, count: f.vregClasses.count)
    var collections = 0
    var trace = Trace()
    var b = 0
    var steps = 0
    while true {
        let blk = f.blocks[b]
        for i in blk.instructions {
            steps += 1
            if steps > fuel { throw ExecutionFailure(description: "out of fuel") }
            let inst = f.instructions[i]
            let ops = f.operands(of: MInst(i))
            var uses: [Int64] = []
            for op in ops where op.kind == .use {
                guard let v = values[op.vreg.int] else { throw ExecutionFailure(description: "undefined \(op.vreg)") }
                uses.append(v)
            }
            var defs = Toy.compute(inst.payload, uses)
            if case .args = inst.payload { defs = Toy.argValues }
            if case .call = inst.payload { trace.calls.append(uses) }
            if moving && inst.isSafepoint {
                for v in f.referenceVRegs { values[v.int] = values[v.int].map { $0 &+ movedBy(collections) } }
                collections += 1
            }
            for (k, op) in ops.filter({ $0.kind == .def }).enumerated() { values[op.vreg.int] = defs[k] }
            switch inst.payload {
            case .ret:
                trace.result = uses[0]
                return trace
            case .br:
                b = blk.successors[uses[0] != 0 ? 0 : 1].int
            case .switchOn:
                b = blk.successors[Int(uses[0].magnitude % UInt64(blk.successors.count))].int
            case .jmp:
                let s = blk.successors[0].int
                let args = blk.branchArguments.first ?? []
                let vals = args.map { values[$0.int] }
                for (p, v) in zip(f.blocks[s].params, vals) { values[p.int] = v }
                b = s
            default: continue
            }
        }
    }
}

/// Runs the allocated function over physical registers and spill slots:
/// edits are applied as parallel copies, registers and slots start as
/// garbage, calls overwrite every caller-saved register with garbage, and
/// every operand is checked against its constraint. With `moving`, a
/// safepoint moves every object as `interpret` does, but like a real
/// collector it updates only the slots its stack map lists (once each): a
/// reference anywhere else is left stale.
func execute(_ f: MachineFunction<ToyOp>, _ a: AllocationResult, registers: RegisterFile = Toy.registers,
             garbageSeed: UInt64 = 1, fuel: Int = 200_000, moving: Bool = false) throws -> Trace {
    var collections = 0
    var mapOf: [Int: [SpillSlot]] = [:]
    for m in a.safepointMaps { mapOf[m.instruction.int] = m.slots }
    var rng = SplitMix64(seed: garbageSeed)
    var regs = (0..<64).map { _ in Int64(bitPattern: rng.next()) }
    let initial = regs
    var slots = a.spillSlotClasses.map { _ in Int64(bitPattern: rng.next()) }
    var editsAt: [UInt32: [Edit]] = [:]
    for e in a.edits { editsAt[e.point.raw, default: []].append(e) }
    for k in a.edits.indices.dropFirst() where a.edits[k].point < a.edits[k - 1].point {
        throw ExecutionFailure(description: "edits not sorted")
    }

    func read(_ l: Location) throws -> Int64 {
        switch l {
        case .reg(let r): return regs[Int(r.number)]
        case .stack(let s):
            guard Int(s.index) < slots.count else { throw ExecutionFailure(description: "bad slot \(s)") }
            return slots[Int(s.index)]
        }
    }
    func write(_ l: Location, _ v: Int64) throws {
        switch l {
        case .reg(let r): regs[Int(r.number)] = v
        case .stack(let s):
            guard Int(s.index) < slots.count else { throw ExecutionFailure(description: "bad slot \(s)") }
            slots[Int(s.index)] = v
        }
    }
    func applyEdits(_ p: ProgramPoint) throws {
        guard let es = editsAt[p.raw] else { return }
        var seen = Set<Location>()
        for e in es where !seen.insert(e.to).inserted {
            throw ExecutionFailure(description: "two moves into \(e.to) at \(p)")
        }
        for e in es {
            if case .reg(let r) = e.to, registers.scratch.values.contains(r) {
                throw ExecutionFailure(description: "move into scratch at \(p)")
            }
        }
        let vals = try es.map { try read($0.from) }
        for (e, v) in zip(es, vals) { try write(e.to, v) }
    }
    func reg(_ k: Int) throws -> Int {
        guard case .reg(let r) = a.operandLocations[k] else {
            throw ExecutionFailure(description: "operand \(k) not in a register")
        }
        if registers.scratch.values.contains(r) { throw ExecutionFailure(description: "operand \(k) in scratch") }
        return Int(r.number)
    }

    var trace = Trace()
    var b = 0
    var steps = 0
    while true {
        let blk = f.blocks[b]
        for i in blk.instructions {
            steps += 1
            if steps > fuel { throw ExecutionFailure(description: "out of fuel") }
            let mi = MInst(i)
            try applyEdits(ProgramPoint(before: mi))
            let inst = f.instructions[i]
            let range = inst.operandRange
            // Constraint checks.
            for k in range {
                let op = f.operands[k]
                let r = try reg(k)
                if registers.regClass(PReg(r)) != f.vregClasses[op.vreg.int] {
                    throw ExecutionFailure(description: "\(mi) operand \(k - range.lowerBound) in wrong class")
                }
                switch op.constraint {
                case .reg: break
                case .fixed(let p): if p.number != r { throw ExecutionFailure(description: "\(mi) fixed operand moved") }
                case .reuse(let t):
                    if try self_reg(range.lowerBound + t) != r {
                        throw ExecutionFailure(description: "\(mi) reuse operand not in its use's register")
                    }
                }
            }
            func self_reg(_ k: Int) throws -> Int { try reg(k) }
            let useKs = range.filter { f.operands[$0].kind == .use }
            let defKs = range.filter { f.operands[$0].kind == .def }
            // Early uses, early defs, clobbers, late uses, late defs.
            var uses = [Int64](repeating: 0, count: useKs.count)
            for (n, k) in useKs.enumerated() where f.operands[k].position == .early { uses[n] = regs[try reg(k)] }
            var defs = Toy.compute(inst.payload, uses)
            if case .args = inst.payload { defs = Toy.argValues }
            for (n, k) in defKs.enumerated() where f.operands[k].position == .early { regs[try reg(k)] = defs[n] }
            for r in inst.clobbers { regs[Int(r.number)] = Int64(bitPattern: rng.next()) }
            if moving && inst.isSafepoint {
                for s in Set((mapOf[i] ?? []).map(\.int)) where s < slots.count { slots[s] = slots[s] &+ movedBy(collections) }
                collections += 1
            }
            var anyLate = false
            for (n, k) in useKs.enumerated() where f.operands[k].position == .late {
                uses[n] = regs[try reg(k)]
                anyLate = true
            }
            if anyLate { defs = Toy.compute(inst.payload, uses) }
            if case .args = inst.payload { defs = Toy.argValues }
            if case .call = inst.payload { trace.calls.append(uses) }
            for (n, k) in defKs.enumerated() where f.operands[k].position == .late { regs[try reg(k)] = defs[n] }
            try applyEdits(ProgramPoint(after: mi))
            switch inst.payload {
            case .ret:
                trace.result = uses[0]
                for r in registers.calleeSaved where !a.usedCalleeSaved.contains(r) {
                    if regs[Int(r.number)] != initial[Int(r.number)] {
                        throw ExecutionFailure(description: "callee-saved \(r) written but not reported")
                    }
                }
                return trace
            case .br: b = blk.successors[uses[0] != 0 ? 0 : 1].int
            case .switchOn: b = blk.successors[Int(uses[0].magnitude % UInt64(blk.successors.count))].int
            case .jmp: b = blk.successors[0].int
            default: continue
            }
        }
    }
}

/// Convenience builder for hand-written toy functions.
extension MachineFunction where Payload == ToyOp {
    mutating func int() -> VReg { newVReg(.int) }
    mutating func float() -> VReg { newVReg(.float) }
    @discardableResult
    mutating func op(_ p: ToyOp, _ ops: [MachineOperand]) -> MInst { append(p, ops) }
    mutating func call(_ k: Int, _ args: [VReg], result: VReg) {
        let fixedRegs = [Toy.p0, Toy.p1]
        var ops = args.enumerated().map { MachineOperand.use($0.element, .fixed(fixedRegs[$0.offset])) }
        ops.append(.def(result, .fixed(Toy.p0)))
        append(.call(k), ops, clobbers: Toy.callerSaved)
    }
    mutating func jmp(_ to: MBlock, _ args: [VReg] = []) {
        setSuccessors([to], arguments: [args])
        append(.jmp, [], terminator: true)
    }
    mutating func br(_ cond: VReg, _ t: MBlock, _ e: MBlock) {
        setSuccessors([t, e], arguments: [[], []])
        append(.br, [.use(cond)], terminator: true)
    }
    mutating func ret(_ v: VReg) { append(.ret, [.use(v, .fixed(Toy.p0))], terminator: true) }
}
