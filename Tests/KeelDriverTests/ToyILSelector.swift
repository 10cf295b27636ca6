// Instruction selection for the toy target: IL function →
// `MachineFunction<ToyILInstruction>`.
//
// Expects a verified function in SSA form (FrontHalf at `.simplified`) and
// its `ToyILBoundary`. Guarantees the machine layer's invariants
// (KeelCodegen/MachineFunction.swift): one vreg per IL temp, with the temp's
// index, plus a fresh vreg for every constant operand; machine block 0 is a
// synthetic entry that defines the parameters in their argument registers
// and jumps to the IL entry block; then every reachable IL block, each
// followed by an edge block for every edge of its two-way branch whose
// target has phis or several predecessors. So no edge is critical, and a
// block with parameters (its phis) is entered only by unconditional jumps.
// Unreachable blocks are dropped.
//
// Covers: w/l `add sub mul div udiv rem urem and or xor sar shr shl neg`,
// integer comparisons, `copy`, `ext*`, direct calls to functions of the
// module with w/l arguments and results, phis, `jmp jnz ret hlt`, `dbgloc`
// (ignored). Anything else (memory, floats, symbols as values, indirect or
// external calls) is a `SelectionError` at the instruction's position.
//
// Algorithm: macro expansion, one IL instruction at a time; constants are
// loaded into fresh vregs where they are used (no immediate operands).
import KeelCodegen
import KeelIR

struct ToyILSelector {
    let function: Function
    let module: Module
    let abi: ToyILModuleABI
    let boundary: ToyILBoundary
    var machine: MachineFunction<ToyILInstruction>
    /// Where the instruction being selected was written, for errors.
    var position: SourcePosition

    /// The machine block of each IL block (nil: unreachable).
    var machineBlock: [MBlock?]
    /// The edge blocks on the true and false edges of each block's `jnz` (nil: none).
    var trueEdgeBlock: [MBlock?]
    var falseEdgeBlock: [MBlock?]

    enum PlannedBlock {
        case entry
        case block(BlockID)
        case edge(from: BlockID, to: BlockID)
    }

    init(_ f: Function, in module: Module, abi: ToyILModuleABI, boundary: ToyILBoundary) {
        function = f
        self.module = module
        self.abi = abi
        self.boundary = boundary
        machine = MachineFunction(name: module.name(f.name))
        for t in f.temps { machine.vregClasses.append(t.type?.isFloat == true ? .float : .int) }
        position = f.position
        machineBlock = Array(repeating: nil, count: f.blocks.count)
        trueEdgeBlock = Array(repeating: nil, count: f.blocks.count)
        falseEdgeBlock = Array(repeating: nil, count: f.blocks.count)
    }

    func fail(_ message: String) -> SelectionError { SelectionError(position: position, message: message) }

    mutating func run() throws(SelectionError) -> ToyILFunction {
        guard !function.blocks.isEmpty else { throw fail("function has no blocks") }
        for planned in planBlocks() {
            switch planned {
            case .entry:
                _ = machine.beginBlock()
                try selectParameters()
                try jump(to: Function.entry, from: nil)
            case .block(let b):
                try selectBlock(b)
            case .edge(let from, let to):
                _ = machine.beginBlock()
                try jump(to: to, from: from)
            }
        }
        machine.computePredecessors()
        return ToyILFunction(machine: machine, name: machine.name)
    }

    // MARK: blocks and edges

    /// The machine blocks in order, numbering them in `machineBlock`,
    /// `trueEdgeBlock` and `falseEdgeBlock` as it goes.
    mutating func planBlocks() -> [PlannedBlock] {
        let blocks = function.blocks
        var reachable = Array(repeating: false, count: blocks.count)
        var work = [0]
        reachable[0] = true
        while let b = work.popLast() {
            for s in blocks[b].successors where !reachable[s.int] {
                reachable[s.int] = true
                work.append(s.int)
            }
        }
        var predecessorCount = Array(repeating: 0, count: blocks.count)
        predecessorCount[0] = 1  // the synthetic entry
        for b in blocks.indices where reachable[b] {
            for s in blocks[b].successors { predecessorCount[s.int] += 1 }
        }
        func needsEdgeBlock(_ target: BlockID) -> Bool {
            predecessorCount[target.int] > 1 || !blocks[target.int].phis.isEmpty
        }

        var plan: [PlannedBlock] = [.entry]
        for b in blocks.indices where reachable[b] {
            machineBlock[b] = MBlock(plan.count)
            plan.append(.block(BlockID(b)))
            guard case .jnz(_, let t, let f) = blocks[b].terminator, t != f else { continue }
            if needsEdgeBlock(t) {
                trueEdgeBlock[b] = MBlock(plan.count)
                plan.append(.edge(from: BlockID(b), to: t))
            }
            if needsEdgeBlock(f) {
                falseEdgeBlock[b] = MBlock(plan.count)
                plan.append(.edge(from: BlockID(b), to: f))
            }
        }
        return plan
    }

    mutating func selectParameters() throws(SelectionError) {
        var defs: [MachineOperand] = []
        for (p, register) in zip(function.parameters, boundary.parameterRegisters) {
            defs.append(.def(VReg(p.temp.int), .fixed(register)))
        }
        if !defs.isEmpty { machine.append(.parameters, defs) }
    }

