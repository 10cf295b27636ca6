// Emission of one selected and allocated arm64 function as GNU assembler text.
//
// Expects the `AllocationResult` of `allocateRegisters` for the function
// (every operand in a register; edits sorted by program point) and its
// `Arm64Frame`. Writes the prologue (frame record at the bottom, see
// Arm64Frame.swift), each block under its label, the allocator's parallel
// copies sequentialized at their program points, each instruction with its
// registers, and the epilogue at every `ret`. Jumps to the next block in
// layout order are omitted. x16 is the parallel copies' cycle scratch; x17
// and v31 are temporaries inside one instruction's expansion or one move.
// After each safepoint's `bl` it labels the return address and collects the
// map entry in `stackMaps`, which the writer appends after all code.
import KeelCodegen
import KeelIR

struct Arm64Emitter {
    let fn: Arm64Function
    let mf: MachineFunction<Arm64Inst>
    let alloc: AllocationResult
    let frame: Arm64Frame
    let module: Module
    /// Unique number of the function in the unit, for local labels.
    let id: Int
    /// `.file` number for `.loc`, 0 when none.
    let fileNumber: Int
    let sequencer: ParallelCopySequencer
    var out = ""
    /// Each parallel copy written: its edits and the bytes of `out` it took.
    var copySpans: [(edits: Range<Int>, bytes: Range<Int>)] = []
    /// The `keel_stackmaps` entries of the function's safepoints (written by
    /// the module writer after all code: docs/stack-maps.md).
    var stackMaps = ""
    /// The entries of `alloc.safepointMaps`, in safepoint order.
    var stackMapSection: StackMapSection
    var safepointCount = 0

    init(fn: Arm64Function, alloc: AllocationResult, frame: Arm64Frame, module: Module, id: Int, fileNumber: Int,
         sequencer: @escaping ParallelCopySequencer) {
        (self.fn, self.mf, self.alloc, self.frame, self.module) = (fn, fn.machine, alloc, frame, module)
        (self.id, self.fileNumber, self.sequencer) = (id, fileNumber, sequencer)
        stackMapSection = StackMapSection(maps: alloc.safepointMaps)
        out.reserveCapacity(fn.machine.instructions.count * 24 + 256)
    }

    // MARK: pieces

    mutating func line(_ s: String) {
        out += "\t"
        out += s
        out += "\n"
    }

    /// The register allocated to operand `k`, named for `size` bytes.
    func reg(_ k: Int, _ size: Int = 8) -> String {
        if case .reg(let r) = alloc.operandLocations[k] { return Arm64Reg.name(r, size: size) }
        return "BAD"
    }

    func label(_ b: MBlock) -> String { ".Lbb\(id)_\(b.index)" }

    func symbol(_ s: SymbolID, _ off: Int64) -> String {
        let name = module.name(s)
        return off == 0 ? name : off > 0 ? "\(name)+\(off)" : "\(name)\(off)"
    }

    /// Materializes `v` into register `r` (named for 8 bytes) with movz/movn and movk.
    mutating func loadImmediate(_ r: String, _ v: Int64) {
        let bits = UInt64(bitPattern: v)
        let chunks = (0..<4).map { UInt16(truncatingIfNeeded: bits >> UInt64(16 * $0)) }
        let ones = chunks.filter { $0 == 0xffff }.count
        let zeros = chunks.filter { $0 == 0 }.count
        if max(ones, zeros) < 3, Arm64Immediate.isLogical(v, wide: true) {
            // One `orr` from the zero register (the `mov` alias) instead of 2–4 moves.
            line("mov \(r), #0x" + String(bits, radix: 16))
        } else if ones > zeros {
            // movn writes ~(imm << shift): every other chunk becomes 0xffff.
            let first = chunks.firstIndex { $0 != 0xffff } ?? 0
            line("movn \(r), #\(~chunks[first] & 0xffff), lsl #\(16 * first)")
            for k in chunks.indices where k != first && chunks[k] != 0xffff {
                line("movk \(r), #\(chunks[k]), lsl #\(16 * k)")
            }
        } else {
            let first = chunks.firstIndex { $0 != 0 } ?? 0
            line("movz \(r), #\(chunks[first]), lsl #\(16 * first)")
            for k in chunks.indices where k != first && chunks[k] != 0 {
                line("movk \(r), #\(chunks[k]), lsl #\(16 * k)")
            }
        }
    }

    /// `add`/`sub` of an immediate of any size to `src` into `dst` (x registers); x17 when it does not encode.
    mutating func addImmediate(_ dst: String, _ src: String, _ v: Int64) {
        if Arm64Immediate.isAddSub(v) { line("add \(dst), \(src), \(addSubOperand(v))") }
        else if v != Int64.min, Arm64Immediate.isAddSub(-v) { line("sub \(dst), \(src), \(addSubOperand(-v))") }
        else {
            loadImmediate("x17", v)
            line("add \(dst), \(src), x17")
        }
    }

    /// `#imm` or `#imm>>12, lsl #12` for an encodable add/sub immediate.
    func addSubOperand(_ v: Int64) -> String { v < 4096 ? "#\(v)" : "#\(v >> 12), lsl #12" }

    /// One load or store of `size` bytes at `base` + `offset`: the scaled
    /// form, the unscaled one (`ldur`/`stur`), or the offset in x17.
    mutating func access(_ scaled: String, _ unscaled: String, _ r: String, base: String, offset: Int64, size: Int) {
        if Arm64Immediate.isScaledOffset(offset, size: size) {
            line(offset == 0 ? "\(scaled) \(r), [\(base)]" : "\(scaled) \(r), [\(base), #\(offset)]")
        } else if Arm64Immediate.isUnscaledOffset(offset) {
            line("\(unscaled) \(r), [\(base), #\(offset)]")
        } else {
            loadImmediate("x17", offset)
            line("\(scaled) \(r), [\(base), x17]")
        }
    }

