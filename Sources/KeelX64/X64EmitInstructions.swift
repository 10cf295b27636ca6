// Printing of each `X64Inst` payload with its allocated registers (see
// X64Instruction.swift for the operand order of every case).
//
// Every line is written piece by piece into the emitter's AssemblyWriter:
// `start` writes the mnemonic, then registers, immediates and addresses are
// appended as bytes, and `end` closes the line. No String is built per
// instruction.
import KeelCodegen
import KeelIR

extension X64Emitter {
    mutating func emitInstruction(_ i: Int, block: Int) {
        let inst = mf.instructions[i]
        let o = Int(inst.operandStart)
        switch inst.payload {
        case .parameters:
            break
        case .stackParameter(let off, let float, let size):
            if float { start(size == 4 ? "movss" : "movsd") } else { start(size == 4 ? "movl" : "movq") }
            frameCell(16 + Int64(off)); comma(); reg(o, float ? 8 : size); end()
        case .stackParameterAddress(let off):
            start("leaq"); frameCell(16 + Int64(off)); comma(); reg(o); end()
        case .copyToOutgoing(let off, let n):
            copyBytes(n, from: .operand(o), fromOffset: 0, to: .rsp, toOffset: off)
        case .vaStart(let slot, let gp, let fp, let overflow):
            start("movl"); imm(gp); text(", ("); reg(o); text(")"); end()
            start("movl"); imm(fp); text(", 4("); reg(o); text(")"); end()
            start("leaq"); frameCell(16 + Int64(overflow)); text(", %r11"); end()
            start("movq"); text("%r11, 8("); reg(o); text(")"); end()
            start("leaq"); frameCell(frame.allocOffsets[Int(slot)]); text(", %r11"); end()
            start("movq"); text("%r11, 16("); reg(o); text(")"); end()
        case .vaArg(let float, let size):
            let ap = o, t = o + 2
            start("movl"); text(float ? "4(" : "("); reg(ap); text("), %r11d"); end()
            start("cmpl"); text(float ? "$176, %r11d" : "$48, %r11d"); end()
            line("jae 1f")
            start("movq"); text("16("); reg(ap); text("), "); reg(t); end()
            start("addq"); text("%r11, "); reg(t); end()
            start("addl"); text(float ? "$16, %r11d" : "$8, %r11d"); end()
            start("movl"); text("%r11d, "); text(float ? "4(" : "("); reg(ap); text(")"); end()
            line("jmp 2f")
            text("1:\n")
            start("movq"); text("8("); reg(ap); text("), "); reg(t); end()
            start("leaq"); text("8("); reg(t); text("), %r11"); end()
            start("movq"); text("%r11, 8("); reg(ap); text(")"); end()
            text("2:\n")
            if float { start(size == 4 ? "movss" : "movsd") } else { start("mov", size) }
            text("("); reg(t); text("), "); reg(o + 1, float ? 8 : size); end()
        case .movImm(_, let imm):
            if Int32(exactly: imm) != nil {
                if imm >= 0 { start("movl"); self.imm(imm); comma(); reg(o, 4) } else { start("movq"); self.imm(imm); comma(); reg(o) }
            } else if UInt32(exactly: imm) != nil {
                start("movl"); self.imm(imm); comma(); reg(o, 4)
            } else {
                start("movabsq"); self.imm(imm); comma(); reg(o)
            }
            end()
        case .leaSymbol(let s, let off):
            start("leaq"); symbol(s, off); text("(%rip), "); reg(o); end()
        case .gotAddress(let s, let off):
            start("movq"); symbolName(s); text("@GOTPCREL(%rip), "); reg(o); end()
            if off != 0 {
                if Int32(exactly: off) != nil {
                    start("addq"); imm(off); comma(); reg(o); end()
                } else {
                    start("movabsq"); imm(off); text(", %r11"); end()
                    start("addq"); text("%r11, "); reg(o); end()
                }
            }
        case .tlsAddress(let s, let off):
            start("movq"); text("%fs:0, "); reg(o); end()
            start("leaq"); symbolName(s); text("@tpoff")
            if off > 0 { text("+") }
            if off != 0 { number(off) }
            text("("); reg(o); text("), "); reg(o); end()
        case .tlsInitialExecAddress(let s, let off):
            start("movq"); symbolName(s); text("@GOTTPOFF(%rip), "); reg(o); end()
            start("addq"); text("%fs:0, "); reg(o); end()
            if off != 0 { start("leaq"); number(off); text("("); reg(o); text("), "); reg(o); end() }
        case .floatConst(let index, let double):
            start(double ? "movsd" : "movss"); text(".Lfp"); number(id); text("_"); number(index)
            text("(%rip), "); reg(o); end()
        case .slotAddress(let s, let off):
            start("leaq"); frameCell(Int64(frame.allocOffsets[Int(s)]) + Int64(off)); comma(); reg(o); end()
        case .mov(let float):
            if alloc.operandLocations[o] != alloc.operandLocations[o + 1] {
                start(float ? "movaps" : "movq"); reg(o); comma(); reg(o + 1); end()
            }
        case .alu(let op, let size):
            start(aluName(op), size); reg(o + 1, size); comma(); reg(o + 2, size); end()
        case .aluImm(let op, let size, let imm):
            start(aluName(op), size); self.imm(imm); comma(); reg(o + 1, size); end()
        case .neg(let size):
            start("neg", size); reg(o + 1, size); end()
        case .div(let signed, let size):
            if signed { line(size == 8 ? "cqto" : "cltd") } else { line("xorl %edx, %edx") }
            start(signed ? "idiv" : "div", size); reg(o + 1, size); end()
        case .mulHigh(let signed):
            start(signed ? "imulq" : "mulq"); reg(o + 1); end()
        case .shift(let op, let size):
            start(shiftName(op), size); text("%cl, "); reg(o + 2, size); end()
        case .shiftImm(let op, let size, let imm):
            start(shiftName(op), size); self.imm(imm); comma(); reg(o + 1, size); end()
        case .cmpSet(let c, let size):
            start("cmp", size); reg(o + 1, size); comma(); reg(o, size); end()
            setcc(c, o + 2)
        case .cmpImmSet(let c, let size, let imm):
            start("cmp", size); self.imm(imm); comma(); reg(o, size); end()
            setcc(c, o + 1)
        case .cmpSelect(let c, let size, let resultSize):
            start("cmp", size); reg(o + 1, size); comma(); reg(o, size); end()
            start(c.moveMnemonic); reg(o + 3, resultSize); comma(); reg(o + 4, resultSize); end()
        case .cmpImmSelect(let c, let size, let imm, let resultSize):
            start("cmp", size); self.imm(imm); comma(); reg(o, size); end()
            start(c.moveMnemonic); reg(o + 2, resultSize); comma(); reg(o + 3, resultSize); end()
        case .floatCmpSet(let c, let double):
            let d = o + 2
            let ucom: StaticString = double ? "ucomisd" : "ucomiss"
            switch c {
            case .eq, .ne:
                start(ucom); reg(o + 1); comma(); reg(o); end()
                start(c == .eq ? "sete" : "setne"); reg(d, 1); end()
                line(c == .eq ? "setnp %r11b" : "setp %r11b")
                start(c == .eq ? "andb" : "orb"); text("%r11b, "); reg(d, 1); end()
            case .gt, .ge, .o, .uo:
                start(ucom); reg(o + 1); comma(); reg(o); end()
                start(c == .gt ? "seta" : c == .ge ? "setae" : c == .o ? "setnp" : "setp"); reg(d, 1); end()
            case .lt, .le:
                start(ucom); reg(o); comma(); reg(o + 1); end()
                start(c == .lt ? "seta" : "setae"); reg(d, 1); end()
            }
            start("movzbl"); reg(d, 1); comma(); reg(d, 4); end()
        case .load(let kind, let size, let addr):
            let base = addr.usesBase ? o : nil
            let d = o + addr.registerCount
            var dsize = size
            switch kind {
            case .sb: start("movsb", size)
            case .ub: start("movzb", size)
            case .sh: start("movsw", size)
            case .uh: start("movzw", size)
            case .sw:
                if size == 8 { start("movslq"); dsize = 8 } else { start("movl"); dsize = 4 }
            case .uw: start("movl"); dsize = 4
            case .l: start("movq"); dsize = 8
            case .s: start("movss"); dsize = 8
            case .d: start("movsd"); dsize = 8
            }
            address(addr, base: base); comma(); reg(d, dsize); end()
        case .store(let size, let float, let addr):
            if float { start(size == 4 ? "movss" : "movsd"); reg(o) } else { start("mov", size); reg(o, size) }
            comma(); address(addr, base: addr.usesBase ? o + 1 : nil); end()
        case .storeImm(let size, let imm, let addr):
            let v: Int64 = size == 1 ? Int64(Int8(truncatingIfNeeded: imm))
                : size == 2 ? Int64(Int16(truncatingIfNeeded: imm)) : Int64(imm)
            start("mov", size); self.imm(v); comma(); address(addr, base: addr.usesBase ? o : nil); end()
        case .cardMark(let addr):
            let t = o + addr.registerCount
            start("leaq"); address(addr, base: addr.usesBase ? o : nil); comma(); reg(t); end()
            start("shrq"); text("$9, "); reg(t); end()
            start("addq"); text("keel_card_table(%rip), "); reg(t); end()
            start("movb"); text("$1, ("); reg(t); text(")"); end()
        case .lea(let size, let addr):
            start("lea", size); address(addr, base: o); comma(); reg(o + addr.registerCount, size); end()
        case .convert(let k, let size, let double):
            emitConvert(k, size: size, double: double, o)
        case .floatALU(let op, let double):
            switch op {
            case .add: start(double ? "addsd" : "addss")
            case .sub: start(double ? "subsd" : "subss")
            case .mul: start(double ? "mulsd" : "mulss")
            case .div: start(double ? "divsd" : "divss")
            }
            reg(o + 1); comma(); reg(o + 2); end()
        case .floatALUConst(let op, let double, let index):
            switch op {
            case .add: start(double ? "addsd" : "addss")
            case .sub: start(double ? "subsd" : "subss")
            case .mul: start(double ? "mulsd" : "mulss")
            case .div: start(double ? "divsd" : "divss")
            }
            poolConstant(index); comma(); reg(o + 1); end()
        case .floatNeg(let double):
            let d = o + 1
            if double {
                start("movq"); reg(d); text(", %r11"); end()
                line("btcq $63, %r11")
                start("movq"); text("%r11, "); reg(d); end()
            } else {
                start("movd"); reg(d); text(", %r11d"); end()
                line("xorl $0x80000000, %r11d")
                start("movd"); text("%r11d, "); reg(d); end()
            }
        case .floatSqrt(let double):
            start(double ? "sqrtsd" : "sqrtss"); reg(o); comma(); reg(o + 1); end()
        case .adjustStack(let n):
            if n < 0 { start("subq"); imm(-Int64(n)) } else { start("addq"); imm(n) }
            text(", %rsp"); end()
        case .storeOutgoing(let off, let float):
            start(float ? "movsd" : "movq"); reg(o); comma(); number(off); text("(%rsp)"); end()
        case .call(let s):
            start("call")
            if let s { symbolName(s) } else { text("*"); reg(o) }
            end()
            if inst.isSafepoint { emitSafepoint(i) }
        case .allocate(let layout, let words):
            // rax, rcx, rdx, rdi and rsi are caller-saved: the instruction clobbers them.
            let bytes = 16 + 8 * Int64(words)
            line("movq keel_nursery(%rip), %rax")
            start("leaq"); number(bytes); text("(%rax), %rdx"); end()
            line("cmpq keel_nursery+8(%rip), %rdx")
            line("ja 1f")
            line("movq %rdx, keel_nursery(%rip)")
            start("leaq"); symbol(layout, 0); text("(%rip), %rcx"); end()
            line("movq %rcx, (%rax)")
            start("movq"); imm(words); text(", 8(%rax)"); end()
            line("jmp 2f")
            text("1:\n")
            start("leaq"); symbol(layout, 0); text("(%rip), %rdi"); end()
            start("movl"); imm(words); text(", %esi"); end()
            line("call keel_alloc")
            emitSafepoint(i)
            text("2:\n")
        case .blit(let n):
            copyBytes(n, from: .operand(o), fromOffset: 0, to: .operand(o + 1), toOffset: 0)
        case .dynamicAlloc:
            let d = o + 1
            start("addq"); text("$15, "); reg(d); end()
            start("andq"); text("$-16, "); reg(d); end()
            start("subq"); reg(d); text(", %rsp"); end()
            start("movq"); text("%rsp, "); reg(d); end()
        case .dbgloc(let l, let c):
            if fileNumber > 0 { start(".loc"); number(fileNumber); text(" "); number(l); text(" "); number(c); end() }
        case .jmp:
            jumpTo(mf.blocks[block].successors[0], from: block)
        case .jnz(let size):
            start("test", size); reg(o, size); comma(); reg(o, size); end()
            branch(.ne, block)
        case .cmpJump(let c, let size):
            start("cmp", size); reg(o + 1, size); comma(); reg(o, size); end()
            branch(c, block)
        case .cmpImmJump(let c, let size, let imm):
            start("cmp", size); self.imm(imm); comma(); reg(o, size); end()
            branch(c, block)
        case .cmpMemImmJump(let c, let size, let imm, let addr):
            let v: Int64 = size == 1 ? Int64(Int8(truncatingIfNeeded: imm))
                : size == 2 ? Int64(Int16(truncatingIfNeeded: imm)) : Int64(imm)
            start("cmp", size); self.imm(v); comma(); address(addr, base: addr.usesBase ? o : nil); end()
            branch(c, block)
        case .cmpMemJump(let c, let size, let addr):
            start("cmp", size); reg(o, size); comma(); address(addr, base: addr.usesBase ? o + 1 : nil); end()
            branch(c, block)
        case .testJump:
            start("testl"); reg(o + 1, 4); comma(); reg(o, 4); end()
            branch(.ne, block)
        case .testImmJump(let imm):
            start("testl"); self.imm(imm); comma(); reg(o, 4); end()
            branch(.ne, block)
        case .floatCmpJump(let c, let double):
            let ucom: StaticString = double ? "ucomisd" : "ucomiss"
            let succ = mf.blocks[block].successors
            switch c {
            case .eq:
                start(ucom); reg(o + 1); comma(); reg(o); end()
                start("jp"); target(succ[1]); end()
                start("je"); target(succ[0]); end()
                jumpTo(succ[1], from: block)
            case .ne:
                start(ucom); reg(o + 1); comma(); reg(o); end()
                start("jp"); target(succ[0]); end()
                start("jne"); target(succ[0]); end()
                jumpTo(succ[1], from: block)
            case .gt, .ge, .o, .uo:
                start(ucom); reg(o + 1); comma(); reg(o); end()
                switch c {
                case .gt: branch("ja", "jbe", block)
                case .ge: branch("jae", "jb", block)
                case .o: branch("jnp", "jp", block)
                default: branch("jp", "jnp", block)
                }
            case .lt, .le:
                start(ucom); reg(o); comma(); reg(o + 1); end()
                if c == .lt { branch("ja", "jbe", block) } else { branch("jae", "jb", block) }
            }
        case .floatCmpConstJump(let c, let double, let index):
            start(double ? "ucomisd" : "ucomiss"); poolConstant(index); comma(); reg(o); end()
            let succ = mf.blocks[block].successors
            switch c {
            case .eq:
                start("jp"); target(succ[1]); end()
                start("je"); target(succ[0]); end()
                jumpTo(succ[1], from: block)
            case .ne:
                start("jp"); target(succ[0]); end()
                start("jne"); target(succ[0]); end()
                jumpTo(succ[1], from: block)
            case .gt: branch("ja", "jbe", block)
            case .ge: branch("jae", "jb", block)
            case .o: branch("jnp", "jp", block)
            case .uo: branch("jp", "jnp", block)
            case .lt, .le: start("ud2"); end()  // never selected: jb would be true when unordered
            }
        case .ret:
            if block != earlyExit?.exit {
                for (r, off) in frame.saved { start("movq"); frameCell(off); comma(); preg(r); end() }
            }
            if !frameless { line("leave") } else if frameAdjust > 0 { start("addq"); imm(frameAdjust); text(", %rsp"); end() }
            line("ret")
        case .tailCall(let s):
            // The epilogue of `ret`, then a jump: the callee returns to our caller.
            for (r, off) in frame.saved { start("movq"); frameCell(off); comma(); preg(r); end() }
            line("leave")
            start("jmp")
            if let s { symbolName(s) } else { text("*"); reg(o) }
            end()
        case .hlt:
            line("ud2")
        }
    }

