/// Printing of each `X64Inst` payload with its allocated registers (see
/// X64Instruction.swift for the operand order of every case).
import KeelCodegen
import KeelIR

extension X64Emitter {
    func setcc(_ c: X64Cond) -> String { "set\(c.name)" }

    mutating func emitInstruction(_ i: Int, block: Int) {
        let inst = mf.instructions[i]
        let o = Int(inst.operandStart)
        switch inst.payload {
        case .parameters:
            break
        case .stackParameter(let off, let float, let size):
            let src = "\(16 + off)(%rbp)"
            if float { line("\(size == 4 ? "movss" : "movsd") \(src), \(reg(o))") }
            else { line("\(size == 4 ? "movl" : "movq") \(src), \(reg(o, size: size))") }
        case .stackParameterAddress(let off):
            line("leaq \(16 + off)(%rbp), \(reg(o))")
        case .copyToOutgoing(let off, let n):
            copyBytes(n, from: "\(reg(o))", fromOffset: 0, to: "%rsp", toOffset: off)
        case .vaStart(let slot, let gp, let fp, let overflow):
            let ap = reg(o)
            line("movl $\(gp), (\(ap))")
            line("movl $\(fp), 4(\(ap))")
            line("leaq \(16 + overflow)(%rbp), %r11")
            line("movq %r11, 8(\(ap))")
            line("leaq \(frame.allocOffsets[Int(slot)])(%rbp), %r11")
            line("movq %r11, 16(\(ap))")
        case .vaArg(let float, let size):
            let ap = reg(o), t = reg(o + 2)
            let field = float ? "4(\(ap))" : "(\(ap))"
            line("movl \(field), %r11d")
            line("cmpl $\(float ? 176 : 48), %r11d")
            line("jae 1f")
            line("movq 16(\(ap)), \(t)")
            line("addq %r11, \(t)")
            line("addl $\(float ? 16 : 8), %r11d")
            line("movl %r11d, \(field)")
            line("jmp 2f")
            out += "1:\n"
            line("movq 8(\(ap)), \(t)")
            line("leaq 8(\(t)), %r11")
            line("movq %r11, 8(\(ap))")
            out += "2:\n"
            if float { line("\(size == 4 ? "movss" : "movsd") (\(t)), \(reg(o + 1))") }
            else { line("mov\(suffix(size)) (\(t)), \(reg(o + 1, size: size))") }
        case .movImm(_, let imm):
            if Int32(exactly: imm) != nil {
                if imm >= 0 { line("movl $\(imm), \(reg(o, size: 4))") } else { line("movq $\(imm), \(reg(o))") }
            } else if UInt32(exactly: imm) != nil {
                line("movl $\(imm), \(reg(o, size: 4))")
            } else {
                line("movabsq $\(imm), \(reg(o))")
            }
        case .leaSymbol(let s, let off):
            line("leaq \(symbol(s, off))(%rip), \(reg(o))")
        case .gotAddress(let s, let off):
            line("movq \(module.name(s))@GOTPCREL(%rip), \(reg(o))")
            if off != 0 {
                if Int32(exactly: off) != nil { line("addq $\(off), \(reg(o))") }
                else {
                    line("movabsq $\(off), %r11")
                    line("addq %r11, \(reg(o))")
                }
            }
        case .tlsAddress(let s, let off):
            line("movq %fs:0, \(reg(o))")
            line("leaq \(module.name(s))@tpoff\(off == 0 ? "" : off > 0 ? "+\(off)" : "\(off)")(\(reg(o))), \(reg(o))")
        case .tlsInitialExecAddress(let s, let off):
            line("movq \(module.name(s))@GOTTPOFF(%rip), \(reg(o))")
            line("addq %fs:0, \(reg(o))")
            if off != 0 { line("leaq \(off)(\(reg(o))), \(reg(o))") }
        case .floatConst(let index, let double):
            line("\(double ? "movsd" : "movss") .Lfp\(id)_\(index)(%rip), \(reg(o))")
        case .slotAddress(let s, let off):
            line("leaq \(frame.allocOffsets[Int(s)] + off)(%rbp), \(reg(o))")
        case .mov(let float):
            if reg(o) != reg(o + 1) { line("\(float ? "movaps" : "movq") \(reg(o)), \(reg(o + 1))") }
        case .alu(let op, let size):
            line("\(aluName(op))\(suffix(size)) \(reg(o + 1, size: size)), \(reg(o + 2, size: size))")
        case .aluImm(let op, let size, let imm):
            line("\(aluName(op))\(suffix(size)) $\(imm), \(reg(o + 1, size: size))")
        case .neg(let size):
            line("neg\(suffix(size)) \(reg(o + 1, size: size))")
        case .div(let signed, let size):
            if signed { line(size == 8 ? "cqto" : "cltd") } else { line("xorl %edx, %edx") }
            line("\(signed ? "idiv" : "div")\(suffix(size)) \(reg(o + 1, size: size))")
        case .shift(let op, let size):
            line("\(op)\(suffix(size)) %cl, \(reg(o + 2, size: size))")
        case .shiftImm(let op, let size, let imm):
            line("\(op)\(suffix(size)) $\(imm), \(reg(o + 1, size: size))")
        case .cmpSet(let c, let size):
            line("cmp\(suffix(size)) \(reg(o + 1, size: size)), \(reg(o, size: size))")
            line("\(setcc(c)) \(reg(o + 2, size: 1))")
            line("movzbl \(reg(o + 2, size: 1)), \(reg(o + 2, size: 4))")
        case .cmpImmSet(let c, let size, let imm):
            line("cmp\(suffix(size)) $\(imm), \(reg(o, size: size))")
            line("\(setcc(c)) \(reg(o + 1, size: 1))")
            line("movzbl \(reg(o + 1, size: 1)), \(reg(o + 1, size: 4))")
        case .floatCmpSet(let c, let double):
            let d8 = reg(o + 2, size: 1)
            let ucom = double ? "ucomisd" : "ucomiss"
            switch c {
            case .eq, .ne:
                line("\(ucom) \(reg(o + 1)), \(reg(o))")
                line(c == .eq ? "sete \(d8)" : "setne \(d8)")
                line(c == .eq ? "setnp %r11b" : "setp %r11b")
                line(c == .eq ? "andb %r11b, \(d8)" : "orb %r11b, \(d8)")
            case .gt, .ge, .o, .uo:
                line("\(ucom) \(reg(o + 1)), \(reg(o))")
                line(c == .gt ? "seta \(d8)" : c == .ge ? "setae \(d8)" : c == .o ? "setnp \(d8)" : "setp \(d8)")
            case .lt, .le:
                line("\(ucom) \(reg(o)), \(reg(o + 1))")
                line(c == .lt ? "seta \(d8)" : "setae \(d8)")
            }
            line("movzbl \(d8), \(reg(o + 2, size: 4))")
        case .load(let kind, let size, let addr):
            let base = addr.usesBase ? o : nil
            let d = addr.usesBase ? o + 1 : o
            let m = address(addr, base: base)
            let s = suffix(size)
            switch kind {
            case .sb: line("movsb\(s) \(m), \(reg(d, size: size))")
            case .ub: line("movzb\(s) \(m), \(reg(d, size: size))")
            case .sh: line("movsw\(s) \(m), \(reg(d, size: size))")
            case .uh: line("movzw\(s) \(m), \(reg(d, size: size))")
            case .sw: line(size == 8 ? "movslq \(m), \(reg(d))" : "movl \(m), \(reg(d, size: 4))")
            case .uw: line("movl \(m), \(reg(d, size: 4))")
            case .l: line("movq \(m), \(reg(d))")
            case .s: line("movss \(m), \(reg(d))")
            case .d: line("movsd \(m), \(reg(d))")
            }
        case .store(let size, let float, let addr):
            let m = address(addr, base: addr.usesBase ? o + 1 : nil)
            if float { line("\(size == 4 ? "movss" : "movsd") \(reg(o)), \(m)") }
            else { line("mov\(suffix(size)) \(reg(o, size: size)), \(m)") }
        case .storeImm(let size, let imm, let addr):
            let m = address(addr, base: addr.usesBase ? o : nil)
            let v: Int64 = size == 1 ? Int64(Int8(truncatingIfNeeded: imm)) : size == 2 ? Int64(Int16(truncatingIfNeeded: imm)) : Int64(imm)
            line("mov\(suffix(size)) $\(v), \(m)")
        case .convert(let k, let size, let double):
            emitConvert(k, size: size, double: double, o)
        case .floatALU(let op, let double):
            let name: String
            switch op {
            case .add: name = "add"
            case .sub: name = "sub"
            case .mul: name = "mul"
            case .div: name = "div"
            }
            line("\(name)\(double ? "sd" : "ss") \(reg(o + 1)), \(reg(o + 2))")
        case .floatNeg(let double):
            let d = reg(o + 1)
            if double {
                line("movq \(d), %r11")
                line("btcq $63, %r11")
                line("movq %r11, \(d)")
            } else {
                line("movd \(d), %r11d")
                line("xorl $0x80000000, %r11d")
                line("movd %r11d, \(d)")
            }
        case .adjustStack(let n):
            line(n < 0 ? "subq $\(-n), %rsp" : "addq $\(n), %rsp")
        case .storeOutgoing(let off, let float):
            line("\(float ? "movsd" : "movq") \(reg(o)), \(off)(%rsp)")
        case .call(let s):
            if let s { line("call \(module.name(s))") } else { line("call *\(reg(o))") }
        case .blit(let n):
            copyBytes(n, from: reg(o), fromOffset: 0, to: reg(o + 1), toOffset: 0)
        case .dynamicAlloc:
            let d = reg(o + 1)
            line("addq $15, \(d)")
            line("andq $-16, \(d)")
            line("subq \(d), %rsp")
            line("movq %rsp, \(d)")
        case .dbgloc(let l, let c):
            if fileNumber > 0 { line(".loc \(fileNumber) \(l) \(c)") }
        case .jmp:
            jumpTo(mf.blocks[block].successors[0], from: block)
        case .jnz(let size):
            line("test\(suffix(size)) \(reg(o, size: size)), \(reg(o, size: size))")
            branch("jne", "je", block)
        case .cmpJump(let c, let size):
            line("cmp\(suffix(size)) \(reg(o + 1, size: size)), \(reg(o, size: size))")
            branch("j\(c.name)", "j\(c.negated.name)", block)
        case .cmpImmJump(let c, let size, let imm):
            line("cmp\(suffix(size)) $\(imm), \(reg(o, size: size))")
            branch("j\(c.name)", "j\(c.negated.name)", block)
        case .floatCmpJump(let c, let double):
            let ucom = double ? "ucomisd" : "ucomiss"
            let succ = mf.blocks[block].successors
            let t = label(succ[0]), f = label(succ[1])
            switch c {
            case .eq:
                line("\(ucom) \(reg(o + 1)), \(reg(o))")
                line("jp \(f)")
                line("je \(t)")
                jumpTo(succ[1], from: block)
            case .ne:
                line("\(ucom) \(reg(o + 1)), \(reg(o))")
                line("jp \(t)")
                line("jne \(t)")
                jumpTo(succ[1], from: block)
            case .gt, .ge, .o, .uo:
                line("\(ucom) \(reg(o + 1)), \(reg(o))")
                let j = c == .gt ? ("ja", "jbe") : c == .ge ? ("jae", "jb") : c == .o ? ("jnp", "jp") : ("jp", "jnp")
                branch(j.0, j.1, block)
            case .lt, .le:
                line("\(ucom) \(reg(o)), \(reg(o + 1))")
                branch(c == .lt ? "ja" : "jae", c == .lt ? "jbe" : "jb", block)
            }
        case .ret:
            for (r, off) in frame.saved { line("movq \(off)(%rbp), \(X64Reg.name(r))") }
            line("leave")
            line("ret")
        case .hlt:
            line("ud2")
        }
    }

