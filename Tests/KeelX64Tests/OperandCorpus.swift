// Contract: the table of the operand-description test. `OperandCorpus.modules`
// are small IL programs whose selection produces every `X64Inst` payload
// kind in every variant that changes what is emitted (sizes, signedness,
// float/double, each conversion, each address kind, immediate forms, each
// condition); `variant` names the variant of a selected instruction;
// `expectedVariants` lists, independently of the programs, every variant
// that must occur. `selected` parses, builds SSA and selects the programs.
import KeelCodegen
import KeelIR
@testable import KeelX64

enum OperandCorpus {
    // MARK: variants

    static func addressKind(_ a: X64Address) -> String {
        switch a {
        case .base: return "base"
        case .indexed: return "indexed"
        case .symbol: return "symbol"
        case .slot: return "slot"
        case .absolute: return "absolute"
        }
    }

    static func fd(_ double: Bool) -> String { double ? "d" : "s" }

    /// The variant of a selected instruction (its payload and number of operands).
    static func variant(_ p: X64Inst, operandCount: Int) -> String {
        switch p {
        case .parameters: return "parameters"
        case .stackParameter(_, let float, let size): return "stackParameter.\(float ? "float" : "int").\(size)"
        case .stackParameterAddress: return "stackParameterAddress"
        case .copyToOutgoing(_, let size): return "copyToOutgoing.\(size >= 64 ? "loop" : "bytes")"
        case .vaStart: return "vaStart"
        case .vaArg(let float, let size): return "vaArg.\(float ? "float" : "int").\(size)"
        case .movImm(_, let imm):
            if Int32(exactly: imm) != nil { return imm >= 0 ? "movImm.movl" : "movImm.movq" }
            return UInt32(exactly: imm) != nil ? "movImm.movl-unsigned" : "movImm.movabsq"
        case .leaSymbol: return "leaSymbol"
        case .gotAddress(_, let off):
            return "gotAddress." + (off == 0 ? "0" : Int32(exactly: off) != nil ? "imm32" : "imm64")
        case .tlsAddress(_, let off): return "tlsAddress." + (off == 0 ? "0" : off > 0 ? "plus" : "minus")
        case .tlsInitialExecAddress(_, let off): return "tlsInitialExecAddress." + (off == 0 ? "0" : "offset")
        case .floatConst(_, let double): return "floatConst.\(fd(double))"
        case .slotAddress: return "slotAddress"
        case .mov(let float): return "mov.\(float ? "float" : "int")"
        case .alu(let op, let size): return "alu.\(op).\(size)"
        case .aluImm(let op, let size, _): return "aluImm.\(op).\(size)"
        case .neg(let size): return "neg.\(size)"
        case .div(let signed, let size): return "div.\(signed ? "signed" : "unsigned").\(size)"
        case .mulHigh(let signed): return "mulHigh.\(signed ? "signed" : "unsigned")"
        case .shift(let op, let size): return "shift.\(op).\(size)"
        case .shiftImm(let op, let size, _): return "shiftImm.\(op).\(size)"
        case .cmpSet(let c, let size): return "cmpSet.\(c).\(size)"
        case .cmpImmSet(let c, let size, _): return "cmpImmSet.\(c).\(size)"
        case .cmpSelect(_, let size, let moved): return "cmpSelect.\(size).\(moved)"
        case .cmpImmSelect(_, let size, _, let moved): return "cmpImmSelect.\(size).\(moved)"
        case .floatCmpSet(let c, let double): return "floatCmpSet.\(c).\(fd(double))"
        case .load(let kind, let size, let a): return "load.\(kind).\(size).\(addressKind(a))"
        case .store(let size, let float, let a): return "store.\(float ? "float" : "int").\(size).\(addressKind(a))"
        case .storeImm(let size, _, let a): return "storeImm.\(size).\(addressKind(a))"
        case .cardMark(let a): return "cardMark.\(addressKind(a))"
        case .allocate: return "allocate"
        case .lea(let size, let a): return "lea.\(size).\(addressKind(a))"
        case .convert(let k, let size, let double): return "convert.\(k).\(size).\(fd(double))"
        case .floatALU(let op, let double): return "floatALU.\(op).\(fd(double))"
        case .floatNeg(let double): return "floatNeg.\(fd(double))"
        case .floatSqrt(let double): return "floatSqrt.\(fd(double))"
        case .floatALUConst(let op, let double, _): return "floatALUConst.\(op).\(fd(double))"
        case .floatCmpConstJump(let c, let double, _): return "floatCmpConstJump.\(c).\(fd(double))"
        case .adjustStack(let n): return n < 0 ? "adjustStack.reserve" : "adjustStack.release"
        case .storeOutgoing(_, let float): return "storeOutgoing.\(float ? "float" : "int")"
        case .call(let s): return s == nil ? "call.indirect" : "call.direct"
        case .blit(let n): return "blit.\(n >= 64 ? "loop" : "bytes")"
        case .dynamicAlloc: return "dynamicAlloc"
        case .dbgloc: return "dbgloc"
        case .jmp: return "jmp"
        case .jnz(let size): return "jnz.\(size)"
        case .cmpJump(let c, let size): return "cmpJump.\(c).\(size)"
        case .cmpImmJump(let c, let size, _): return "cmpImmJump.\(c).\(size)"
        case .cmpMemImmJump(_, let size, _, let a): return "cmpMemImmJump.\(size).\(addressKind(a))"
        case .cmpMemJump(_, let size, let a): return "cmpMemJump.\(size).\(addressKind(a))"
        case .testJump: return "testJump"
        case .testImmJump: return "testImmJump"
        case .floatCmpJump(let c, let double): return "floatCmpJump.\(c).\(fd(double))"
        case .ret: return "ret.\(operandCount)"
        case .tailCall(let s): return s == nil ? "tailCall.indirect" : "tailCall.direct"
        case .hlt: return "hlt"
        }
    }