    mutating func selectBlock(_ b: BlockID) throws(SelectionError) {
        let block = function.blocks[b.int]
        for phi in block.phis where ToyWidth(phi.type) == nil {
            position = phi.position
            throw fail("the toy target has no \(phi.type.name) registers for phis")
        }
        _ = machine.beginBlock(params: block.phis.map { VReg($0.result.int) })
        for ins in block.instructions {
            position = ins.position
            try select(ins)
        }
        position = block.terminatorPosition
        try selectTerminator(block.terminator, of: b)
    }

    /// An unconditional jump from `from` (nil: the synthetic entry) to `to`,
    /// passing one argument per phi of `to`.
    mutating func jump(to: BlockID, from: BlockID?) throws(SelectionError) {
        var arguments: [VReg] = []
        for phi in function.blocks[to.int].phis {
            // From the synthetic entry (the IL entry is a loop header) a phi is undefined.
            let incoming = from.flatMap { phi.value(from: $0) } ?? .none
            arguments.append(try value(incoming, ToyWidth(phi.type) ?? .l))
        }
        machine.append(.jump, [], terminator: true)
        machine.setSuccessors([machineBlock[to.int]!], arguments: [arguments])
    }

    mutating func selectTerminator(_ t: Terminator, of b: BlockID) throws(SelectionError) {
        switch t {
        case .none:
            throw fail("block @\(function.blocks[b.int].label) has no terminator")
        case .jmp(let s):
            try jump(to: s, from: b)
        case .jnz(_, let s, let e) where s == e:
            try jump(to: s, from: b)
        case .jnz(let condition, let s, let e):
            let c = try value(condition, .w)
            machine.append(.branchIfNonZero, [.use(c)], terminator: true)
            machine.setSuccessors([trueEdgeBlock[b.int] ?? machineBlock[s.int]!,
                                   falseEdgeBlock[b.int] ?? machineBlock[e.int]!], arguments: [[], []])
        case .ret(let r):
            if let width = boundary.returnWidth, !r.isNone {
                let v = try value(r, width)
                machine.append(.ret, [.use(v, .fixed(ToyILRegisters.resultRegister))], terminator: true)
            } else {
                machine.append(.ret, [], terminator: true)
            }
        case .hlt:
            machine.append(.halt, [], terminator: true)
        }
    }

    // MARK: instructions

    /// The vreg holding `r`; a constant is loaded into a fresh one, truncated to `width`.
    mutating func value(_ r: Ref, _ width: ToyWidth) throws(SelectionError) -> VReg {
        if let t = r.temp { return VReg(t.int) }
        var bits: UInt64 = 0  // `.none` (an undefined phi argument): any value will do
        if let c = function.constant(r) {
            guard let b = c.bits else { throw fail("the toy machine has no memory, so no symbol addresses") }
            bits = b
        }
        if width == .w { bits &= 0xffff_ffff }
        let v = machine.newVReg(.int)
        machine.append(.loadImmediate(Int64(bitPattern: bits)), [.def(v)])
        return v
    }

    func integerWidth(_ ins: Instruction) throws(SelectionError) -> ToyWidth {
        guard let w = ToyWidth(ins.type) else {
            throw fail("the toy target has no `\(ins.op.name)` for class \(ins.type.name)")
        }
        return w
    }

    mutating func select(_ ins: Instruction) throws(SelectionError) {
        if ins.op == .dbgloc { return }
        if ins.op == .call { return try selectCall(ins) }
        let payload: ToyILInstruction
        var uses: [VReg]
        if let operation = ToyBinaryOperation(rawValue: ins.op.name) {
            let width = try integerWidth(ins)
            payload = .binary(operation, width)
            uses = [try value(ins.a, width), try value(ins.b, width)]
        } else if case let (comparison, width)? = ToyComparison.of(ins.op) {
            _ = try integerWidth(ins)
            payload = .compare(comparison, width)
            uses = [try value(ins.a, width), try value(ins.b, width)]
        } else if let ext = ToyExtension(rawValue: ins.op.name) {
            payload = .extend(ext, result: try integerWidth(ins))
            uses = [try value(ins.a, .w)]
        } else if ins.op == .neg || ins.op == .copy {
            let width = try integerWidth(ins)
            payload = ins.op == .neg ? .negate(width) : .copy(width)
            uses = [try value(ins.a, width)]
        } else {
            throw fail("the toy target has no instruction for `\(ins.op.name)`")
        }
        // A pure instruction whose result nobody reads has nothing to do.
        guard let result = ins.result.temp else { return }
        machine.append(payload, [.def(VReg(result.int))] + uses.map { .use($0) })
    }

    mutating func selectCall(_ ins: Instruction) throws(SelectionError) {
        guard let c = function.constant(ins.a), case .symbol(let callee, 0, .direct) = c,
              abi.definedFunctions.contains(callee) else {
            throw fail("the toy target calls only functions of the module, by name")
        }
        let site = function.calls[Int(ins.extra)]
        var operands: [MachineOperand] = []
        if let result = ins.result.temp {
            operands.append(.def(VReg(result.int), .fixed(ToyILRegisters.resultRegister)))
        }
        for (argument, register) in zip(site.arguments, boundary.callArgumentRegisters[Int(ins.extra)]) {
            let v = try value(argument.value, ToyWidth(argument.type.valueClass) ?? .l)
            operands.append(.use(v, .fixed(register)))
        }
        machine.append(.call(callee: module.name(callee)), operands, clobbers: ToyILRegisters.callerSaved)
    }
}
