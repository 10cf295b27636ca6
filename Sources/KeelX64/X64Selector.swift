// Instruction selection: IR function → `MachineFunction<X64Inst>`.
//
// Expects a verified function in strict SSA form (every temp defined once,
// definitions dominate uses). Guarantees the machine layer's invariants
// (see KeelCodegen/MachineFunction.swift): one vreg per IR temp (same index)
// plus fresh vregs for materialized constants; a synthetic entry block
// (machine block 0) that defines the parameters and jumps to the IR entry;
// critical edges and edges from two-way branches into blocks with phis are
// split by an edge block, so every block with parameters (the phis) is only
// reached by unconditional jumps. Unreachable IR blocks are dropped.
//
// Algorithm: a planning pass over the function decides what folds into
// its users — comparisons (and `and`s) into their block's `jnz`, address
// arithmetic into memory operands and `lea` (X64SelectAddress.swift),
// extensions into their loads (X64SelectExtension.swift), loads into the
// comparison that reads them (X64SelectMemoryCompare.swift); then a single
// pass per block, macro-expansion style (each remaining IL instruction
// becomes a fixed short sequence), with integer constants that fit 32 bits
// as immediates and arithmetic by what the machine offers
// (X64SelectArithmetic.swift).
import KeelAnalysis
import KeelCodegen
import KeelIR

/// A selected function plus what the emitter needs besides the machine code.
public struct X64Function: Sendable {
    public var machine: MachineFunction<X64Inst>
    /// Static `alloc` slots: size and alignment, indexed by `X64Address.slot`.
    public var allocSlots: [(size: Int32, align: Int32)] = []
    /// Float constants loaded by `.floatConst`: raw bits and whether they are doubles.
    public var floatPool: [(bits: UInt64, double: Bool)] = []
    public var symbol: SymbolID
    public var linkage: Linkage
    public var name: String
    /// The IL function's file index, for `.loc` file numbers.
    public var file: Int
    /// For a variadic function: the slot where the prologue saves the argument registers.
    public var variadicSaveSlot: Int32? = nil
}

/// Selects `f`, lowering its ABI first unless `boundary` is given (see SysVLowering.swift).
public func selectInstructions(_ f: Function, in module: Module, abi: SysVABI? = nil,
                               boundary: SysVBoundary? = nil) throws(SelectionError) -> X64Function {
    let abi = abi ?? SysVABI(module: module)
    var s = X64Selector(f, module, boundary: boundary ?? lowerSysV(f, abi: abi), safepoints: abi.safepoints)
    try s.run()
    return X64Function(machine: s.mf, allocSlots: s.allocSlots, floatPool: s.floatPool, symbol: f.name,
                       linkage: f.linkage, name: module.name(f.name), file: f.file,
                       variadicSaveSlot: s.variadic?.slot)
}

struct X64Selector {
    let f: Function
    let module: Module
    var mf: MachineFunction<X64Inst>
    var allocSlots: [(size: Int32, align: Int32)] = []
    var floatPool: [(bits: UInt64, double: Bool)] = []

    /// Uses of every temp (instructions, phis, terminators).
    var useCount: [Int32]
    /// Uses of every temp as the address of a load or store.
    var addressUses: [Int32]
    /// For temps defined by a static alloc: its slot, else -1.
    var staticSlot: [Int32]
    /// Temps whose value, a frame slot's address, is computed where it is
    /// used (`lea` from %rbp) instead of held in a register from its definition.
    var slotAddressAtUse: [Bool]
    /// Temps defined by a comparison fused into its block's branch.
    var fusedCompare: [Bool]
    /// Where each temp is defined: block (parameters: the first) and instruction index (-1: a parameter or phi).
    var defBlock: [Int32]
    var defIndex: [Int32]
    /// Uses of every temp by instructions of its defining block (not phis, not terminators).
    var localUses: [Int32]
    /// Temps whose computation folds into their users (X64SelectAddress.swift).
    var absorbed: [Bool]
    /// The matched form of an address or `add` (index into `shapes`, -1: none).
    var shapeOf: [Int32]
    var shapes: [AddressShape] = []
    /// For a load whose only use is an extension: the extension's temp, which it defines instead (-1: none).
    var loadInto: [Int32]
    /// Blocks whose `jnz` compares memory in place of a load (X64SelectMemoryCompare.swift).
    var readInPlace: [Bool]
    /// For each block: the join its `jnz` is selected as conditional moves into, else -1
    /// (X64SelectConditionalMove.swift).
    let conditionalMoveJoins: [Int32]
    /// The machine blocks to create, and where IR blocks and edges went.
    let blocks: SelectionBlockPlan
    var reachable: [Bool] { blocks.reachable }
    var position = SourcePosition.unknown
    /// Where the boundary's values go, decided by ABI lowering.
    let boundary: SysVBoundary
    /// Which calls are safepoints.
    let safepoints: SafepointPolicy
    /// The hidden result pointer of a function returning a MEMORY-class aggregate.
    var hiddenReturn: VReg? = nil
    /// For a variadic function: its register save area slot and the initial va_list fields.
    var variadic: (slot: Int32, gp: Int32, fp: Int32, overflow: Int32)? = nil