    static let aluOps = ["add", "sub", "and", "or", "xor", "imul"]
    static let shifts = ["shl", "shr", "sar"]
    static let intConds = ["e", "ne", "ge", "g", "le", "l", "ae", "a", "be", "b"]
    static let floatConds = ["eq", "ne", "ge", "gt", "le", "lt", "o", "uo"]
    static let addresses = ["base", "indexed", "symbol", "slot", "absolute"]

    /// Every variant the programs must produce.
    static let expectedVariants: Set<String> = {
        var v: Set<String> = ["parameters", "stackParameterAddress", "vaStart", "leaSymbol", "slotAddress",
                              "dynamicAlloc", "dbgloc", "jmp", "jnz.4", "hlt", "call.direct", "call.indirect",
                              "ret.0", "ret.1", "ret.2", "adjustStack.reserve", "adjustStack.release",
                              "copyToOutgoing.bytes", "copyToOutgoing.loop", "blit.bytes", "blit.loop",
                              "movImm.movl", "movImm.movq", "movImm.movl-unsigned", "movImm.movabsq",
                              "gotAddress.0", "gotAddress.imm32", "gotAddress.imm64",
                              "tlsAddress.0", "tlsAddress.plus", "tlsAddress.minus",
                              "tlsInitialExecAddress.0", "tlsInitialExecAddress.offset",
                              "mov.int", "mov.float", "storeOutgoing.int", "storeOutgoing.float",
                              "testJump", "testImmJump",
                              "cmpMemImmJump.1.base", "cmpMemImmJump.2.indexed", "cmpMemImmJump.4.symbol",
                              "cmpMemImmJump.8.slot", "cmpMemImmJump.1.absolute",
                              "cmpMemJump.4.base", "cmpMemJump.8.indexed", "cmpMemJump.4.symbol", "cmpMemJump.8.slot",
                              "cardMark.base", "cardMark.indexed", "allocate", "tailCall.direct", "tailCall.indirect"]
        for f in ["int", "float"] {
            for size in [4, 8] {
                v.insert("stackParameter.\(f).\(size)")
                v.insert("vaArg.\(f).\(size)")
            }
        }
        for s in ["s", "d"] {
            v.insert("floatConst.\(s)")
            v.insert("floatNeg.\(s)")
            v.insert("floatSqrt.\(s)")
            for op in ["add", "sub", "mul", "div"] { v.insert("floatALU.\(op).\(s)"); v.insert("floatALUConst.\(op).\(s)") }
            for c in ["eq", "ne", "gt", "ge", "o", "uo"] { v.insert("floatCmpConstJump.\(c).\(s)") }
            for c in floatConds {
                v.insert("floatCmpSet.\(c).\(s)")
                v.insert("floatCmpJump.\(c).\(s)")
            }
        }
        for s in ["signed", "unsigned"] { v.insert("mulHigh.\(s)") }
        for size in [4, 8] {
            v.insert("neg.\(size)")
            for a in ["base", "indexed"] { v.insert("lea.\(size).\(a)") }
            for op in aluOps { v.insert("alu.\(op).\(size)"); v.insert("aluImm.\(op).\(size)") }
            for s in ["signed", "unsigned"] { v.insert("div.\(s).\(size)") }
            for op in shifts { v.insert("shift.\(op).\(size)"); v.insert("shiftImm.\(op).\(size)") }
            for c in intConds {
                for k in ["cmpSet", "cmpImmSet", "cmpJump", "cmpImmJump"] { v.insert("\(k).\(c).\(size)") }
            }
            for moved in [4, 8] { v.insert("cmpSelect.\(size).\(moved)"); v.insert("cmpImmSelect.\(size).\(moved)") }
        }
        for a in addresses {
            for kind in ["sb", "ub", "sh", "uh", "sw", "uw"] {
                for size in [4, 8] { v.insert("load.\(kind).\(size).\(a)") }
            }
            for kind in ["l", "s", "d"] { v.insert("load.\(kind).8.\(a)") }
            for size in [1, 2, 4, 8] {
                v.insert("store.int.\(size).\(a)")
                v.insert("storeImm.\(size).\(a)")
            }
            for size in [4, 8] { v.insert("store.float.\(size).\(a)") }
        }
        // Conversions: (kind, result size, double) as the selector builds them.
        var conversions: [(String, Int, Bool)] = []
        for k in ["extsb", "extub", "extsh", "extuh", "extsw", "extuw"] { conversions += [(k, 4, false), (k, 8, false)] }
        conversions += [("stod", 8, true), ("dtos", 4, false)]
        for k in ["stosi", "stoui"] { conversions += [(k, 4, false), (k, 8, false)] }
        for k in ["dtosi", "dtoui"] { conversions += [(k, 4, true), (k, 8, true)] }
        for k in ["swtof", "uwtof", "sltof", "ultof", "intToFloat", "floatToInt"] {
            conversions += [(k, 4, false), (k, 8, true)]
        }
        for (k, size, double) in conversions { v.insert("convert.\(k).\(size).\(fd(double))") }
        return v
    }()

