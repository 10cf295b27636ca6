// The text of each arm64 machine instruction (see Arm64Instruction.swift for operand positions).
import KeelCodegen
import KeelIR

extension Arm64Emitter {
    static func mnemonic(_ op: Arm64ALU) -> String {
        switch op {
        case .add: return "add"
        case .sub: return "sub"
        case .mul: return "mul"
        case .sdiv: return "sdiv"
        case .udiv: return "udiv"
        case .and: return "and"
        case .orr: return "orr"
        case .eor: return "eor"
        case .lsl: return "lsl"
        case .lsr: return "lsr"
        case .asr: return "asr"
        }
    }

    static func mnemonic(_ op: Arm64FloatOp) -> String {
        switch op {
        case .fadd: return "fadd"
        case .fsub: return "fsub"
        case .fmul: return "fmul"
        case .fdiv: return "fdiv"
        }
    }

    /// The branch to successor `k` of `block`, omitted when it is the next block.
    mutating func branch(to k: Int, of block: Int) {
        let s = mf.blocks[block].successors[k]
        if s.int != block + 1 { line("b \(label(s))") }
    }

    /// `cmp`/`cmn` of register `a` with an immediate.
    mutating func compareImmediate(_ a: String, _ imm: Int64) {
        if imm >= 0 { line("cmp \(a), \(addSubOperand(imm))") } else { line("cmn \(a), \(addSubOperand(-imm))") }
    }

    /// The address of `a` as (base register name, offset); `k` is the base operand's index
    /// (an indexed address has none: see `indexed`).
    func memory(_ a: Arm64Address, baseOperand k: Int) -> (String, Int64) {
        switch a {
        case .base(let off): return (reg(k), Int64(off))
        case .slot(let s, let off): return ("x29", frameOffset(frame.allocOffsets[Int(s)]) + Int64(off))
        case .indexed: return (reg(k), 0)
        }
    }

    /// `[base, index{, extend #shift}]` with base and index operands `k` and `k + 1`.
    func indexed(_ shift: UInt8, _ extend: Arm64IndexExtend, baseOperand k: Int) -> String {
        switch extend {
        case .none, .lsl: return shift == 0 ? "[\(reg(k)), \(reg(k + 1))]" : "[\(reg(k)), \(reg(k + 1)), lsl #\(shift)]"
        case .sxtw, .uxtw:
            let e = extend == .sxtw ? "sxtw" : "uxtw"
            return shift == 0 ? "[\(reg(k)), \(reg(k + 1, 4)), \(e)]" : "[\(reg(k)), \(reg(k + 1, 4)), \(e) #\(shift)]"
        }
    }

    /// Copies `n` bytes from the address in x16 to the one in x17 through
    /// v31, advancing both (post-indexed accesses).
    mutating func copyBytes(_ n: Int) {
        var left = n
        for (size, r) in [(8, "d31"), (4, "s31"), (2, "h31"), (1, "b31")] {
            while left >= size {
                line("ldr \(r), [x16], #\(size)")
                line("str \(r), [x17], #\(size)")
                left -= size
            }
        }
    }