    /// `.LfpID_index(%rip)`: constant `index` of the function's literal pool.
    mutating func poolConstant(_ index: Int) {
        text(".Lfp"); number(id); text("_"); number(index); text("(%rip)")
    }

    /// `setcc d8; movzbl d8, d32` for the integer condition `c` into operand `d`.
    mutating func setcc(_ c: X64Cond, _ d: Int) {
        start(c.setMnemonic); reg(d, 1); end()
        start("movzbl"); reg(d, 1); comma(); reg(d, 4); end()
    }

    /// A register operand of `copyBytes`: an allocated operand or %rsp.
    enum CopyBase { case operand(Int), rsp }

    mutating func copyBase(_ b: CopyBase) {
        switch b {
        case .operand(let k): reg(k)
        case .rsp: text("%rsp")
        }
    }

    /// Copies `n` bytes between memory at two registers through the scratch register.
    mutating func copyBytes(_ n: Int32, from src: CopyBase, fromOffset: Int32, to dst: CopyBase, toOffset: Int32) {
        var off: Int32 = 0
        if n >= 64 {
            // A loop for the whole eightbytes (r11 counts, xmm15 carries), straight code for the tail.
            let whole = n / 8 * 8
            line("xorl %r11d, %r11d")
            text("1:\n")
            start("movq"); number(fromOffset); text("("); copyBase(src); text(",%r11), %xmm15"); end()
            start("movq"); text("%xmm15, "); number(toOffset); text("("); copyBase(dst); text(",%r11)"); end()
            line("addq $8, %r11")
            start("cmpq"); imm(whole); text(", %r11"); end()
            line("jb 1b")
            off = whole
        }
        for w: Int32 in [8, 4, 2, 1] {
            while n - off >= w {
                start("mov", Int(w)); number(Int64(fromOffset) + Int64(off)); text("("); copyBase(src); text("), ")
                preg(X64Reg.r11, Int(w)); end()
                start("mov", Int(w)); preg(X64Reg.r11, Int(w)); comma()
                number(Int64(toOffset) + Int64(off)); text("("); copyBase(dst); text(")"); end()
                off += w
            }
        }
    }

