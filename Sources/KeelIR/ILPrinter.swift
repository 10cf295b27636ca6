/// The QBE IL printer: `Module` to canonical text.
///
/// Contract: prints every item in module order, one blank line between
/// items, instructions indented by a tab as QBE prints them. The output
/// re-parses with `ILParser` to a module that prints identically (the
/// printer is a fixed point of parse-then-print): every jump is explicit,
/// strings are re-escaped byte for byte, floats are written with the
/// shortest decimal text that reads back to the same bits (`inf` by name,
/// NaNs as their integer bits, which mean the same 64-bit constant).
/// Functions built by other passes print too: temporaries or labels with
/// empty, invalid or repeated names get fresh unique names.
public enum ILPrinter {
    public static func print(_ module: Module) -> String {
        var out = ILOutput()
        for (i, item) in module.items.enumerated() {
            if i > 0 { out.newline() }
            switch item {
            case .type(let id):
                if id.int < module.types.count { out.type(module.types[id.int], in: module) }
            case .data(let index):
                if index < module.data.count { out.data(module.data[index], in: module) }
            case .function(let index):
                if index < module.functions.count { out.function(module.functions[index], in: module) }
            case .dbgfile(let name):
                out.append("dbgfile \"")
                out.append(name)
                out.append("\"\n")
            }
        }
        return out.string
    }

    public static func print(_ function: Function, in module: Module) -> String {
        var out = ILOutput()
        out.function(function, in: module)
        return out.string
    }
}

/// Rendered names or constants of one function, back to back in one buffer.
struct TextTable {
    var bytes: [UInt8] = []
    var ends: [Int] = []

    init(bytes: [UInt8], ends: [Int]) {
        self.bytes = bytes
        self.ends = ends
    }

    init(sigil: UInt8, _ names: [String]) {
        ends.reserveCapacity(names.count)
        for n in names {
            bytes.append(sigil)
            bytes.append(contentsOf: n.utf8)
            ends.append(bytes.count)
        }
    }

    var count: Int { ends.count }
    subscript(i: Int) -> ArraySlice<UInt8> { bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]] }
}