    // MARK: programs

    static let ilIntCompare = ["ceq", "cne", "csge", "csgt", "csle", "cslt", "cuge", "cugt", "cule", "cult"]
    static let ilFloatCompare = ["ceq", "cne", "cge", "cgt", "cle", "clt", "co", "cuo"]

    static var arithmetic: String {
        var body = ""
        for (cls, c) in [("w", "w"), ("l", "l")] {
            for op in ["add", "sub", "mul", "and", "or", "xor"] {
                body += "\t%\(op)_\(c) =\(cls) \(op) %a\(c), %b\(c)\n"
                body += "\t%\(op)i_\(c) =\(cls) \(op) %a\(c), 7\n"
            }
            // An add whose first operand dies there keeps the two-address form (register and immediate);
            // one whose second operand dies reuses that one.
            body += "\t%once1_\(c) =\(cls) sub %a\(c), %b\(c)\n\t%addonce_\(c) =\(cls) add %once1_\(c), %b\(c)\n"
            body += "\t%once2_\(c) =\(cls) sub %a\(c), %b\(c)\n\t%addionce_\(c) =\(cls) add %once2_\(c), 7\n"
            body += "\t%once3_\(c) =\(cls) sub %a\(c), %b\(c)\n\t%addswap_\(c) =\(cls) add %a\(c), %once3_\(c)\n"
            body += "\t%once4_\(c) =\(cls) sub %a\(c), %b\(c)\n\t%subionce_\(c) =\(cls) sub %once4_\(c), 7\n"
            // Sums folded into lea: base + index·scale + disp, and products by 3/5/9, 2^k and 1.
            body += "\t%sc_\(c) =\(cls) mul %b\(c), 4\n\t%sum_\(c) =\(cls) add %a\(c), %sc_\(c)\n"
            body += "\t%sumd_\(c) =\(cls) add %sum_\(c), 12\n\t%use_\(c) =\(cls) add %sumd_\(c), %sum_\(c)\n"
            for k in [1, 3, 5, 9, 8] { body += "\t%mulk\(k)_\(c) =\(cls) mul %a\(c), \(k)\n" }
            body += "\t%neg_\(c) =\(cls) neg %a\(c)\n"
            for op in ["div", "udiv", "rem", "urem"] {
                body += "\t%\(op)_\(c) =\(cls) \(op) %a\(c), %b\(c)\n"
                // By a constant: a multiply (a long's high half by mulHigh).
                body += "\t%\(op)k_\(c) =\(cls) \(op) %a\(c), 1000000007\n"
            }
            for op in ["shl", "shr", "sar"] {
                body += "\t%\(op)_\(c) =\(cls) \(op) %a\(c), %n\n"
                body += "\t%\(op)i_\(c) =\(cls) \(op) %a\(c), 3\n"
            }
            for op in ilIntCompare {
                body += "\t%\(op)_\(c) =w \(op)\(c) %a\(c), %b\(c)\n"
                body += "\t%\(op)i_\(c) =w \(op)\(c) %a\(c), 5\n"
            }
        }
        for t in ["s", "d"] {
            for op in ["add", "sub", "mul", "div"] { body += "\t%\(op)_\(t) =\(t) \(op) %f\(t), %g\(t)\n" }
            body += "\t%neg_\(t) =\(t) neg %f\(t)\n"
            body += "\t%sqrt_\(t) =\(t) sqrt %f\(t)\n"
            body += "\t%const_\(t) =\(t) add %f\(t), \(t)_1.5\n"
            // A pool constant as the source operand (add and mul commute to read it so), and materialized.
            for op in ["sub", "mul", "div"] { body += "\t%\(op)c_\(t) =\(t) \(op) %f\(t), \(t)_2.5\n" }
            body += "\t%mulc2_\(t) =\(t) mul \(t)_3.5, %g\(t)\n\t%copyc_\(t) =\(t) copy \(t)_4.5\n"
            for op in ilFloatCompare { body += "\t%\(op)_\(t) =w \(op)\(t) %f\(t), %g\(t)\n" }
        }
        return """
            function w $arith(w %aw, w %bw, l %al, l %bl, w %n, s %fs, s %gs, d %fd, d %gd) {
            @start
            \(body)\tret %add_w
            }
            """
    }