    init(_ f: Function, _ module: Module, boundary: SysVBoundary, safepoints: SafepointPolicy = .none) {
        self.boundary = boundary
        self.safepoints = safepoints
        self.f = f
        self.module = module
        mf = MachineFunction(name: module.name(f.name))
        for t in f.temps {
            mf.vregClasses.append(t.type?.isFloat == true ? .float : .int)
            if t.type == .r { mf.referenceVRegs.insert(VReg(mf.vregClasses.count - 1)) }
        }
        let n = f.blocks.count
        useCount = Array(repeating: 0, count: f.temps.count)
        addressUses = Array(repeating: 0, count: f.temps.count)
        staticSlot = Array(repeating: -1, count: f.temps.count)
        slotAddressAtUse = Array(repeating: false, count: f.temps.count)
        fusedCompare = Array(repeating: false, count: f.temps.count)
        defBlock = Array(repeating: -1, count: f.temps.count)
        defIndex = Array(repeating: -1, count: f.temps.count)
        localUses = Array(repeating: 0, count: f.temps.count)
        absorbed = Array(repeating: false, count: f.temps.count)
        shapeOf = Array(repeating: -1, count: f.temps.count)
        loadInto = Array(repeating: -1, count: f.temps.count)
        readInPlace = Array(repeating: false, count: n)
        conditionalMoveJoins = Self.conditionalMoveJoins(f)
        blocks = SelectionBlockPlan(f, joins: conditionalMoveJoins)
    }

    func fail(_ message: String) -> SelectionError { SelectionError(position: position, message: message) }

    // MARK: driver

    mutating func run() throws(SelectionError) {
        guard !f.blocks.isEmpty else { throw fail("function has no blocks") }
        countUses()
        planConditionalMoves()
        planAddressing()
        planMemoryCompares()
        // Most IL instructions become one or two machine instructions of about three operands.
        let estimate = f.blocks.reduce(0) { $0 + $1.instructions.count + 1 } * 2 + blocks.steps.count
        mf.instructions.reserveCapacity(estimate)
        mf.operands.reserveCapacity(estimate * 3)
        mf.blocks.reserveCapacity(blocks.steps.count)
        for (i, p) in blocks.steps.enumerated() {
            switch p {
            case .entry: try selectEntry()
            case .block(let b): try selectBlock(b)
            case .edge(let from, let to): try selectEdge(from: from, to: to)
            }
            _ = i
        }
        mf.computePredecessors()
    }

    mutating func countUses() {
        // A local counter: a closure mutating `self` while reading `self.f` would copy the function.
        var counts = useCount
        var addresses = addressUses
        var local = localUses
        var defB = defBlock, defI = defIndex
        let f = self.f
        // Parameters count as defined in the first block, phis in theirs (with no instruction index).
        for p in f.parameters where p.temp.int < defB.count { defB[p.temp.int] = 0 }
        for b in f.blocks.indices {
            for p in f.blocks[b].phis { defB[p.result.int] = Int32(b) }
            for (i, ins) in f.blocks[b].instructions.enumerated() {
                if let t = ins.result.temp { defB[t.int] = Int32(b); defI[t.int] = Int32(i) }
            }
        }
        for b in f.blocks.indices {
            for p in f.blocks[b].phis {
                for a in p.incoming { if let t = a.value.temp { counts[t.int] += 1 } }
            }
            for i in f.blocks[b].instructions.indices {
                let ins = f.blocks[b].instructions[i]
                f.forEachUse(of: ins) {
                    counts[$0.int] += 1
                    if defB[$0.int] == Int32(b) { local[$0.int] += 1 }
                }
                if ins.op.isLoad, let t = ins.a.temp { addresses[t.int] += 1 }
                if ins.op.isStore, let t = ins.b.temp, ins.a != ins.b { addresses[t.int] += 1 }
            }
            f.forEachUse(of: f.blocks[b].terminator) { counts[$0.int] += 1 }
        }
        useCount = counts
        addressUses = addresses
        localUses = local
        defBlock = defB
        defIndex = defI
        // Comparisons (and integer `and`s, a `test`) whose only use is their block's branch are fused into it.
        for b in f.blocks {
            guard case .jnz(let c, _, _) = b.terminator, let t = c.temp, useCount[t.int] == 1,
                  let last = b.instructions.last(where: { $0.result == c }),
                  last.op.isComparison || (last.op == .and && (last.type == .w || last.type == .l)) else { continue }
            fusedCompare[t.int] = true
        }
    }

    // MARK: blocks

    mutating func selectEntry() throws(SelectionError) {
        _ = mf.beginBlock()
        position = f.position
        try selectParameters()
        jump(to: BlockID(0), from: nil)
    }

    mutating func selectBlock(_ b: BlockID) throws(SelectionError) {
        let block = f.blocks[b.int]
        let params = block.phis.map { VReg($0.result.int) }
        _ = mf.beginBlock(params: params)
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
        if conditionalMoveJoins[b.int] >= 0 {
            try selectConditionalMoves(b, join: BlockID(Int(conditionalMoveJoins[b.int])))
            return
        }
        position = block.terminatorPosition
        try selectTerminator(block.terminator, of: b)
    }

