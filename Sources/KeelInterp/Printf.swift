#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// printf's formatting. Each conversion is parsed here, its argument read
/// and narrowed per the length modifier, then numbers are rendered by the
/// host's `vsnprintf` with a sanitized single-conversion format, so the
/// output (rounding of `%f`/`%e`/`%g` included) is exactly the C library's.
extension Machine {
    func formatPrintf(_ fmt: [UInt8], _ values: [(UInt64, Conv)]) throws(RuntimeError) -> [UInt8] {
        var out: [UInt8] = []
        var next = 0
        func take() throws(RuntimeError) -> (UInt64, Conv) {
            guard next < values.count else {
                throw RuntimeError("printf: the format needs more than the \(values.count) argument\(values.count == 1 ? "" : "s") passed")
            }
            next += 1
            return values[next - 1]
        }
        var i = 0
        while i < fmt.count {
            let c = fmt[i]
            i += 1
            if c != UInt8(ascii: "%") {
                out.append(c)
                continue
            }
            var flags: [UInt8] = []
            while i < fmt.count, let f = Optional(fmt[i]), "-+ 0#".utf8.contains(f) {
                if !flags.contains(f) { flags.append(f) }
                i += 1
            }
            func number() throws(RuntimeError) -> Int? {
                if i < fmt.count, fmt[i] == UInt8(ascii: "*") {
                    i += 1
                    return Int(i32(try take().0))
                }
                var n: Int? = nil
                while i < fmt.count, fmt[i] >= 48, fmt[i] <= 57 {
                    n = min((n ?? 0) * 10 + Int(fmt[i] - 48), 1 << 20)
                    i += 1
                }
                return n
            }
            var width = try number()
            if let w0 = width, w0 < 0 {
                if !flags.contains(UInt8(ascii: "-")) { flags.append(UInt8(ascii: "-")) }
                width = -w0
            }
            var precision: Int? = nil
            if i < fmt.count, fmt[i] == UInt8(ascii: ".") {
                i += 1
                precision = try number() ?? 0
                if let p = precision, p < 0 { precision = nil }
            }
            var length = ""
            while i < fmt.count, let m = Optional(fmt[i]), "hlzjtLq".utf8.contains(m) {
                length.append(Character(UnicodeScalar(m)))
                i += 1
            }
            guard i < fmt.count else { throw RuntimeError("printf: incomplete conversion at the end of the format") }
            let conv = fmt[i]
            i += 1
            if let w0 = width, w0 > 1 << 20 { throw RuntimeError("printf: field width \(w0) too large") }
            var spec = "%" + String(decoding: flags, as: UTF8.self)
            if let width { spec += String(width) }
            if let precision { spec += "." + String(min(precision, 1 << 20)) }
            switch conv {
            case UInt8(ascii: "%"):
                out.append(conv)
            case UInt8(ascii: "d"), UInt8(ascii: "i"):
                let v = try take().0
                let n: Int64
                switch length {
                case "hh": n = Int64(Int8(truncatingIfNeeded: v))
                case "h": n = Int64(Int16(truncatingIfNeeded: v))
                case "": n = Int64(i32(v))
                default: n = i64(v)
                }
                out += cFormat(spec + "lld", n)
            case UInt8(ascii: "u"), UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "o"):
                let v = try take().0
                let n: UInt64
                switch length {
                case "hh": n = v & 0xFF
                case "h": n = v & 0xFFFF
                case "": n = v & 0xFFFF_FFFF
                default: n = v
                }
                out += cFormat(spec + "ll" + String(UnicodeScalar(conv)), n)
            case UInt8(ascii: "c"):
                let ch = UInt8(truncatingIfNeeded: try take().0)
                out += pad([ch], width: width, left: flags.contains(UInt8(ascii: "-")))
            case UInt8(ascii: "s"):
                let p = try take().0
                var s: [UInt8]
                if p == 0 {
                    s = Array("(null)".utf8)
                    if let precision, precision < 6 { s = [] }
                } else {
                    s = try string(at: p, for: "printf %s", limit: precision ?? Int.max)
                }
                out += pad(s, width: width, left: flags.contains(UInt8(ascii: "-")))
            case UInt8(ascii: "p"):
                let p = try take().0
                let s = p == 0 ? Array("(nil)".utf8) : Array(hex(p).utf8)
                out += pad(s, width: width, left: flags.contains(UInt8(ascii: "-")))
            case UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "e"), UInt8(ascii: "E"),
                 UInt8(ascii: "g"), UInt8(ascii: "G"), UInt8(ascii: "a"), UInt8(ascii: "A"):
                let (v, cls) = try take()
                let d = cls == .s ? Double(f32(v)) : f64(v)
                out += cFormat(spec + String(UnicodeScalar(conv)), d)
            default:
                throw RuntimeError("printf: unsupported conversion %\(String(UnicodeScalar(conv)))")
            }
        }
        return out
    }

    private func pad(_ s: [UInt8], width: Int?, left: Bool) -> [UInt8] {
        guard let width, width > s.count else { return s }
        let fill = [UInt8](repeating: 32, count: width - s.count)
        return left ? s + fill : fill + s
    }

    /// Renders one value with a single-conversion C format.
    private func cFormat(_ spec: String, _ value: any CVarArg) -> [UInt8] {
        var buffer = [CChar](repeating: 0, count: 128)
        var n = withVaList([value]) { va in
            spec.withCString { vsnprintf(&buffer, buffer.count, $0, va) }
        }
        if n >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(n) + 1)
            n = withVaList([value]) { va in
                spec.withCString { vsnprintf(&buffer, buffer.count, $0, va) }
            }
        }
        guard n > 0 else { return [] }
        return buffer[0..<Int(n)].map { UInt8(bitPattern: $0) }
    }
}
