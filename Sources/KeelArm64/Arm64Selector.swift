// Instruction selection: IR function → `MachineFunction<Arm64Inst>`.
//
// Expects a verified function in strict SSA form. Guarantees the machine
// layer's invariants (KeelCodegen/MachineFunction.swift): one vreg per IR
// temp (same index) plus fresh vregs for materialized constants; a
// synthetic entry block (machine block 0) that defines the parameters and
// jumps to the IR entry; critical edges and edges from two-way branches
// into blocks with phis split by an edge block. Unreachable IR blocks are
// dropped.
//
// Algorithm: macro expansion, one IL instruction at a time, with two
// plans made first: comparisons whose only use is their block's `jnz` fuse
// into it (cmp + b.cond), and static `alloc`s of the entry block become
// frame slots addressed from x29. Constants that an instruction can encode
// (add/sub imm12, bitmask immediates, compare immediates) are immediates
// (Arm64Immediates.swift); the rest are materialized (movz/movk, adrp).
import KeelAnalysis
import KeelCodegen
import KeelIR

/// A selected function plus what the emitter needs besides the machine code.
public struct Arm64Function: Sendable {
    public var machine: MachineFunction<Arm64Inst>
    /// Static `alloc` slots: size and alignment, indexed by `Arm64Address.slot`.
    public var allocSlots: [(size: Int32, align: Int32)] = []
    public var symbol: SymbolID
    public var linkage: Linkage
    public var name: String
    /// The IL function's file index, for `.loc` file numbers.
    public var file: Int
    /// For a variadic function: the slot where the prologue saves x0–x7 and v0–v7.
    public var variadicSaveSlot: Int32? = nil
}

struct Arm64Selector {
    let f: Function
    let module: Module
    var mf: MachineFunction<Arm64Inst>
    var allocSlots: [(size: Int32, align: Int32)] = []
    let boundary: Arm64Boundary
    /// Which calls are safepoints (every call of a managed module unless its callee never collects).
    let safepoints: SafepointPolicy

    /// Uses of every temp (instructions, phis, terminators).
    var useCount: [Int32]
    /// Uses of every temp as the address of a load or store.
    var addressUses: [Int32]
    /// For temps defined by a static alloc: its slot, else -1.
    var staticSlot: [Int32]
    /// Temps defined by a comparison fused into its block's branch.
    var fusedCompare: [Bool]
    /// For a temp defined as `add base, c` / `sub base, c` (class l): the base temp and c, folded
    /// into the `[base, #c]` of the loads and stores that use it as their address (-1: none).
    var offsetBase: [Int32]
    var offsetValue: [Int64]
    /// For a temp defined as `add base, index` that only addresses memory: the
    /// `[base, index{, lsl|sxtw|uxtw #k}]` form (Arm64SelectAddress.swift).
    var indexedForm: [Int32: IndexedAddress] = [:]
    /// Temps whose every use is such an address: their `add` is not selected at all;
    /// and `mul`s whose only use is an `add`/`sub` of their block, which becomes madd/msub.
    var absorbed: [Bool]
    /// For an `add`/`sub` fused with a `mul` (madd/msub): the `mul`, else nil.
    var fusedMultiply: [Int32: Instruction] = [:]
    /// For an `add`/`sub`/`and`/`or`/`xor` with a shifted operand (Arm64SelectShifts.swift):
    /// the other operand, the shifted value and the shift.
    var shiftedOperand: [Int32: (other: Ref, shifted: Ref, shift: UInt8)] = [:]
    /// The machine blocks to create, and where IR blocks and edges went.
    let blocks: SelectionBlockPlan
    var reachable: [Bool] { blocks.reachable }
    var position = SourcePosition.unknown
    /// The result address the caller passed in x8, for a function returning a large aggregate.
    var hiddenReturn: VReg? = nil
    /// For a variadic function: its save-area slot and the initial va_list offsets.
    var variadic: (slot: Int32, gr: Int32, vr: Int32, stack: Int32)? = nil