    static var branches: String {
        // Each test block compares into %tK and branches on it (fused into the branch).
        var tests: [(op: String, x: String, y: String)] = []
        for (c, x, y) in [("w", "%aw", "%bw"), ("l", "%al", "%bl")] {
            for op in ilIntCompare {
                tests.append((op + c, x, y))
                tests.append((op + c, x, "5"))
            }
        }
        for (t, x, y) in [("s", "%fs", "%gs"), ("d", "%fd", "%gd")] {
            for op in ilFloatCompare { tests.append((op + t, x, y)) }
            // A pool constant compared in place: on the right, or mirrored there.
            for op in ["ceq", "cne", "cgt", "cge", "co", "cuo"] { tests.append((op + t, x, t + "_0.5")) }
            for op in ["clt", "cle", "ceq"] { tests.append((op + t, t + "_0.5", x)) }
        }
        var blocks: [String] = []
        for (k, t) in tests.enumerated() {
            blocks.append("@b\(k)\n\t%t\(k) =w \(t.op) \(t.x), \(t.y)\n\tjnz %t\(k), @b\(k + 1), @out")
        }
        // An `and` only branched on is a `test`, of registers or with an immediate.
        var k = tests.count
        for (c, x, y) in [("w", "%aw", "%bw"), ("l", "%al", "%bl"), ("w", "%aw", "12"), ("l", "%al", "12")] {
            blocks.append("@b\(k)\n\t%t\(k) =\(c) and \(x), \(y)\n\tjnz %t\(k), @b\(k + 1), @out")
            k += 1
        }
        // A load only branched on, or only compared there, is read by the comparison.
        for (load, test) in [("%v =w loadub %p", "jnz %v"),
                             ("%v =w loaduh %q", "%c =w ceqw %v, 7\n\tjnz %c"),
                             ("%v =w loadw $g", "%c =w csltw %v, 9\n\tjnz %c"),
                             ("%v =l loadl %slot", "%c =w cugtl %v, 3\n\tjnz %c"),
                             ("%v =w loadsb 4096", "%c =w cnew %v, -2\n\tjnz %c"),
                             ("%v =w loadw %p", "%c =w csgew %v, %aw\n\tjnz %c"),
                             ("%v =l loadl %q", "%c =w cultl %al, %v\n\tjnz %c"),
                             ("%v =w loadw $g", "%c =w cnew %bw, %v\n\tjnz %c"),
                             ("%v =l loadl %slot", "%c =w ceql %v, %bl\n\tjnz %c")] {
            var named = load.replacingOccurrences(of: "%v", with: "%v\(k)")
            if load.hasSuffix("%q") {
                // An indexed address, computed in the block of its one load.
                named = "%o\(k) =l mul %al, 2\n\t%q\(k) =l add %p, %o\(k)\n\t" + named.replacingOccurrences(of: "%q", with: "%q\(k)")
            }
            let tested = test.replacingOccurrences(of: "%v", with: "%v\(k)").replacingOccurrences(of: "%c", with: "%c\(k)")
            blocks.append("@b\(k)\n\t\(named)\n\t\(tested), @b\(k + 1), @out")
            k += 1
        }
        blocks.append("@b\(k)\n\tjnz %aw, @trap, @out")
        blocks.append("@trap\n\thlt")
        blocks.append("@out\n\tret 0")
        return """
            data $g = { l 0 }
            function w $branches(w %aw, w %bw, l %al, l %bl, s %fs, s %gs, d %fd, d %gd, l %p) {
            @start
            \t%slot =l alloc8 16
            \tjmp @b0
            \(blocks.joined(separator: "\n"))
            }
            """
    }

