// The toy target's output: a text listing of the allocated program, one line
// per machine instruction with its registers and frame cells, the
// allocator's moves written out where they happen. ToyILExecutor.swift reads
// it back and runs it, so the listing is the program, not a description.
//
// Expects a function, its allocation (edits sorted by program point) and its
// frame. Writes, for each function:
//
//   function $NAME cells N    frame of N cells: spill cells, then save cells
//   [5] = mov r3              prologue: save each callee-saved register used
//   @b0:                      machine block 0 (the entry), then @b1, ...
//   r1 = mov [0]              an allocator move; a parallel copy's moves in
//                             the `sequencer`'s order (cycles through rs/fs)
//   r3 = li -7                load a constant
//   r2 = add.w r0, r1         binary operations, comparisons (ceq.l, cslt.w,
//                             ...), neg, copy and ext*: DST = OP.WIDTH SRC...
//   call $f                   arguments in r0-r2, result in r0
//   jmp @b4 / jnz r2, @b3, @b5 / hlt
//   r3 = mov [5]              epilogue before each ret: restore the saves
//   ret
//
// A place is a register name or `[cell]`; `;` starts a comment (the vregs
// of each instruction, for the reader). Data definitions and `dbgfile` are
// comments: the toy machine has no memory.
import KeelCodegen
import KeelIR

struct ToyILWriter: TargetWriter {
    let module: Module
    var listing = ""

    init(module: Module) { self.module = module }

    mutating func file(_ name: String) { listing += "; file \(name)\n" }

    mutating func data(_ d: DataDefinition) {
        listing += "; data $\(module.name(d.name)) not emitted: the toy machine has no memory\n"
    }

    mutating func function(_ s: ToyILFunction, _ allocation: AllocationResult, _ frame: ToyILFrame,
                           sequencer: @escaping ParallelCopySequencer) {
        var writer = ToyILFunctionWriter(machine: s.machine, allocation: allocation, frame: frame,
                                         sequencer: sequencer)
        writer.write()
        listing += writer.listing
    }

    mutating func finish() -> [UInt8] { Array(listing.utf8) }

    /// A listing of IL, not machine code: nothing for the emitted-code checks to read.
    func readBackLastFunction() -> (function: EmittedFunction, convention: EmittedConvention)? { nil }
}

/// The listing of one function.
struct ToyILFunctionWriter {
    let machine: MachineFunction<ToyILInstruction>
    let allocation: AllocationResult
    let frame: ToyILFrame
    let sequencer: ParallelCopySequencer
    var listing = ""

    init(machine: MachineFunction<ToyILInstruction>, allocation: AllocationResult, frame: ToyILFrame,
         sequencer: @escaping ParallelCopySequencer) {
        self.machine = machine
        self.allocation = allocation
        self.frame = frame
        self.sequencer = sequencer
    }

    mutating func line(_ text: String, comment: String? = nil) {
        listing += "  " + text
        if let comment { listing += "    ; " + comment }
        listing += "\n"
    }

    func place(_ l: Location) -> String {
        switch l {
        case .reg(let r): return ToyILRegisters.names[Int(r.number)]
        case .stack(let s): return "[\(frame.cellOfSpillSlot[s.int])]"
        }
    }

    mutating func write() {
        listing += "function $\(machine.name) cells \(frame.cellCount)\n"
        for (k, r) in frame.savedRegisters.enumerated() {
            line("[\(frame.saveCell(k))] = mov \(place(.reg(r)))", comment: "save callee-saved")
        }
        let copies = Dictionary(grouping: allocation.edits, by: \.point)
        for (b, block) in machine.blocks.enumerated() {
            listing += "@b\(b):\n"
            for i in block.instructions {
                let mi = MInst(i)
                writeCopy(copies[ProgramPoint(before: mi)], at: ProgramPoint(before: mi))
                writeInstruction(mi, successors: block.successors)
                writeCopy(copies[ProgramPoint(after: mi)], at: ProgramPoint(after: mi))
            }
        }
    }

    /// One parallel copy, as the sequence of moves the checker replayed.
    mutating func writeCopy(_ edits: [Edit]?, at point: ProgramPoint) {
        guard let edits else { return }
        let moves = sequencer(point, edits.map { (from: $0.from, to: $0.to) })
        let copyComment = edits.map { "\($0.vreg) \(place($0.from)) → \(place($0.to))" }.joined(separator: ", ")
        for (k, m) in moves.enumerated() where m.from != m.to {
            line("\(place(m.to)) = mov \(place(m.from))", comment: k == 0 ? copyComment : nil)
        }
    }

    mutating func writeInstruction(_ i: MInst, successors: [MBlock]) {
        let range = machine.instructions[i.int].operandRange
        var defs: [String] = [], uses: [String] = [], vregs: [String] = []
        for k in range {
            let op = machine.operands[k]
            if op.kind == .def { defs.append(place(allocation.operandLocations[k])) }
            else { uses.append(place(allocation.operandLocations[k])) }
            vregs.append("\(op.kind == .def ? "def" : "use") \(op.vreg)")
        }
        let comment = vregs.isEmpty ? nil : vregs.joined(separator: ", ")
        func assign(_ mnemonic: String) -> String {
            "\(defs[0]) = \(mnemonic) " + uses.joined(separator: ", ")
        }
        switch machine.instructions[i.int].payload {
        case .parameters:
            listing += "  ; parameters in \(defs.joined(separator: ", "))    ; \(comment ?? "")\n"
        case .loadImmediate(let c):
            line("\(defs[0]) = li \(c)", comment: comment)
        case .binary(let op, let width):
            line(assign("\(op.rawValue).\(width.rawValue)"), comment: comment)
        case .compare(let c, let width):
            line(assign("c\(c.rawValue).\(width.rawValue)"), comment: comment)
        case .negate(let width):
            line(assign("neg.\(width.rawValue)"), comment: comment)
        case .copy(let width):
            line(assign("copy.\(width.rawValue)"), comment: comment)
        case .extend(let ext, let width):
            line(assign("\(ext.rawValue).\(width.rawValue)"), comment: comment)
        case .call(let callee):
            line("call $\(callee)", comment: comment)
        case .jump:
            line("jmp @b\(successors[0].index)")
        case .branchIfNonZero:
            line("jnz \(uses[0]), @b\(successors[0].index), @b\(successors[1].index)", comment: comment)
        case .ret:
            for (k, r) in frame.savedRegisters.enumerated() {
                line("\(place(.reg(r))) = mov [\(frame.saveCell(k))]", comment: "restore callee-saved")
            }
            line("ret", comment: comment)
        case .halt:
            line("hlt")
        }
    }
}