    /// Copies `n` bytes between memory at two registers through the scratch register.
    mutating func copyBytes(_ n: Int32, from src: String, fromOffset: Int32, to dst: String, toOffset: Int32) {
        var off: Int32 = 0
        if n >= 64 {
            // A loop for the whole eightbytes (r11 counts, xmm15 carries), straight code for the tail.
            let whole = n / 8 * 8
            line("xorl %r11d, %r11d")
            out += "1:\n"
            line("movq \(fromOffset)(\(src),%r11), %xmm15")
            line("movq %xmm15, \(toOffset)(\(dst),%r11)")
            line("addq $8, %r11")
            line("cmpq $\(whole), %r11")
            line("jb 1b")
            off = whole
        }
        for w: Int32 in [8, 4, 2, 1] {
            while n - off >= w {
                let r = X64Reg.name(X64Reg.r11, size: Int(w))
                line("mov\(suffix(Int(w))) \(fromOffset + off)(\(src)), \(r)")
                line("mov\(suffix(Int(w))) \(r), \(toOffset + off)(\(dst))")
                off += w
            }
        }
    }

    func aluName(_ op: X64ALU) -> String {
        switch op {
        case .add: return "add"
        case .sub: return "sub"
        case .and: return "and"
        case .or: return "or"
        case .xor: return "xor"
        case .imul: return "imul"
        }
    }