    /// Branches whose arm only computes a value for the join: conditional
    /// moves after a comparison of either size, of registers or with an
    /// immediate, or after a test of a plain value, into phis of either class.
    static var selects: String {
        var blocks: [String] = []
        var k = 0
        for (c, x, y) in [("w", "%aw", "%bw"), ("w", "%aw", "5"), ("l", "%al", "%bl"), ("l", "%al", "5"), ("", "%aw", "")] {
            for p in ["w", "l"] {
                let test = c.isEmpty ? "jnz \(x)" : "%c\(k) =w csgt\(c) \(x), \(y)\n\tjnz %c\(k)"
                blocks.append("@s\(k)\n\t\(test), @t\(k), @j\(k)\n@t\(k)\n\t%v\(k) =\(p) add %b\(p), 1\n\tjmp @j\(k)\n"
                    + "@j\(k)\n\t%p\(k) =\(p) phi @s\(k) %a\(p), @t\(k) %v\(k)\n\tjmp @s\(k + 1)")
                k += 1
            }
        }
        blocks.append("@s\(k)\n\tret 0")
        return """
            function w $selects(w %aw, w %bw, l %al, l %bl) {
            @start
            \tjmp @s0
            \(blocks.joined(separator: "\n"))
            }
            """
    }

    static var memory: String {
        var body = ""
        let addresses = ["%p", "%q", "$g", "%slot", "4096"]
        for (k, a) in addresses.enumerated() {
            for op in ["loadsb", "loadub", "loadsh", "loaduh", "loadsw", "loaduw"] {
                body += "\t%\(op)_w\(k) =w \(op) \(a)\n\t%\(op)_l\(k) =l \(op) \(a)\n"
            }
            body += "\t%loadl_\(k) =l loadl \(a)\n\t%loads_\(k) =s loads \(a)\n\t%loadd_\(k) =d loadd \(a)\n"
            body += "\tstoreb %w, \(a)\n\tstoreh %w, \(a)\n\tstorew %w, \(a)\n\tstorel %l, \(a)\n"
            body += "\tstores %f, \(a)\n\tstored %h, \(a)\n"
            body += "\tstoreb 5, \(a)\n\tstoreh 5, \(a)\n\tstorew 5, \(a)\n\tstorel 5, \(a)\n"
        }
        return """
            data $g = { l 0, l 0 }
            function $memory(l %p, w %w, l %l, s %f, d %h) {
            @start
            \t%slot =l alloc8 16
            \t%ix =l mul %l, 8
            \t%qx =l add %p, %ix
            \t%q =l add %qx, 16
            \(body)\tret
            }
            """
    }