    func aluName(_ op: X64ALU) -> StaticString {
        switch op {
        case .add: return "add"
        case .sub: return "sub"
        case .and: return "and"
        case .or: return "or"
        case .xor: return "xor"
        case .imul: return "imul"
        }
    }

    func shiftName(_ op: X64Shift) -> StaticString {
        switch op {
        case .shl: return "shl"
        case .shr: return "shr"
        case .sar: return "sar"
        }
    }

    mutating func jumpTo(_ block: MBlock, from current: Int) {
        if !jumps.fallsThrough(from: current, to: block) { start("jmp"); target(block); end() }
    }

    /// A two-way branch on flags: `jcc` to the true successor, else to the false one.
    mutating func branch(_ c: X64Cond, _ block: Int) {
        branch(c.jumpMnemonic, c.negated.jumpMnemonic, block)
    }

    mutating func branch(_ jcc: StaticString, _ inverse: StaticString, _ block: Int) {
        let succ = mf.blocks[block].successors
        if jumps.resolve(succ[0]) == jumps.resolve(succ[1]) {
            jumpTo(succ[0], from: block)
        } else if jumps.fallsThrough(from: block, to: succ[0]) {
            start(inverse); target(succ[1]); end()
        } else {
            start(jcc); target(succ[0]); end()
            jumpTo(succ[1], from: block)
        }
    }

