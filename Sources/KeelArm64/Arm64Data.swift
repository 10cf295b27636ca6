// Data definitions as GNU assembler directives for AArch64 ELF.
import KeelCodegen
import KeelIR

enum Arm64Data {
    /// A GNU assembler string literal (printable ASCII as is, the rest in octal).
    static func quoted(_ bytes: [UInt8]) -> String {
        var s = "\""
        for b in bytes {
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                s += "\\" + String(UnicodeScalar(b))
            } else if (0x20..<0x7f).contains(b) {
                s.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let oct = String(b, radix: 8)
                s += "\\" + String(repeating: "0", count: 3 - oct.count) + oct
            }
        }
        return s + "\""
    }

    static func directive(_ t: ExtType) -> String {
        switch t {
        case .b: return ".byte"
        case .h: return ".short"
        case .w, .s: return ".int"
        case .l, .d: return ".quad"
        }
    }

    /// The directives of `d`. Thread-local data is written as for any ELF
    /// target (.tdata/.tbss); only code that reaches it is not selected yet.
    static func text(_ d: DataDefinition, module: Module) -> String {
        let name = module.name(d.name)
        var out = ""
        if d.linkage.common {
            if d.linkage.export { out += "\t.globl \(name)\n" }
            return out + "\t.comm \(name), \(d.size), \(d.alignment ?? 8)\n"
        }
        let zeroOnly = d.items.allSatisfy { if case .zero = $0 { true } else { false } }
        if let section = d.linkage.section {
            out += "\t.section \"\(section)\"\(ManagedRuntime.sectionFlags(d.linkage).map { ",\"\($0)\"" } ?? "")\n"
        } else if d.linkage.thread {
            out += zeroOnly ? "\t.section .tbss,\"awT\",@nobits\n" : "\t.section .tdata,\"awT\",@progbits\n"
        } else {
            out += zeroOnly ? "\t.bss\n" : "\t.data\n"
        }
        out += "\t.balign \(d.alignment ?? 8)\n"
        if d.linkage.export { out += "\t.globl \(name)\n" }
        out += "\(name):\n"
        for item in d.items {
            switch item {
            case .zero(let n) where n > 0: out += "\t.zero \(n)\n"
            case .zero: break
            case .references(let cells):
                for c in cells { out += "\t.quad \(c)\n" }
            case .values(let t, let values):
                for v in values {
                    switch v {
                    case .integer(let x): out += "\t\(directive(t)) \(x)\n"
                    case .single(let bits): out += "\t\(directive(t)) \(bits)\n"
                    case .double(let bits): out += "\t\(directive(t)) \(t.size == 4 ? bits & 0xffff_ffff : bits)\n"
                    case .symbol(let s, let off):
                        let sym = module.name(s)
                        out += "\t\(directive(t)) \(off == 0 ? sym : off > 0 ? "\(sym)+\(off)" : "\(sym)\(off)")\n"
                    case .string(let bytes): out += "\t.ascii \(quoted(bytes))\n"
                    }
                }
            }
        }
        out += "\t.size \(name), .-\(name)\n"
        return out + (StackMapSection.globalRoots(d, name: name) ?? "")
    }
}