    mutating func emitInstruction(_ i: Int, block: Int) {
        let ins = mf.instructions[i]
        let o = Int(ins.operandStart)
        switch ins.payload {
        case .parameters:
            break
        case .stackParameter(let off, let float, let wide):
            let size = wide ? 8 : 4
            access("ldr", "ldur", reg(o, float || wide ? size : 4), base: "x29",
                   offset: Int64(frame.arm64Total) + Int64(off), size: size)
        case .stackParameterAddress(let off):
            addImmediate(reg(o), "x29", Int64(frame.arm64Total) + Int64(off))
        case .copyToOutgoing(let off, let size):
            line("mov x16, \(reg(o))")
            addImmediate("x17", "sp", Int64(off))
            copyBytes(Int(size))
        case .vaStart(let save, let gr, let vr, let stack):
            emitVAStart(ap: reg(o), saveSlot: save, grOffset: gr, vrOffset: vr, namedStack: stack)
        case .vaArg(let float, let wide):
            emitVAArg(ap: reg(o), dest: reg(o + 1, wide ? 8 : 4), float: float)
        case .movImm(let v):
            loadImmediate(reg(o), v)
        case .symbolAddress(let s, let off):
            let d = reg(o)
            line("adrp \(d), \(symbol(s, off))")
            line("add \(d), \(d), :lo12:\(symbol(s, off))")
        case .gotAddress(let s, let off):
            let d = reg(o)
            line("adrp \(d), :got:\(symbol(s, 0))")
            line("ldr \(d), [\(d), :got_lo12:\(symbol(s, 0))]")
            if off != 0 { addImmediate(d, d, off) }
        case .tlsAddress(let s, let off):
            let d = reg(o)
            line("mrs \(d), tpidr_el0")
            line("add \(d), \(d), #:tprel_hi12:\(symbol(s, off)), lsl #12")
            line("add \(d), \(d), #:tprel_lo12_nc:\(symbol(s, off))")
        case .tlsInitialExecAddress(let s, let off):
            let d = reg(o)
            line("adrp \(d), :gottprel:\(symbol(s, 0))")
            line("ldr \(d), [\(d), #:gottprel_lo12:\(symbol(s, 0))]")
            line("mrs x17, tpidr_el0")
            line("add \(d), \(d), x17")
            if off != 0 { addImmediate(d, d, off) }
        case .floatConst(let bits, let double):
            if bits == 0 {
                line("fmov \(reg(o, double ? 8 : 4)), \(double ? "xzr" : "wzr")")
            } else {
                loadImmediate("x16", Int64(bitPattern: bits))
                line("fmov \(reg(o, double ? 8 : 4)), \(double ? "x16" : "w16")")
            }
        case .slotAddress(let s, let off):
            addImmediate(reg(o), "x29", frameOffset(frame.allocOffsets[Int(s)]) + Int64(off))
        case .mov(let float):
            if reg(o) != reg(o + 1) { line("\(float ? "fmov" : "mov") \(reg(o + 1)), \(reg(o))") }
        case .alu(let op, let wide):
            let n = wide ? 8 : 4
            line("\(Self.mnemonic(op)) \(reg(o + 2, n)), \(reg(o, n)), \(reg(o + 1, n))")
        case .aluShifted(let op, let wide, let shift):
            let n = wide ? 8 : 4
            line("\(Self.mnemonic(op)) \(reg(o + 2, n)), \(reg(o, n)), \(reg(o + 1, n)), lsl #\(shift)")
        case .aluImm(let op, let wide, let imm):
            let n = wide ? 8 : 4
            let operand: String
            switch op {
            case .add, .sub: operand = addSubOperand(imm)
            case .and, .orr, .eor:
                let bits = UInt64(bitPattern: imm) & (wide ? ~0 : 0xffff_ffff)
                operand = "#0x" + String(bits, radix: 16)
            default: operand = "#\(imm)"
            }
            line("\(Self.mnemonic(op)) \(reg(o + 1, n)), \(reg(o, n)), \(operand)")
        case .multiplyAdd(let subtract, let wide):
            let n = wide ? 8 : 4
            line("\(subtract ? "msub" : "madd") \(reg(o + 3, n)), \(reg(o, n)), \(reg(o + 1, n)), \(reg(o + 2, n))")
        case .rem(let signed, let wide):
            let n = wide ? 8 : 4
            let t = wide ? "x17" : "w17"
            line("\(signed ? "sdiv" : "udiv") \(t), \(reg(o, n)), \(reg(o + 1, n))")
            line("msub \(reg(o + 2, n)), \(t), \(reg(o + 1, n)), \(reg(o, n))")
        case .neg(let wide):
            line("neg \(reg(o + 1, wide ? 8 : 4)), \(reg(o, wide ? 8 : 4))")
        case .floatALU(let op, let double):
            let n = double ? 8 : 4
            line("\(Self.mnemonic(op)) \(reg(o + 2, n)), \(reg(o, n)), \(reg(o + 1, n))")
        case .floatNeg(let double):
            line("fneg \(reg(o + 1, double ? 8 : 4)), \(reg(o, double ? 8 : 4))")
        case .floatSqrt(let double):
            line("fsqrt \(reg(o + 1, double ? 8 : 4)), \(reg(o, double ? 8 : 4))")
        case .cmpSet(let c, let wide):
            line("cmp \(reg(o, wide ? 8 : 4)), \(reg(o + 1, wide ? 8 : 4))")
            line("cset \(reg(o + 2, 4)), \(c.name)")
        case .cmpImmSet(let c, let wide, let imm):
            compareImmediate(reg(o, wide ? 8 : 4), imm)
            line("cset \(reg(o + 1, 4)), \(c.name)")
        case .floatCmpSet(let c, let double):
            line("fcmp \(reg(o, double ? 8 : 4)), \(reg(o + 1, double ? 8 : 4))")
            line("cset \(reg(o + 2, 4)), \(c.name)")
        case .load(let kind, let wide, let a):
            let (base, off) = memory(a, baseOperand: o)
            var d = o
            if case .base = a { d = o + 1 }
            if case .indexed = a { d = o + 2 }
            let (m, u, r, size): (String, String, String, Int)
            switch kind {
            case .sb: (m, u, r, size) = ("ldrsb", "ldursb", reg(d, wide ? 8 : 4), 1)
            case .ub: (m, u, r, size) = ("ldrb", "ldurb", reg(d, 4), 1)
            case .sh: (m, u, r, size) = ("ldrsh", "ldursh", reg(d, wide ? 8 : 4), 2)
            case .uh: (m, u, r, size) = ("ldrh", "ldurh", reg(d, 4), 2)
            case .sw: (m, u, r, size) = ("ldrsw", "ldursw", reg(d, 8), 4)
            case .uw: (m, u, r, size) = ("ldr", "ldur", reg(d, 4), 4)
            case .l: (m, u, r, size) = ("ldr", "ldur", reg(d, 8), 8)
            case .s: (m, u, r, size) = ("ldr", "ldur", reg(d, 4), 4)
            case .d: (m, u, r, size) = ("ldr", "ldur", reg(d, 8), 8)
            }
            if case .indexed(let shift, let ext) = a { line("\(m) \(r), \(indexed(shift, ext, baseOperand: o))") }
            else { access(m, u, r, base: base, offset: off, size: size) }
        case .store(let size, _, .indexed(let shift, let ext)):
            let m = size == 1 ? "strb" : size == 2 ? "strh" : "str"
            line("\(m) \(reg(o, size <= 4 ? 4 : 8)), \(indexed(shift, ext, baseOperand: o + 1))")
        case .store(let size, _, let a):
            let (base, off) = memory(a, baseOperand: o + 1)
            switch size {
            case 1: access("strb", "sturb", reg(o, 4), base: base, offset: off, size: 1)
            case 2: access("strh", "sturh", reg(o, 4), base: base, offset: off, size: 2)
            default: access("str", "stur", reg(o, size), base: base, offset: off, size: size)
            }
        case .convert(let k, let wide, let double):
            let n = wide ? 8 : 4, f = double ? 8 : 4
            let a = o, d = o + 1
            switch k {
            case .extsb: line("sxtb \(reg(d, n)), \(reg(a, 4))")
            case .extub: line("uxtb \(reg(d, 4)), \(reg(a, 4))")
            case .extsh: line("sxth \(reg(d, n)), \(reg(a, 4))")
            case .extuh: line("uxth \(reg(d, 4)), \(reg(a, 4))")
            case .extsw: line(wide ? "sxtw \(reg(d, 8)), \(reg(a, 4))" : "mov \(reg(d, 4)), \(reg(a, 4))")
            case .extuw: line("mov \(reg(d, 4)), \(reg(a, 4))")
            case .stod: line("fcvt \(reg(d, 8)), \(reg(a, 4))")
            case .dtos: line("fcvt \(reg(d, 4)), \(reg(a, 8))")
            case .ftosi: line("fcvtzs \(reg(d, n)), \(reg(a, f))")
            case .ftoui: line("fcvtzu \(reg(d, n)), \(reg(a, f))")
            case .sitof: line("scvtf \(reg(d, f)), \(reg(a, n))")
            case .uitof: line("ucvtf \(reg(d, f)), \(reg(a, n))")
            case .intToFloat: line("fmov \(reg(d, f)), \(reg(a, n))")
            case .floatToInt: line("fmov \(reg(d, n)), \(reg(a, f))")
            }
        case .adjustStack(let n):
            line(n < 0 ? "sub sp, sp, \(addSubOperand(Int64(-n)))" : "add sp, sp, \(addSubOperand(Int64(n)))")
        case .storeOutgoing(let off, let float, let wide):
            // Integers fill the whole 8-byte slot; floats only their own width.
            let size = float && !wide ? 4 : 8
            access("str", "stur", reg(o, size), base: "sp", offset: Int64(off), size: size)
        case .call(let s):
            if let s { line("bl \(symbol(s, 0))") } else { line("blr \(reg(o))") }
            if ins.isSafepoint { emitSafepoint(i) }
        case .allocate(let layout, let words):
            emitInlineAllocation(i, layout: layout, words: words)
        case .cardMark(let a):
            emitCardMark(a, baseOperand: o)
        case .blit(let n):
            line("mov x16, \(reg(o))")
            line("mov x17, \(reg(o + 1))")
            copyBytes(Int(n))
        case .dynamicAlloc:
            line("add x16, \(reg(o)), #15")
            line("and x16, x16, #0xfffffffffffffff0")
            line("sub sp, sp, x16")
            line("mov \(reg(o + 1)), sp")
        case .dbgloc(let l, let c):
            if fileNumber > 0 { line(".loc \(fileNumber) \(l) \(c)") }
        case .jmp:
            branch(to: 0, of: block)
        case .jnz(let wide):
            line("cbnz \(reg(o, wide ? 8 : 4)), \(label(mf.blocks[block].successors[0]))")
            branch(to: 1, of: block)
        case .jz(let wide):
            line("cbz \(reg(o, wide ? 8 : 4)), \(label(mf.blocks[block].successors[0]))")
            branch(to: 1, of: block)
        case .cmpJump(let c, let wide):
            line("cmp \(reg(o, wide ? 8 : 4)), \(reg(o + 1, wide ? 8 : 4))")
            line("b.\(c.name) \(label(mf.blocks[block].successors[0]))")
            branch(to: 1, of: block)
        case .cmpImmJump(let c, let wide, let imm):
            compareImmediate(reg(o, wide ? 8 : 4), imm)
            line("b.\(c.name) \(label(mf.blocks[block].successors[0]))")
            branch(to: 1, of: block)
        case .floatCmpJump(let c, let double):
            line("fcmp \(reg(o, double ? 8 : 4)), \(reg(o + 1, double ? 8 : 4))")
            line("b.\(c.name) \(label(mf.blocks[block].successors[0]))")
            branch(to: 1, of: block)
        case .ret:
            epilogue()
        case .tailCall(let s):
            // The epilogue of `ret`, then a branch: the callee returns to our caller.
            epilogue(returning: false)
            if let s { line("b \(symbol(s, 0))") } else { line("br \(reg(o))") }
        case .hlt:
            line("brk #1000")
        }
    }
}