/// A byte buffer the printer writes into.
struct ILOutput {
    var bytes: [UInt8] = []

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ s: String) { bytes.append(contentsOf: s.utf8) }
    mutating func append(byte: UInt8) { bytes.append(byte) }
    mutating func newline() { bytes.append(10) }
    /// A decimal integer, written without an intermediate `String`.
    mutating func append(_ v: Int64) {
        var magnitude = v.magnitude
        if v < 0 { bytes.append(45) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(truncatingIfNeeded: 48 + magnitude % 10)
                magnitude /= 10
                n += 1
            } while magnitude > 0
            while n > 0 {
                n -= 1
                bytes.append(d[n])
            }
        }
    }

    // MARK: definitions

    mutating func linkage(_ l: Linkage) {
        if l.export { append("export ") }
        if l.thread { append("thread ") }
        if l.common { append("common ") }
        if let s = l.section {
            append("section \"\(s)\" ")
            if let f = l.sectionFlags { append("\"\(f)\" ") }
        }
    }

    mutating func type(_ t: AggregateType, in module: Module) {
        append("type :\(t.name) = ")
        switch t.layout {
        case .opaque(let size):
            append("align \(t.explicitAlignment ?? t.alignment) { \(size) }\n")
            return
        case .fields(let variants):
            if let a = t.explicitAlignment { append("align \(a) ") }
            if variants.count == 1 {
                fields(variants[0], in: module)
            } else {
                append("{ ")
                for v in variants {
                    fields(v, in: module)
                    append(" ")
                }
                append("}")
            }
        }
        newline()
    }

    mutating func fields(_ fields: [AggregateField], in module: Module) {
        if fields.isEmpty {
            append("{ }")
            return
        }
        append("{ ")
        for (i, f) in fields.enumerated() {
            if i > 0 { append(", ") }
            switch f.kind {
            case .scalar(let e): append(e.name)
            case .aggregate(let id):
                append(":")
                append(id.int < module.types.count ? module.types[id.int].name : "?")
            }
            if f.count != 1 { append(" \(f.count)") }
        }
        append(" }")
    }

    mutating func data(_ d: DataDefinition, in module: Module) {
        linkage(d.linkage)
        append("data ")
        symbol(d.name, in: module)
        append(" = ")
        if let a = d.alignment { append("align \(a) ") }
        if d.items.isEmpty {
            append("{ }\n")
            return
        }
        append("{ ")
        for (i, item) in d.items.enumerated() {
            if i > 0 { append(", ") }
            switch item {
            case .zero(let n): append("z \(n)")
            case .references(let cells):
                append("r")
                for c in cells { append(" \(c)") }
            case .values(let t, let values):
                append(t.name)
                for v in values {
                    append(" ")
                    switch v {
                    case .integer(let n): append(n)
                    case .single(let bits): single(bits)
                    case .double(let bits): double(bits)
                    case .symbol(let s, let offset):
                        symbol(s, in: module)
                        if offset != 0 { append(" + \(offset)") }
                    case .string(let s): quoted(s)
                    }
                }
            }
        }
        append(" }\n")
    }

    // MARK: constants

    mutating func symbol(_ s: SymbolID, in module: Module) {
        append("$")
        append(s.int < module.symbols.count ? module.symbols[s] : "?")
    }

    mutating func single(_ bits: UInt32) {
        let f = Float(bitPattern: bits)
        if f.isNaN {
            append(Int64(bits))
        } else {
            append("s_")
            append(f.description)
        }
    }

    mutating func double(_ bits: UInt64) {
        let d = Double(bitPattern: bits)
        if d.isNaN {
            append(Int64(bitPattern: bits))
        } else {
            append("d_")
            append(d.description)
        }
    }

    mutating func constant(_ c: Constant, in module: Module) {
        switch c {
        case .integer(let v): append(v)
        case .single(let bits): single(bits)
        case .double(let bits): double(bits)
        case .symbol(let s, let offset, let access):
            switch access {
            case .direct: break
            case .thread: append("thread ")
            case .external: append("extern ")
            case .externalThread: append("extern thread ")
            }
            symbol(s, in: module)
            if offset != 0 { append(" + \(offset)") }
        }
    }

    /// A string literal: printable ASCII as is, `\n \t \" \\` by name, other bytes in octal.
    mutating func quoted(_ s: [UInt8]) {
        append(byte: 34)
        for c in s {
            switch c {
            case 34: append("\\\"")
            case 92: append("\\\\")
            case 10: append("\\n")
            case 9: append("\\t")
            case 32..<127: append(byte: c)
            default:
                append(byte: 92)
                append(byte: 48 + (c >> 6))
                append(byte: 48 + ((c >> 3) & 7))
                append(byte: 48 + (c & 7))
            }
        }
        append(byte: 34)
    }

    // MARK: functions

    mutating func function(_ f: Function, in module: Module) {
        // Every temporary, label and constant is rendered once; lines then copy bytes.
        let temps = TextTable(sigil: UInt8(ascii: "%"), ILOutput.uniqueNames(f.temps.map(\.name), fallback: "t"))
        let labels = TextTable(sigil: UInt8(ascii: "@"), ILOutput.uniqueNames(f.blocks.map(\.label), fallback: "b"))
        var constantText = ILOutput()
        var constantEnds: [Int] = []
        constantEnds.reserveCapacity(f.constants.count)
        for c in f.constants {
            constantText.constant(c, in: module)
            constantEnds.append(constantText.bytes.count)
        }
        let constants = TextTable(bytes: constantText.bytes, ends: constantEnds)
        func temp(_ out: inout ILOutput, _ t: Temp) {
            if t.int < temps.count { out.bytes.append(contentsOf: temps[t.int]) } else { out.append("%?\(t.index)") }
        }
        func ref(_ out: inout ILOutput, _ r: Ref) {
            if let t = r.temp {
                temp(&out, t)
            } else if let c = r.constant {
                if c.int < constants.count { out.bytes.append(contentsOf: constants[c.int]) } else { out.append("?c\(c.index)") }
            } else {
                out.append("?")
            }
        }
        func label(_ out: inout ILOutput, _ b: BlockID) {
            if b.int < labels.count { out.bytes.append(contentsOf: labels[b.int]) } else { out.append("@?\(b.index)") }
        }
        func abi(_ out: inout ILOutput, _ t: ABIType) {
            switch t {
            case .base(let b): out.append(b.name)
            case .sb: out.append("sb")
            case .ub: out.append("ub")
            case .sh: out.append("sh")
            case .uh: out.append("uh")
            case .aggregate(let id):
                out.append(":")
                out.append(id.int < module.types.count ? module.types[id.int].name : "?")
            }
        }

        linkage(f.linkage)
        append("function ")
        if let r = f.returnType {
            abi(&self, r)
            append(" ")
        }
        symbol(f.name, in: module)
        append("(")
        var first = true
        if let e = f.env {
            append("env ")
            temp(&self, e)
            first = false
        }
        for p in f.parameters {
            if !first { append(", ") }
            first = false
            abi(&self, p.type)
            append(" ")
            temp(&self, p.temp)
        }
        if f.isVariadic { append(first ? "..." : ", ...") }
        append(") {\n")

        for (bi, block) in f.blocks.enumerated() {
            label(&self, BlockID(bi))
            newline()
            for phi in block.phis {
                append("\t")
                temp(&self, phi.result)
                append(" =")
                append(phi.type.name)
                append(" phi")
                for (i, a) in phi.incoming.enumerated() {
                    append(i == 0 ? " " : ", ")
                    label(&self, a.block)
                    append(" ")
                    ref(&self, a.value)
                }
                newline()
            }
            for ins in block.instructions {
                append("\t")
                if ins.op == .call {
                    let site: CallSite? = ins.extra < f.calls.count ? f.calls[Int(ins.extra)] : nil
                    if site?.isTail == true {
                        // `tailcall` stands for the call and the `ret` of its result.
                        append("tailcall ")
                    } else if !ins.result.isNone {
                        ref(&self, ins.result)
                        append(" =")
                        abi(&self, site?.returnType ?? .base(ins.type))
                        append(" ")
                        append("call ")
                    } else {
                        append("call ")
                    }
                    ref(&self, ins.a)
                    append("(")
                    if let site {
                        var first = true
                        if !site.env.isNone {
                            append("env ")
                            ref(&self, site.env)
                            first = false
                        }
                        for (i, a) in site.arguments.enumerated() {
                            if site.variadicStart == i {
                                append(first ? "..." : ", ...")
                                first = false
                            }
                            if !first { append(", ") }
                            first = false
                            abi(&self, a.type)
                            append(" ")
                            ref(&self, a.value)
                        }
                        if site.variadicStart == site.arguments.count { append(first ? "..." : ", ...") }
                    }
                    append(")\n")
                    continue
                }
                if !ins.result.isNone {
                    ref(&self, ins.result)
                    append(" =")
                    append(ins.type.name)
                    append(byte: 32)
                }
                append(ins.op.name)
                switch ins.op {
                case .blit:
                    append(" ")
                    ref(&self, ins.a)
                    append(", ")
                    ref(&self, ins.b)
                    append(", \(ins.extra)")
                case .dbgloc:
                    append(" ")
                    ref(&self, ins.a)
                    if let c = ins.b.constant, c.int < f.constants.count, f.constants[c.int] == .integer(0) {
                        break
                    }
                    append(", ")
                    ref(&self, ins.b)
                default:
                    append(" ")
                    ref(&self, ins.a)
                    if ins.op.operandCount == 2 {
                        append(", ")
                        ref(&self, ins.b)
                    }
                }
                newline()
            }
            switch block.terminator {
            case .none: break
            case .ret where f.tailCall(endingBlock: block) != nil: break
            case .jmp(let t):
                append("\tjmp ")
                label(&self, t)
                newline()
            case .jnz(let c, let t, let e):
                append("\tjnz ")
                ref(&self, c)
                append(", ")
                label(&self, t)
                append(", ")
                label(&self, e)
                newline()
            case .ret(let v):
                append("\tret")
                if !v.isNone {
                    append(" ")
                    ref(&self, v)
                }
                newline()
            case .hlt:
                append("\thlt\n")
            }
        }
        append("}\n")
    }

    /// Names as written when they are valid and distinct; otherwise fresh ones.
    static func uniqueNames(_ names: [String], fallback: String) -> [String] {
        var seen = Set<String>(minimumCapacity: names.count)
        var result = names
        var needsFix: [Int] = []
        for (i, n) in names.enumerated() {
            if isValidName(n) && seen.insert(n).inserted { continue }
            needsFix.append(i)
        }
        for i in needsFix {
            var base = isValidName(names[i]) ? names[i] + "." : fallback
            if base.isEmpty { base = fallback }
            var k = i
            var candidate = "\(base)\(k)"
            while !seen.insert(candidate).inserted {
                k += 1
                candidate = "\(base)\(k)"
            }
            result[i] = candidate
        }
        return result
    }

    static func isValidName(_ s: String) -> Bool {
        var first = true
        for c in s.utf8 {
            if first ? !isNameStart(c) : !isNameChar(c) { return false }
            first = false
        }
        return !first
    }
}