    mutating func emitConvert(_ k: X64Convert, size: Int, double: Bool, _ o: Int) {
        let a = o, d = o + 1
        switch k {
        case .extsb: start("movsb", size); reg(a, 1); comma(); reg(d, size); end()
        case .extub: start("movzb", size); reg(a, 1); comma(); reg(d, size); end()
        case .extsh: start("movsw", size); reg(a, 2); comma(); reg(d, size); end()
        case .extuh: start("movzw", size); reg(a, 2); comma(); reg(d, size); end()
        case .extsw: start("movslq"); reg(a, 4); comma(); reg(d); end()
        case .extuw: start("movl"); reg(a, 4); comma(); reg(d, 4); end()
        case .stod: start("cvtss2sd"); reg(a); comma(); reg(d); end()
        case .dtos: start("cvtsd2ss"); reg(a); comma(); reg(d); end()
        case .stosi, .dtosi:
            start(double ? "cvttsd2si" : "cvttss2si", size); reg(a); comma(); reg(d, size); end()
        case .stoui, .dtoui:
            start(double ? "cvttsd2siq" : "cvttss2siq"); reg(a); comma(); reg(d); end()
            if size == 8 {
                usesTwo63 = true
                start("testq"); reg(d); comma(); reg(d); end()
                line("jns 1f")
                start("movaps"); reg(a); text(", %xmm15"); end()
                line(double ? "subsd .Lkeel_two63d(%rip), %xmm15" : "subss .Lkeel_two63s(%rip), %xmm15")
                // d holds 2^63 (the "indefinite" result) here; OR in the rest.
                // A NaN stays 2^63 (QBE's result too).
                line(double ? "cvttsd2siq %xmm15, %r11" : "cvttss2siq %xmm15, %r11")
                start("orq"); text("%r11, "); reg(d); end()
                text("1:\n")
            }
        case .swtof:
            start(double ? "cvtsi2sdl" : "cvtsi2ssl"); reg(a, 4); comma(); reg(d); end()
        case .uwtof:
            start("movl"); reg(a, 4); text(", %r11d"); end()
            start(double ? "cvtsi2sdq" : "cvtsi2ssq"); text("%r11, "); reg(d); end()
        case .sltof:
            start(double ? "cvtsi2sdq" : "cvtsi2ssq"); reg(a); comma(); reg(d); end()
        case .ultof:
            let t = o + 2
            let cvt: StaticString = double ? "cvtsi2sdq" : "cvtsi2ssq"
            start("testq"); reg(a); comma(); reg(a); end()
            line("js 1f")
            start(cvt); reg(a); comma(); reg(d); end()
            line("jmp 2f")
            text("1:\n")
            start("movq"); reg(a); comma(); reg(t); end()
            start("shrq"); reg(t); end()
            start("movl"); reg(a, 4); text(", %r11d"); end()
            line("andl $1, %r11d")
            start("orq"); text("%r11, "); reg(t); end()
            start(cvt); reg(t); comma(); reg(d); end()
            start(double ? "addsd" : "addss"); reg(d); comma(); reg(d); end()
            text("2:\n")
        case .intToFloat:
            start(size == 4 ? "movd" : "movq"); reg(a, size); comma(); reg(d); end()
        case .floatToInt:
            start(size == 4 ? "movd" : "movq"); reg(a); comma(); reg(d, size); end()
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

    var jumpMnemonic: StaticString {
        switch self {
        case .e: return "je"
        case .ne: return "jne"
        case .ge: return "jge"
        case .g: return "jg"
        case .le: return "jle"
        case .l: return "jl"
        case .ae: return "jae"
        case .a: return "ja"
        case .be: return "jbe"
        case .b: return "jb"
        }
    }

    var moveMnemonic: StaticString {
        switch self {
        case .e: return "cmove"
        case .ne: return "cmovne"
        case .ge: return "cmovge"
        case .g: return "cmovg"
        case .le: return "cmovle"
        case .l: return "cmovl"
        case .ae: return "cmovae"
        case .a: return "cmova"
        case .be: return "cmovbe"
        case .b: return "cmovb"
        }
    }

    var setMnemonic: StaticString {
        switch self {
        case .e: return "sete"
        case .ne: return "setne"
        case .ge: return "setge"
        case .g: return "setg"
        case .le: return "setle"
        case .l: return "setl"
        case .ae: return "setae"
        case .a: return "seta"
        case .be: return "setbe"
        case .b: return "setb"
        }
    }
}