    init(_ f: Function, _ module: Module, boundary: Arm64Boundary, safepoints: SafepointPolicy = .none) {
        self.f = f
        self.module = module
        self.boundary = boundary
        self.safepoints = safepoints
        mf = MachineFunction(name: module.name(f.name))
        for t in f.temps {
            mf.vregClasses.append(t.type?.isFloat == true ? .float : .int)
            if t.type == .r { mf.referenceVRegs.insert(VReg(mf.vregClasses.count - 1)) }
        }
        useCount = Array(repeating: 0, count: f.temps.count)
        addressUses = Array(repeating: 0, count: f.temps.count)
        staticSlot = Array(repeating: -1, count: f.temps.count)
        fusedCompare = Array(repeating: false, count: f.temps.count)
        offsetBase = Array(repeating: -1, count: f.temps.count)
        offsetValue = Array(repeating: 0, count: f.temps.count)
        absorbed = Array(repeating: false, count: f.temps.count)
        blocks = SelectionBlockPlan(f)
    }

    func fail(_ message: String) -> SelectionError { SelectionError(position: position, message: message) }

    mutating func run() throws(SelectionError) {
        guard !f.blocks.isEmpty else { throw fail("function has no blocks") }
        countUses()
        planAddresses()
        planShiftedOperands()
        for p in blocks.steps {
            switch p {
            case .entry: try selectEntry()
            case .block(let b): try selectBlock(b)
            case .edge(let from, let to): try selectEdge(from: from, to: to)
            }
        }
        mf.computePredecessors()
    }

    mutating func countUses() {
        var counts = useCount
        var addresses = addressUses
        let f = self.f
        for b in f.blocks {
            for p in b.phis {
                for a in p.incoming { if let t = a.value.temp { counts[t.int] += 1 } }
            }
            for ins in b.instructions {
                f.forEachUse(of: ins) { counts[$0.int] += 1 }
                if ins.op.isLoad, let t = ins.a.temp { addresses[t.int] += 1 }
                if ins.op.isStore, let t = ins.b.temp, ins.a != ins.b { addresses[t.int] += 1 }
            }
            f.forEachUse(of: b.terminator) { counts[$0.int] += 1 }
        }
        useCount = counts
        addressUses = addresses
        // A `mul` whose only use is a later `add` (either operand) or `sub` (second
        // operand) of its block fuses into it as madd/msub.
        for b in f.blocks {
            var products: [Int: Instruction] = [:]
            for ins in b.instructions where ins.type == .w || ins.type == .l {
                if ins.op == .mul, let t = ins.result.temp, counts[t.int] == 1 { products[t.int] = ins }
                guard ins.op == .add || ins.op == .sub, let t = ins.result.temp else { continue }
                // An address only loads and stores use is indexed addressing instead (Arm64SelectAddress.swift).
                if ins.type == .l, addresses[t.int] > 0, addresses[t.int] == counts[t.int] { continue }
                // Both operands temps: an addend constant would be address arithmetic (folded below) or a move anyway.
                guard ins.a.temp != nil, ins.b.temp != nil, ins.a != ins.b else { continue }
                let candidates = ins.op == .add ? [ins.b, ins.a] : [ins.b]
                for r in candidates {
                    if let m = r.temp, let mul = products[m.int], mul.type == ins.type {
                        fusedMultiply[Int32(t.int)] = mul
                        absorbed[m.int] = true
                        products[m.int] = nil
                        break
                    }
                }
            }
        }
        // Integer and float comparisons whose only use is their block's branch fuse into it.
        for b in f.blocks {
            guard case .jnz(let c, _, _) = b.terminator, let t = c.temp, useCount[t.int] == 1,
                  let last = b.instructions.last(where: { $0.result == c }), last.op.isComparison else { continue }
            fusedCompare[t.int] = true
        }
    }

    // MARK: blocks

    mutating func selectEntry() throws(SelectionError) {
        _ = mf.beginBlock()
        position = f.position
        try selectParameters()
        try jump(to: BlockID(0), from: nil)
    }

    mutating func selectBlock(_ b: BlockID) throws(SelectionError) {
        let block = f.blocks[b.int]
        _ = mf.beginBlock(params: block.phis.map { VReg($0.result.int) })
        // A tail call and its block's `ret` are selected as one terminator.
        let tail = f.tailCall(endingBlock: block)
        for ins in tail == nil ? block.instructions[...] : block.instructions.dropLast() {
            position = ins.position
            try select(ins, inEntry: b.int == 0)
        }
        if let tail {
            position = tail.position
            try selectTailCall(tail)
            return
        }
        position = block.terminatorPosition
        try selectTerminator(block.terminator, of: b)
    }