    /// The x29-relative offset of frame cell `layoutOffset`.
    func frameOffset(_ layoutOffset: Int32) -> Int64 { frame.arm64Offset(Int64(layoutOffset)) }

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
        out += "\t.type \(name), %function\n\(name):\n"
        let total = Int64(frame.arm64Total)
        if Arm64Immediate.isAddSub(total) { line("sub sp, sp, \(addSubOperand(total))") }
        else {
            loadImmediate("x16", total)
            line("sub sp, sp, x16")
        }
        line("stp x29, x30, [sp]")
        line("mov x29, sp")
        for (r, off) in frame.saved {
            access("str", "stur", Arm64Reg.name(r), base: "x29", offset: frameOffset(off), size: 8)
        }
        if let slot = fn.variadicSaveSlot {
            // va_list's register save areas: x0–x7, then v0–v7 (their low 8 bytes) in 16-byte cells.
            let base = frameOffset(frame.allocOffsets[Int(slot)])
            for k in 0..<8 { access("str", "stur", "x\(k)", base: "x29", offset: base + Int64(8 * k), size: 8) }
            for k in 0..<8 { access("str", "stur", "d\(k)", base: "x29", offset: base + 64 + Int64(16 * k), size: 8) }
        }

        var e = 0
        let edits = alloc.edits
        let loopHeads = loopHeadsToAlign(mf)
        for (bi, block) in mf.blocks.enumerated() {
            if loopHeads[bi] { out += "\t.p2align 4\n" }
            if bi > 0 { out += "\(label(MBlock(bi))):\n" }
            for i in block.instructions {
                let mi = MInst(i)
                while e < edits.count, edits[e].point < ProgramPoint(before: mi) { e += 1 }
                if e < edits.count, edits[e].point == ProgramPoint(before: mi) {
                    e = emitParallelCopy(edits, from: e)
                }
                emitInstruction(i, block: bi)
                if e < edits.count, edits[e].point == ProgramPoint(after: mi), !mf.instructions[i].isTerminator {
                    e = emitParallelCopy(edits, from: e)
                }
            }
        }
        out += "\t.size \(name), .-\(name)\n"
    }

    mutating func epilogue(returning: Bool = true) {
        for (r, off) in frame.saved {
            access("ldr", "ldur", Arm64Reg.name(r), base: "x29", offset: frameOffset(off), size: 8)
        }
        line("mov sp, x29")
        line("ldp x29, x30, [sp]")
        let total = Int64(frame.arm64Total)
        if Arm64Immediate.isAddSub(total) { line("add sp, sp, \(addSubOperand(total))") }
        else {
            loadImmediate("x16", total)
            line("add sp, sp, x16")
        }
        if returning { line("ret") }
    }

    // MARK: moves

    func slotClass(_ l: Location) -> RegClass {
        switch l {
        case .reg(let r): return Arm64Reg.isFloat(r) ? .float : .int
        case .stack(let s): return alloc.spillSlotClasses[Int(s.index)]
        }
    }

    /// Emits the parallel copy formed by the edits at `edits[first]`'s
    /// program point; returns the index of the first edit after them.
    mutating func emitParallelCopy(_ edits: [Edit], from first: Int) -> Int {
        let point = edits[first].point
        var last = first + 1
        while last < edits.count, edits[last].point == point { last += 1 }
        let start = out.utf8.count
        let moves = last == first + 1 ? [(from: edits[first].from, to: edits[first].to)]
            : sequencer(point, edits[first..<last].map { (from: $0.from, to: $0.to) })
        for (k, m) in moves.enumerated() {
            // Whether the cycle scratch x16 holds a value a later move of this copy still reads.
            let x16Live = moves[..<k].contains { $0.to == .reg(Arm64Reg.ip0) }
                && moves[k...].contains { $0.from == .reg(Arm64Reg.ip0) }
            emitMove(m.from, m.to, x16Live: x16Live)
        }
        copySpans.append((first..<last, start..<out.utf8.count))
        return last
    }

    mutating func emitMove(_ from: Location, _ to: Location, x16Live: Bool = false) {
        if from == to { return }
        let float = slotClass(from) == .float
        switch (from, to) {
        case (.reg(let a), .reg(let b)):
            line("\(float ? "fmov" : "mov") \(Arm64Reg.name(b)), \(Arm64Reg.name(a))")
        case (.stack(let s), .reg(let b)):
            access("ldr", "ldur", Arm64Reg.name(b), base: "x29", offset: frameOffset(frame.spillOffsets[Int(s.index)]), size: 8)
        case (.reg(let a), .stack(let s)):
            access("str", "stur", Arm64Reg.name(a), base: "x29", offset: frameOffset(frame.spillOffsets[Int(s.index)]), size: 8)
        case (.stack(let s), .stack(let t)):
            let src = frameOffset(frame.spillOffsets[Int(s.index)]), dst = frameOffset(frame.spillOffsets[Int(t.index)])
            if Arm64Immediate.isScaledOffset(src, size: 8), Arm64Immediate.isScaledOffset(dst, size: 8) {
                line("ldr x17, [x29, #\(src)]")
                line("str x17, [x29, #\(dst)]")
            } else {
                // Beyond the scaled offsets x17 holds each offset in turn, so the
                // value travels in a scratch no pending move needs: x16 unless it
                // holds a cycle's value, else v31 (only one cycle is ever broken at a time).
                let value = x16Live ? "d31" : "x16"
                access("ldr", "ldur", value, base: "x29", offset: src, size: 8)
                access("str", "stur", value, base: "x29", offset: dst, size: 8)
            }
        }
    }
}