    /// `storer` (a store and its card-marking barrier) through both register
    /// address forms; `keel_alloc` of a layout, inline.
    static let references = """
        data $box = align 8 { w 1263288665, w 3, w 0, w 0, l 0, l 0 }
        function $references(r %o, r %v, l %i) {
        @start
        \t%n =r call $keel_alloc(l $box, l 2)
        \tstorer %n, %o
        \t%f =l add %o, 24
        \tstorer %v, %f
        \t%ix =l mul %i, 8
        \t%g0 =l add %o, %ix
        \t%g =l add %g0, 16
        \tstorer %v, %g
        \tret
        }
        """

    static var conversions: String {
        var body = ""
        for op in ["extsb", "extub", "extsh", "extuh", "extsw", "extuw"] {
            body += "\t%\(op)_w =w \(op) %w\n\t%\(op)_l =l \(op) %w\n"
        }
        body += "\t%exts =d exts %f\n\t%truncd =s truncd %h\n"
        for op in ["stosi", "stoui"] { body += "\t%\(op)_w =w \(op) %f\n\t%\(op)_l =l \(op) %f\n" }
        for op in ["dtosi", "dtoui"] { body += "\t%\(op)_w =w \(op) %h\n\t%\(op)_l =l \(op) %h\n" }
        for (op, src) in [("swtof", "%w"), ("uwtof", "%w"), ("sltof", "%l"), ("ultof", "%l")] {
            body += "\t%\(op)_s =s \(op) \(src)\n\t%\(op)_d =d \(op) \(src)\n"
        }
        body += "\t%cast_w =w cast %f\n\t%cast_l =l cast %h\n\t%cast_s =s cast %w\n\t%cast_d =d cast %l\n"
        return """
            function $conversions(w %w, l %l, s %f, d %h) {
            @start
            \(body)\tret
            }
            """
    }

    static let constants = """
        data $g = { l 0 }
        thread data $t = { l 0 }
        function $constants(l %a, d %h) {
        @start
        \t%slot =l alloc8 16
        \t%m1 =l copy 5
        \t%m2 =l copy -5
        \t%m3 =l copy 4294967295
        \t%m4 =l copy 81985529216486895
        \t%s1 =l copy $g
        \t%s2 =l copy extern $g
        \t%s3 =l copy extern $g + 8
        \t%s4 =l copy extern $g + 81985529216486895
        \t%t1 =l copy thread $t
        \t%t2 =l copy thread $t + 8
        \t%t3 =l copy thread $t + 18446744073709551608
        \t%t4 =l copy extern thread $t
        \t%t5 =l copy extern thread $t + 8
        \t%sa =l add %slot, 1
        \t%mv =l copy %a
        \t%fm =d copy %h
        \t%dy =l alloc16 %a
        \tdbgloc 3, 4
        \tret
        }
        """

