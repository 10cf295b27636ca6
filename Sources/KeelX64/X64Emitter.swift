/// Emission of one selected and allocated function as GNU assembler text
/// (AT&T syntax).
///
/// Expects the `AllocationResult` of `allocateRegisters` for the function
/// (every operand in a register; edits sorted by program point). Writes the
/// prologue, each block under its label, the allocator's parallel copies
/// sequentialized at their program points, each instruction with its
/// registers, and the epilogue at every `ret`. Jumps to the next block in
/// layout order are omitted.
import KeelCodegen
import KeelIR

struct X64Emitter {
    let fn: X64Function
    /// `fn.machine`, stored: a computed copy would retain every array on each access.
    let mf: MachineFunction<X64Inst>
    let alloc: AllocationResult
    let frame: X64Frame
    let module: Module
    /// Unique number of the function in the unit, for local labels.
    let id: Int
    /// `.file` number for `.loc`, 0 when none.
    let fileNumber: Int
    var out: AssemblyWriter
    /// Module-level constants (2^63 as float/double) this function used.
    var usesTwo63 = false

    init(fn: X64Function, alloc: AllocationResult, module: Module, id: Int, fileNumber: Int) {
        self.fn = fn
        self.mf = fn.machine
        self.alloc = alloc
        self.frame = X64Frame(function: fn, allocation: alloc)
        self.module = module
        self.id = id
        self.fileNumber = fileNumber
        out = AssemblyWriter(capacity: fn.machine.instructions.count * 24 + 256)
    }


    @inline(__always) mutating func line(_ s: String) {
        out.append(byte: UInt8(ascii: "\t"))
        out.append(s)
        out.newline()
    }

    func label(_ b: MBlock) -> String { ".Lbb\(id)_\(b.index)" }

    func reg(_ k: Int, size: Int = 8) -> String {
        if case .reg(let r) = alloc.operandLocations[k] { return X64Reg.name(r, size: size) }
        return "%BAD"
    }

    func suffix(_ size: Int) -> String {
        switch size {
        case 1: return "b"
        case 2: return "w"
        case 4: return "l"
        default: return "q"
        }
    }

    func symbol(_ s: SymbolID, _ off: Int64) -> String {
        let name = module.name(s)
        return off == 0 ? name : off > 0 ? "\(name)+\(off)" : "\(name)\(off)"
    }

    func address(_ a: X64Address, base: Int?) -> String {
        switch a {
        case .base(let disp): return "\(disp == 0 ? "" : "\(disp)")(\(base.map { reg($0) } ?? "%BAD"))"
        case .symbol(let s, let off): return "\(symbol(s, off))(%rip)"
        case .slot(let s, let off): return "\(frame.allocOffsets[Int(s)] + off)(%rbp)"
        case .absolute(let v): return "\(v)"
        }
    }

    // MARK: function

    mutating func emit() {
        let name = fn.name
        if let section = fn.linkage.section {
            out += "\t.section \"\(section)\"\(fn.linkage.sectionFlags.map { ",\"\($0)\"" } ?? "")\n"
        } else {
            out += "\t.text\n"
        }
        out += "\t.balign 16\n"
        if fn.linkage.export { out += "\t.globl \(name)\n" }
        out += "\t.type \(name), @function\n\(name):\n"
        line("pushq %rbp")
        line("movq %rsp, %rbp")
        if frame.size > 0 { line("subq $\(frame.size), %rsp") }
        for (r, off) in frame.saved { line("movq \(X64Reg.name(r)), \(off)(%rbp)") }
        if let slot = fn.variadicSaveSlot {
            // The register save area of va_list: six integer, then eight vector registers.
            let base = frame.allocOffsets[Int(slot)]
            for (k, r) in X64Reg.intArguments.enumerated() { line("movq \(X64Reg.name(r)), \(base + Int32(8 * k))(%rbp)") }
            for k in 0..<8 { line("movaps %xmm\(k), \(base + 48 + Int32(16 * k))(%rbp)") }
        }

        var e = 0
        let edits = alloc.edits
        let blocks = mf.blocks
        for (bi, block) in blocks.enumerated() {
            if bi > 0 {
                out.append(".Lbb")
                out.append(decimal: id)
                out.append(byte: UInt8(ascii: "_"))
                out.append(decimal: bi)
                out.append(":\n")
            }
            for i in block.instructions {
                let mi = MInst(i)
                while e < edits.count, edits[e].point < ProgramPoint(before: mi) { e += 1 }
                if e < edits.count, edits[e].point == ProgramPoint(before: mi) {
                    var moves: [(from: Location, to: Location)] = []
                    while e < edits.count, edits[e].point == ProgramPoint(before: mi) {
                        moves.append((edits[e].from, edits[e].to))
                        e += 1
                    }
                    emitParallelCopy(moves)
                }
                emitInstruction(i, block: bi)
                if e < edits.count, edits[e].point == ProgramPoint(after: mi) {
                    var moves: [(from: Location, to: Location)] = []
                    while e < edits.count, edits[e].point == ProgramPoint(after: mi) {
                        moves.append((edits[e].from, edits[e].to))
                        e += 1
                    }
                    emitParallelCopy(moves)
                }
            }
        }
        out += "\t.size \(name), .-\(name)\n"
        for (k, c) in fn.floatPool.enumerated() {
            if k == 0 { out += "\t.section .rodata\n" }
            if c.double {
                out += "\t.balign 8\n.Lfp\(id)_\(k):\n\t.quad \(c.bits)\n"
            } else {
                out += "\t.balign 4\n.Lfp\(id)_\(k):\n\t.int \(c.bits & 0xffff_ffff)\n"
            }
        }
    }

    // MARK: moves

    func slotClass(_ l: Location) -> RegClass {
        switch l {
        case .reg(let r): return X64Reg.isFloat(r) ? .float : .int
        case .stack(let s): return alloc.spillSlotClasses[Int(s.index)]
        }
    }

    func operand(_ l: Location) -> String {
        switch l {
        case .reg(let r): return X64Reg.name(r)
        case .stack(let s): return "\(frame.spillOffsets[Int(s.index)])(%rbp)"
        }
    }

    mutating func emitParallelCopy(_ moves: [(from: Location, to: Location)]) {
        let seq: [(from: Location, to: Location)]
        if moves.count == 1 {
            seq = moves
        } else {
            seq = sequentializeParallelCopy(moves, classOf: slotClass) { c in
                .reg(c == .int ? X64Reg.intScratch : X64Reg.floatScratch)
            }
        }
        for m in seq { emitMove(m.from, m.to) }
    }

    mutating func emitMove(_ from: Location, _ to: Location) {
        if from == to { return }
        let float = slotClass(from) == .float
        switch (from, to) {
        case (.stack, .stack):
            line("pushq \(operand(from))")
            line("popq \(operand(to))")
        case (.reg, .reg):
            line("\(float ? "movaps" : "movq") \(operand(from)), \(operand(to))")
        default:
            line("\(float ? "movsd" : "movq") \(operand(from)), \(operand(to))")
        }
    }
}