    mutating func selectEdge(from: BlockID, to: BlockID) throws(SelectionError) {
        _ = mf.beginBlock()
        jump(to: to, from: from)
    }

    /// An unconditional jump from `from` (nil: the synthetic entry) to `to`, passing phi arguments.
    mutating func jump(to: BlockID, from: BlockID?) {
        let phis = f.blocks[to.int].phis
        var args: [VReg] = []
        for p in phis {
            // From the synthetic entry (a start block that is also a loop header) a phi is undefined.
            let v = from.flatMap { p.value(from: $0) } ?? .none
            args.append(value(v, p.type))
        }
        mf.append(.jmp, [], terminator: true)
        mf.setSuccessors([blocks.entry(of: to)], arguments: [args])
    }

    mutating func selectTerminator(_ t: Terminator, of b: BlockID) throws(SelectionError) {
        switch t {
        case .none:
            throw fail("block @\(f.blocks[b.int].label) has no terminator")
        case .jmp(let s):
            jump(to: s, from: b)
        case .jnz(let c, let tt, let ff) where tt == ff:
            _ = c
            jump(to: tt, from: b)
        case .jnz(let c, let tt, let ff):
            let succs = blocks.branchTargets(of: b, tt, ff)
            if selectMemoryCompare(c, inBlock: b.int) {
                // The loaded operand is read by the comparison itself.
            } else if let t = c.temp, fusedCompare[t.int],
               let cmp = f.blocks[b.int].instructions.last(where: { $0.result == c }) {
                if cmp.op == .and { testBranch(cmp) } else { try compare(cmp, branch: true) }
            } else {
                let v = value(c, .w)
                mf.append(.jnz(size: 4), [.use(v)], terminator: true)
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
    mutating func value(_ r: Ref, _ cls: BaseType) -> VReg {
        if let t = r.temp {
            guard slotAddressAtUse[t.int] else { return VReg(t.int) }
            let d = newVReg(.l)
            mf.append(.slotAddress(staticSlot[t.int], 0), [.def(d)])
            return d
        }
        let d = newVReg(cls)
        guard let c = f.constant(r) else {
            // `.none` where a value is required (an undefined phi argument): any value will do.
            if cls.isFloat { mf.append(.floatConst(index: addFloat(0, double: true), double: true), [.def(d)]) }
            else { mf.append(.movImm(size: 8, imm: 0), [.def(d)]) }
            return d
        }
        switch c {
        case .symbol(let sym, let off, let access):
            let payload: X64Inst
            switch access {
            case .direct: payload = .leaSymbol(sym, off)
            case .external: payload = .gotAddress(sym, off)
            case .thread: payload = .tlsAddress(sym, off)
            case .externalThread: payload = .tlsInitialExecAddress(sym, off)
            }
            if cls.isFloat {
                // A symbol's address as a float: compute it as an integer, then move the bits.
                let i = newVReg(.l)
                mf.append(payload, [.def(i)])
                mf.append(.convert(.intToFloat, size: 8, double: true), [.use(i), .def(d)])
            } else {
                mf.append(payload, [.def(d)])
            }
        default:
            let bits = c.bits ?? 0
            if cls.isFloat {
                let double = cls == .d
                let b = double ? bits : bits & 0xffff_ffff
                mf.append(.floatConst(index: addFloat(b, double: double), double: double), [.def(d)])
            } else {
                let v = Int64(bitPattern: cls == .w ? bits & 0xffff_ffff : bits)
                mf.append(.movImm(size: 8, imm: v), [.def(d)])
            }
        }
        return d
    }

    mutating func addFloat(_ bits: UInt64, double: Bool) -> Int {
        floatPool.append((bits, double))
        return floatPool.count - 1
    }

    /// An integer constant usable as a 32-bit immediate of an operation of `size` bytes.
    func immediate(_ r: Ref, size: Int) -> Int32? {
        guard let c = f.constant(r), let bits = c.bits else { return nil }
        if case .single = c { return size == 4 ? Int32(truncatingIfNeeded: bits) : nil }
        if case .double = c { return nil }
        if size == 4 { return Int32(truncatingIfNeeded: bits) }
        return Int32(exactly: Int64(bitPattern: bits))
    }

    /// A memory operand for address `r`, and the base vreg it reads, if any.
    mutating func address(_ r: Ref) -> (X64Address, VReg?) {
        if let t = r.temp {
            if staticSlot[t.int] >= 0 { return (.slot(staticSlot[t.int], 0), nil) }
            return (.base(0), VReg(t.int))
        }
        if let c = f.constant(r) {
            switch c {
            case .symbol(let sym, let off, .direct) where Int32(exactly: off) != nil:
                return (.symbol(sym, off), nil)
            case .integer(let v) where Int32(exactly: v) != nil:
                return (.absolute(Int32(v)), nil)
            default: break
            }
        }
        return (.base(0), value(r, .l))
    }

}
