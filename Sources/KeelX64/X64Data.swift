// Data definitions as GNU assembler directives.
import KeelCodegen
import KeelIR

/// A GNU assembler string literal.
func quoted(_ bytes: [UInt8]) -> String {
    var s = "\""
    for b in bytes {
        switch b {
        case UInt8(ascii: "\""): s += "\\\""
        case UInt8(ascii: "\\"): s += "\\\\"
        case 0x20..<0x7f: s.unicodeScalars.append(Unicode.Scalar(b))
        default:
            let oct = String(b, radix: 8)
            s += "\\" + String(repeating: "0", count: 3 - oct.count) + oct
        }
    }
    return s + "\""
}

func emitData(_ d: DataDefinition, module: Module, into out: inout AssemblyWriter) {
    let name = module.name(d.name)
    let allZero = d.items.allSatisfy { if case .zero = $0 { return true } else { return false } }
    if d.linkage.common {
        if d.linkage.export { out += "\t.globl \(name)\n" }
        out += "\t.comm \(name), \(d.size), \(d.alignment ?? 8)\n"
        emitGlobalRoots(d, name: name, into: &out)
        return
    }
    if let section = d.linkage.section {
        out += "\t.section \"\(section)\"\(ManagedRuntime.sectionFlags(d.linkage).map { ",\"\($0)\"" } ?? "")\n"
    } else if d.linkage.thread {
        out += allZero ? "\t.section .tbss,\"awT\",@nobits\n" : "\t.section .tdata,\"awT\",@progbits\n"
    } else {
        out += allZero ? "\t.bss\n" : "\t.data\n"
    }
    out += "\t.balign \(d.alignment ?? 8)\n"
    if d.linkage.export { out += "\t.globl \(name)\n" }
    out += "\(name):\n"
    for item in d.items {
        switch item {
        case .zero(let n):
            if n > 0 { out += "\t.zero \(n)\n" }
        case .references(let cells):
            for c in cells { out += "\t.quad \(c)\n" }
        case .values(let t, let values):
            let directive: String
            switch t {
            case .b: directive = ".byte"
            case .h: directive = ".short"
            case .w, .s: directive = ".int"
            case .l, .d: directive = ".quad"
            }
            for v in values {
                switch v {
                case .integer(let x):
                    out += "\t\(directive) \(x)\n"
                case .single(let bits):
                    out += "\t\(directive) \(t.size == 8 ? UInt64(bits) : UInt64(bits))\n"
                case .double(let bits):
                    out += "\t\(directive) \(t.size == 4 ? bits & 0xffff_ffff : bits)\n"
                case .symbol(let s, let off):
                    let sym = module.name(s)
                    out += "\t\(directive) \(off == 0 ? sym : off > 0 ? "\(sym)+\(off)" : "\(sym)\(off)")\n"
                case .string(let bytes):
                    out += "\t.ascii \(quoted(bytes))\n"
                }
            }
        }
    }
    out += "\t.size \(name), .-\(name)\n"
    emitGlobalRoots(d, name: name, into: &out)
}

/// The `keel_globals` entries of `d`'s reference cells (KeelCodegen's `StackMapSection.globalRoots`).
func emitGlobalRoots(_ d: DataDefinition, name: String, into out: inout AssemblyWriter) {
    if let roots = StackMapSection.globalRoots(d, name: name) { out += roots }
}