    static let calls = """
        type :pair = { l, l }
        type :fpair = { d, d }
        type :big = { l, l, l }
        type :huge = { l 10 }
        data $fmt = { b "%g", b 0 }
        function l $calls(l %a, w %w, d %f, l %fp, l %bp, l %hp) {
        @start
        \t%r1 =w call $ext(w %w, l %a)
        \t%r2 =d call $extf(d %f)
        \t%r3 =l call %fp(l %a)
        \t%r4 =l call $many(l %a, l %a, l %a, l %a, l %a, l %a, l %a, d %f, d %f, d %f, d %f, d %f, d %f, d %f, d %f, d %f)
        \t%r5 =:pair call $pairret(l %a)
        \t%r6 =:fpair call $fpairret(l %a)
        \t%r7 =:big call $bigret(l %a)
        \tcall $takebig(:big %bp)
        \tcall $takehuge(:huge %hp)
        \tcall $printf(l $fmt, ..., d %f)
        \t%r8 =l call %fp(env %a, l %a)
        \tblit %bp, %hp, 24
        \tblit %bp, %hp, 100
        \tret %r3
        }
        """

    static let boundaries = """
        type :pair = { l, l }
        type :fpair = { d, d }
        type :big = { l, l, l }
        function l $params(l %a1, l %a2, l %a3, l %a4, l %a5, l %a6, w %s1, l %s2, d %f1, d %f2, d %f3, d %f4, d %f5, d %f6, d %f7, d %f8, s %s3, d %s4, :big %sb, :pair %rp, ub %u) {
        @start
        \tret %a1
        }
        function $retvoid() {
        @start
        \tret
        }
        function w $retint(w %a) {
        @start
        \tret %a
        }
        function d $retfloat(d %a) {
        @start
        \tret %a
        }
        function :pair $retpair(l %p) {
        @start
        \tret %p
        }
        function :fpair $retfpair(l %p) {
        @start
        \tret %p
        }
        function :big $retbig(l %p) {
        @start
        \tret %p
        }
        function l $envparam(env %e, l %x) {
        @start
        \t%r =l add %e, %x
        \tret %r
        }
        function $variadic(l %n, ...) {
        @start
        \t%ap =l alloc8 24
        \tvastart %ap
        \t%i =w vaarg %ap
        \t%j =l vaarg %ap
        \t%x =s vaarg %ap
        \t%y =d vaarg %ap
        \tret
        }
        """

    /// Tail calls, direct and through a pointer with an environment, with
    /// integer and float arguments in shuffled registers.
    static var tailCalls: String {
        """
        function l $direct(l %a, d %x, w %b) {
        @start
        \t%c =w add %b, 1
        \ttailcall $other(w %c, d %x, l %a)
        }
        function l $other(w %b, d %x, l %a) {
        @start
        \t%r =l extsw %b
        \tret %r
        }
        function l $indirect(l %f, l %e, s %y) {
        @start
        \ttailcall %f(env %e, s %y, l %f)
        }
        function $none(l %f) {
        @start
        \ttailcall %f()
        }

        """
    }

    static var modules: [(name: String, text: String)] {
        [("arithmetic", arithmetic), ("branches", branches), ("selects", selects), ("memory", memory), ("conversions", conversions),
         ("constants", "dbgfile \"corpus.c\"\n" + constants), ("calls", calls), ("boundaries", boundaries),
         ("references", references), ("tailCalls", tailCalls)]
    }

    /// Every function of the programs, selected.
    static func selected() throws -> [(module: Module, function: X64Function)] {
        var out: [(Module, X64Function)] = []
        for (_, text) in modules {
            var module = try Module(parsing: text)
            let problems = constructSSA(&module)
            precondition(problems.isEmpty, "\(problems)")
            for f in module.functions { out.append((module, try selectInstructions(f, in: module))) }
        }
        return out
    }
}