    mutating func selectEdge(from: BlockID, to: BlockID) throws(SelectionError) {
        _ = mf.beginBlock()
        try jump(to: to, from: from)
    }

    /// An unconditional jump from `from` (nil: the synthetic entry) to `to`, passing phi arguments.
    mutating func jump(to: BlockID, from: BlockID?) throws(SelectionError) {
        var args: [VReg] = []
        for p in f.blocks[to.int].phis {
            // From the synthetic entry (a start block that is also a loop header) a phi is undefined.
            let v = from.flatMap { p.value(from: $0) } ?? .none
            args.append(try value(v, p.type))
        }
        mf.append(.jmp, [], terminator: true)
        mf.setSuccessors([blocks.entry(of: to)], arguments: [args])
    }

    mutating func selectTerminator(_ t: Terminator, of b: BlockID) throws(SelectionError) {
        switch t {
        case .none:
            throw fail("block @\(f.blocks[b.int].label) has no terminator")
        case .jmp(let s):
            try jump(to: s, from: b)
        case .jnz(_, let tt, let ff) where tt == ff:
            try jump(to: tt, from: b)
        case .jnz(let c, let tt, let ff):
            let succs = blocks.branchTargets(of: b, tt, ff)
            if let t = c.temp, fusedCompare[t.int],
               let cmp = f.blocks[b.int].instructions.last(where: { $0.result == c }) {
                try compare(cmp, branch: true)
            } else {
                // `jnz` tests the low 32 bits (a word).
                mf.append(.jnz(wide: false), [.use(try value(c, .w))], terminator: true)
            }
            mf.setSuccessors(succs, arguments: [[], []])
        case .ret(let v):
            try selectReturn(v)
        case .hlt:
            mf.append(.hlt, [], terminator: true)
            mf.setSuccessors([], arguments: [])
        }
    }

    // MARK: operands

    mutating func newVReg(_ cls: BaseType) -> VReg { mf.newVReg(cls.isFloat ? .float : .int) }

    /// The vreg holding `r` as a value of class `cls`; constants are materialized here.
    mutating func value(_ r: Ref, _ cls: BaseType) throws(SelectionError) -> VReg {
        if let t = r.temp { return VReg(t.int) }
        let d = newVReg(cls)
        guard let c = f.constant(r) else {
            // `.none` where a value is required (an undefined phi argument): any value will do.
            mf.append(cls.isFloat ? .floatConst(bits: 0, double: true) : .movImm(0), [.def(d)])
            return d
        }
        switch c {
        case .symbol(let sym, let off, let access):
            let payload: Arm64Inst
            switch access {
            case .direct: payload = .symbolAddress(sym, off)
            case .external: payload = .gotAddress(sym, off)
            case .thread: payload = .tlsAddress(sym, off)
            case .externalThread: payload = .tlsInitialExecAddress(sym, off)
            }
            if cls.isFloat {
                let i = newVReg(.l)
                mf.append(payload, [.def(i)])
                mf.append(.convert(.intToFloat, wide: true, double: true), [.use(i), .def(d)])
            } else {
                mf.append(payload, [.def(d)])
            }
        default:
            let bits = c.bits ?? 0
            if cls.isFloat {
                let double = cls == .d
                mf.append(.floatConst(bits: double ? bits : bits & 0xffff_ffff, double: double), [.def(d)])
            } else {
                mf.append(.movImm(Int64(bitPattern: cls == .w ? bits & 0xffff_ffff : bits)), [.def(d)])
            }
        }
        return d
    }

    /// An integer constant operand as a signed value of a `wide` (or 32-bit) operation.
    func integerConstant(_ r: Ref, wide: Bool) -> Int64? {
        guard let c = f.constant(r), case .integer(let v) = c else { return nil }
        return wide ? v : Int64(Int32(truncatingIfNeeded: v))
    }
}

/// Selects `f` after ABI lowering (AAPCS64.swift).
public func selectArm64(_ f: Function, in module: Module, boundary: Arm64Boundary,
                        safepoints: SafepointPolicy = .none) throws(SelectionError) -> Arm64Function {
    var s = Arm64Selector(f, module, boundary: boundary, safepoints: safepoints)
    try s.run()
    return Arm64Function(machine: s.mf, allocSlots: s.allocSlots, symbol: f.name, linkage: f.linkage,
                         name: module.name(f.name), file: f.file, variadicSaveSlot: s.variadic?.slot)
}
