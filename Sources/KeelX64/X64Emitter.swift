// Emission of one selected and allocated function as GNU assembler text
// (AT&T syntax).
//
// Expects the `AllocationResult` of `allocateRegisters` for the function
// (every operand in a register; edits sorted by program point). Writes the
// prologue (none for a frameless leaf, X64LeafFrame.swift), each block
// under its label, the allocator's parallel copies sequentialized at their
// program points, each instruction with its
// registers, and the epilogue at every `ret`. Blocks that only jump are not
// written (branches go past them, JumpOnlyBlocks.swift), and jumps to the
// next written block are omitted. After each safepoint's call it writes a
// label for the return address and, into `stackMaps` (appended after all
// code by the writer), the call's `keel_stackmaps` entry: the rbp offsets of
// the slots of `AllocationResult.safepointMaps` (docs/stack-maps.md).
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
    /// Each parallel copy written: its edits and the bytes of `out` it took,
    /// so the emitted-code check can find its lines.
    var copySpans: [(edits: Range<Int>, bytes: Range<Int>)] = []
    /// The `keel_stackmaps` entries of the function's safepoints (written by
    /// the module writer after all code: docs/stack-maps.md).
    var stackMaps = AssemblyWriter(capacity: 0)
    /// The entries of `alloc.safepointMaps`, in safepoint order.
    var stackMapSection: StackMapSection
    var safepointCount = 0

    /// Where branches go once blocks that only jump are passed through.
    let jumps: JumpOnlyBlocks
    /// No frame pointer pushed and no `leave` (X64LeafFrame.swift): frame
    /// cells are addressed from rsp, which the prologue lowers by `frameAdjust`.
    let frameless: Bool
    let frameAdjust: Int64
    /// A return that skips the saves, and the block that makes them (X64EarlyExit.swift).
    let earlyExit: (exit: Int, saveAt: Int)?
    /// Orders the moves of each parallel copy; the allocation checker replays the same order.
    let sequencer: ParallelCopySequencer

    init(fn: X64Function, alloc: AllocationResult, frame: X64Frame, module: Module, id: Int, fileNumber: Int,
         sequencer: ParallelCopySequencer? = nil) {
        self.sequencer = sequencer
            ?? emitterCopySequencer(registers: X64Reg.sysV, spillSlotClasses: alloc.spillSlotClasses)
        self.fn = fn
        self.mf = fn.machine
        self.alloc = alloc
        stackMapSection = StackMapSection(maps: alloc.safepointMaps)
        jumps = JumpOnlyBlocks(fn.machine, edits: alloc.edits)
        self.frame = frame
        frameless = fn.isFrameless(frame)
        frameAdjust = frameless ? X64Function.leafAdjust(frame) : 0
        earlyExit = frameless ? nil : X64Emitter.earlyExit(fn, alloc, frame, jumps)
        self.module = module
        self.id = id
        self.fileNumber = fileNumber
        out = AssemblyWriter(capacity: fn.machine.instructions.count * 24 + 256)
    }


    // MARK: writing a line piece by piece (no String per line)

    /// `\tm\n`: an instruction without operands.
    @inline(__always) mutating func line(_ m: StaticString) {
        out.append(byte: UInt8(ascii: "\t"))
        out.append(m)
        out.newline()
    }

    /// `\tm `: starts an instruction; its operands and `end()` follow.
    @inline(__always) mutating func start(_ m: StaticString) {
        out.append(byte: UInt8(ascii: "\t"))
        out.append(m)
        out.append(byte: UInt8(ascii: " "))
    }

    /// `\tm<suffix> ` with the AT&T size suffix (b, w, l, q).
    @inline(__always) mutating func start(_ m: StaticString, _ size: Int) {
        out.append(byte: UInt8(ascii: "\t"))
        out.append(m)
        out.append(byte: suffix(size))
        out.append(byte: UInt8(ascii: " "))
    }

    @inline(__always) mutating func end() { out.newline() }
    @inline(__always) mutating func comma() { out.append(", ") }
    @inline(__always) mutating func text(_ s: StaticString) { out.append(s) }
    @inline(__always) mutating func number<T: BinaryInteger>(_ v: T) { out.append(decimal: v) }

    /// `$v`.
    @inline(__always) mutating func imm<T: BinaryInteger>(_ v: T) {
        out.append(byte: UInt8(ascii: "$"))
        out.append(decimal: v)
    }

    /// The register allocated to operand `k`.
    @inline(__always) mutating func reg(_ k: Int, _ size: Int = 8) {
        if case .reg(let r) = alloc.operandLocations[k] { out.append(register: r, size: size) } else { out.append("%BAD") }
    }

    @inline(__always) mutating func preg(_ r: PReg, _ size: Int = 8) { out.append(register: r, size: size) }

    /// `v(%rbp)`, or the same cell from rsp in a frameless leaf (where rbp
    /// would be, 8 below the entry rsp, is rsp + frameAdjust - 8).
    @inline(__always) mutating func frameCell<T: BinaryInteger>(_ v: T) {
        if frameless {
            out.append(decimal: Int64(v) + frameAdjust - 8)
            out.append("(%rsp)")
        } else {
            out.append(decimal: v)
            out.append("(%rbp)")
        }
    }

    /// The label a branch to `b` names: past the blocks that only jump.
    @inline(__always) mutating func target(_ b: MBlock) { label(jumps.resolve(b)) }

    mutating func label(_ b: MBlock) {
        out.append(".Lbb")
        out.append(decimal: id)
        out.append(byte: UInt8(ascii: "_"))
        out.append(decimal: b.index)
    }

    func suffix(_ size: Int) -> UInt8 {
        switch size {
        case 1: return UInt8(ascii: "b")
        case 2: return UInt8(ascii: "w")
        case 4: return UInt8(ascii: "l")
        default: return UInt8(ascii: "q")
        }
    }

    mutating func symbolName(_ s: SymbolID) { out.append(module.name(s)) }

    /// `name`, `name+off` or `name-off`.
    mutating func symbol(_ s: SymbolID, _ off: Int64) {
        symbolName(s)
        if off > 0 { out.append(byte: UInt8(ascii: "+")) }
        if off != 0 { out.append(decimal: off) }
    }

    mutating func address(_ a: X64Address, base: Int?) {
        switch a {
        case .base(let disp):
            if disp != 0 { out.append(decimal: disp) }
            out.append(byte: UInt8(ascii: "("))
            if let base { reg(base) } else { out.append("%BAD") }
            out.append(byte: UInt8(ascii: ")"))
        case .indexed(let disp, let scale):
            // The index is the operand after the base.
            if disp != 0 { out.append(decimal: disp) }
            out.append(byte: UInt8(ascii: "("))
            if let base { reg(base); out.append(byte: UInt8(ascii: ",")); reg(base + 1) } else { out.append("%BAD") }
            if scale != 1 { out.append(byte: UInt8(ascii: ",")); out.append(decimal: Int32(scale)) }
            out.append(byte: UInt8(ascii: ")"))
        case .symbol(let s, let off):
            symbol(s, off)
            out.append("(%rip)")
        case .slot(let s, let off):
            frameCell(Int64(frame.allocOffsets[Int(s)]) + Int64(off))
        case .absolute(let v):
            out.append(decimal: v)
        }
    }

    /// The section directive of a function or data definition with an explicit section.
    mutating func section(_ name: String, flags: String?) {
        out.append("\t.section \"")
        out.append(name)
        out.append(byte: UInt8(ascii: "\""))
        if let flags {
            out.append(",\"")
            out.append(flags)
            out.append(byte: UInt8(ascii: "\""))
        }
        out.newline()
    }

    // MARK: function

    mutating func emit() {
        let name = fn.name
        if let section = fn.linkage.section {
            self.section(section, flags: fn.linkage.sectionFlags)
        } else {
            out.append("\t.text\n")
        }
        out.append("\t.balign 16\n")
        if fn.linkage.export {
            out.append("\t.globl ")
            out.append(name)
            out.newline()
        }
        out.append("\t.type ")
        out.append(name)
        out.append(", @function\n")
        out.append(name)
        out.append(":\n")
        // A landing pad for indirect calls under CET's indirect-branch
        // tracking, as QBE writes (a no-op on processors without it).
        line("endbr64")
        if frameless {
            if frameAdjust > 0 { start("subq"); imm(frameAdjust); text(", %rsp"); end() }
        } else {
            line("pushq %rbp")
            line("movq %rsp, %rbp")
            if frame.size > 0 { start("subq"); imm(frame.size); text(", %rsp"); end() }
        }
        if earlyExit == nil { saveCalleeSaved() }
        if let slot = fn.variadicSaveSlot {
            // The register save area of va_list: six integer, then eight vector registers.
            let base = Int64(frame.allocOffsets[Int(slot)])
            for (k, r) in X64Reg.intArguments.enumerated() {
                start("movq"); preg(r); comma(); frameCell(base + Int64(8 * k)); end()
            }
            for k in 0..<8 { start("movaps"); preg(X64Reg.xmm(k)); comma(); frameCell(base + 48 + Int64(16 * k)); end() }
        }

        var e = 0
        let edits = alloc.edits
        let blocks = mf.blocks
        let loopHeads = loopHeadsToAlign(mf, jumps: jumps)
        for (bi, block) in blocks.enumerated() where jumps.written[bi] {
            if bi > 0 {
                if loopHeads[bi] { out.append("\t.p2align 4\n") }
                label(MBlock(bi))
                out.append(":\n")
            }
            if bi == earlyExit?.saveAt { saveCalleeSaved() }
            for i in block.instructions {
                let mi = MInst(i)
                while e < edits.count, edits[e].point < ProgramPoint(before: mi) { e += 1 }
                if e < edits.count, edits[e].point == ProgramPoint(before: mi) {
                    e = emitParallelCopy(edits, from: e)
                }
                emitInstruction(i, block: bi)
                // Nothing runs after a terminator: a copy placed there is not
                // written (the allocation checker reports it as an error).
                if e < edits.count, edits[e].point == ProgramPoint(after: mi), !mf.instructions[i].isTerminator {
                    e = emitParallelCopy(edits, from: e)
                }
            }
        }
        out.append("\t.size ")
        out.append(name)
        out.append(", .-")
        out.append(name)
        out.newline()
        for (k, c) in fn.floatPool.enumerated() {
            if k == 0 { out.append("\t.section .rodata\n") }
            out.append(c.double ? "\t.balign 8\n.Lfp" : "\t.balign 4\n.Lfp")
            out.append(decimal: id)
            out.append(byte: UInt8(ascii: "_"))
            out.append(decimal: k)
            out.append(c.double ? ":\n\t.quad " : ":\n\t.int ")
            out.append(decimal: c.double ? c.bits : c.bits & 0xffff_ffff)
            out.newline()
        }
    }

    mutating func saveCalleeSaved() {
        for (r, off) in frame.saved { start("movq"); preg(r); comma(); frameCell(off); end() }
    }

    // MARK: safepoints

    /// Labels the return address of safepoint call `i` (right after the
    /// `call` its emission writes) and writes its map
    /// entry: the rbp-relative cells of the slots its map lists (one entry
    /// even when empty, so the collector's walk goes on through this frame).
    mutating func emitSafepoint(_ i: Int) {
        let frame = self.frame
        let offsets = stackMapSection.offsets(atSafepoint: i) { frame.spillOffsets[$0.int] }
        X64Emitter.safepointLabel(id, safepointCount, into: &out)
        out.append(":\n")
        if stackMaps.count == 0 { stackMaps.append(StackMapSection.header) }
        var label = AssemblyWriter(capacity: 16)
        X64Emitter.safepointLabel(id, safepointCount, into: &label)
        stackMaps.append(StackMapSection.entry(returnAddress: String(decoding: label.bytes, as: UTF8.self),
                                               offsets: offsets))
        safepointCount += 1
    }

    /// `.Lsp<function>_<n>`: the return address of the function's n-th safepoint.
    static func safepointLabel(_ function: Int, _ n: Int, into w: inout AssemblyWriter) {
        w.append(".Lsp")
        w.append(decimal: function)
        w.append(byte: UInt8(ascii: "_"))
        w.append(decimal: n)
    }

    // MARK: moves

    func slotClass(_ l: Location) -> RegClass {
        switch l {
        case .reg(let r): return X64Reg.isFloat(r) ? .float : .int
        case .stack(let s): return alloc.spillSlotClasses[Int(s.index)]
        }
    }

    mutating func operand(_ l: Location) {
        switch l {
        case .reg(let r): preg(r)
        case .stack(let s): frameCell(frame.spillOffsets[Int(s.index)])
        }
    }

    /// Emits the parallel copy formed by the edits at `edits[first]`'s
    /// program point; returns the index of the first edit after them.
    mutating func emitParallelCopy(_ edits: [Edit], from first: Int) -> Int {
        let point = edits[first].point
        var last = first + 1
        while last < edits.count, edits[last].point == point { last += 1 }
        let start = out.count
        if last == first + 1 {
            emitMove(edits[first].from, edits[first].to)
        } else {
            let moves = edits[first..<last].map { (from: $0.from, to: $0.to) }
            for m in sequencer(point, moves) { emitMove(m.from, m.to) }
        }
        copySpans.append((first..<last, start..<out.count))
        return last
    }

    mutating func emitMove(_ from: Location, _ to: Location) {
        if from == to { return }
        let float = slotClass(from) == .float
        switch (from, to) {
        case (.stack, .stack):
            start("pushq"); operand(from); end()
            start("popq"); operand(to); end()
        case (.reg, .reg):
            start(float ? "movaps" : "movq"); operand(from); comma(); operand(to); end()
        default:
            start(float ? "movsd" : "movq"); operand(from); comma(); operand(to); end()
        }
    }
}