    mutating func jumpTo(_ target: MBlock, from block: Int) {
        if target.int != block + 1 { line("jmp \(label(target))") }
    }

    /// A two-way branch on flags: `jcc` to the true successor, else to the false one.
    mutating func branch(_ jcc: String, _ inverse: String, _ block: Int) {
        let succ = mf.blocks[block].successors
        if succ[0].int == block + 1 {
            line("\(inverse) \(label(succ[1]))")
        } else {
            line("\(jcc) \(label(succ[0]))")
            jumpTo(succ[1], from: block)
        }
    }

    mutating func emitConvert(_ k: X64Convert, size: Int, double: Bool, _ o: Int) {
        let a = o, d = o + 1
        let s = suffix(size)
        switch k {
        case .extsb: line("movsb\(s) \(reg(a, size: 1)), \(reg(d, size: size))")
        case .extub: line("movzb\(s) \(reg(a, size: 1)), \(reg(d, size: size))")
        case .extsh: line("movsw\(s) \(reg(a, size: 2)), \(reg(d, size: size))")
        case .extuh: line("movzw\(s) \(reg(a, size: 2)), \(reg(d, size: size))")
        case .extsw: line("movslq \(reg(a, size: 4)), \(reg(d))")
        case .extuw: line("movl \(reg(a, size: 4)), \(reg(d, size: 4))")
        case .stod: line("cvtss2sd \(reg(a)), \(reg(d))")
        case .dtos: line("cvtsd2ss \(reg(a)), \(reg(d))")
        case .stosi, .dtosi:
            line("cvtt\(double ? "sd" : "ss")2si\(s) \(reg(a)), \(reg(d, size: size))")
        case .stoui, .dtoui:
            let x = double ? "sd" : "ss"
            line("cvtt\(x)2siq \(reg(a)), \(reg(d))")
            if size == 8 {
                usesTwo63 = true
                line("testq \(reg(d)), \(reg(d))")
                line("jns 1f")
                line("movaps \(reg(a)), %xmm15")
                line("sub\(x) .Lkeel_two63\(double ? "d" : "s")(%rip), %xmm15")
                // d holds 2^63 (the "indefinite" result) here; OR in the rest.
                // A NaN stays 2^63 (QBE's result too).
                line("cvtt\(x)2siq %xmm15, %r11")
                line("orq %r11, \(reg(d))")
                out += "1:\n"
            }
        case .swtof:
            line("cvtsi2\(double ? "sd" : "ss")l \(reg(a, size: 4)), \(reg(d))")
        case .uwtof:
            line("movl \(reg(a, size: 4)), %r11d")
            line("cvtsi2\(double ? "sd" : "ss")q %r11, \(reg(d))")
        case .sltof:
            line("cvtsi2\(double ? "sd" : "ss")q \(reg(a)), \(reg(d))")
        case .ultof:
            let x = double ? "sd" : "ss"
            let t = reg(o + 2)
            line("testq \(reg(a)), \(reg(a))")
            line("js 1f")
            line("cvtsi2\(x)q \(reg(a)), \(reg(d))")
            line("jmp 2f")
            out += "1:\n"
            line("movq \(reg(a)), \(t)")
            line("shrq \(t)")
            line("movl \(reg(a, size: 4)), %r11d")
            line("andl $1, %r11d")
            line("orq %r11, \(t)")
            line("cvtsi2\(x)q \(t), \(reg(d))")
            line("add\(x) \(reg(d)), \(reg(d))")
            out += "2:\n"
        case .intToFloat:
            line("\(size == 4 ? "movd" : "movq") \(reg(a, size: size)), \(reg(d))")
        case .floatToInt:
            line("\(size == 4 ? "movd" : "movq") \(reg(a)), \(reg(d, size: size))")
        }
    }
}

extension X64Cond {
    var negated: X64Cond {
        switch self {
        case .e: return .ne
        case .ne: return .e
        case .ge: return .l
        case .l: return .ge
        case .g: return .le
        case .le: return .g
        case .ae: return .b
        case .b: return .ae
        case .a: return .be
        case .be: return .a
        }
    }
}
