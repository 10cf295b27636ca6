/// Printing for the evaluator, as Clojure 1.11 prints (and as the runtime's
/// print.c does): `pr` readably, `print` not.
extension EvalValue {
    /// Whether printing this value shows an order the runtime's hashing decides.
    var orderIsHashDefined: Bool {
        switch self {
        case .set(let xs): return xs.count > 1 || xs.contains { $0.orderIsHashDefined }
        case .map(let kv): return kv.count > 16 || kv.contains { $0.orderIsHashDefined }
        case .vector(let xs): return xs.contains { $0.orderIsHashDefined }
        case .list(let c): return (c?.items ?? []).contains { $0.orderIsHashDefined }
        default: return false
        }
    }

    func printed(readably: Bool) -> String {
        var out = ""
        print(to: &out, readably: readably)
        return out
    }

    func print(to out: inout String, readably: Bool) {
        switch self {
        case .nil_: out += "nil"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let n): out += String(n)
        case .double(let d): out += EvalValue.javaDouble(d)
        case .string(let s):
            guard readably else { out += s; return }
            out += "\""
            for c in s.unicodeScalars {
                switch c {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case "\r": out += "\\r"
                case "\u{0C}": out += "\\f"
                case "\u{08}": out += "\\b"
                default: out.unicodeScalars.append(c)
                }
            }
            out += "\""
        case .char(let c):
            let scalar = Unicode.Scalar(c) ?? "?"
            guard readably else { out.unicodeScalars.append(scalar); return }
            switch c {
            case 10: out += "\\newline"
            case 32: out += "\\space"
            case 9: out += "\\tab"
            case 13: out += "\\return"
            case 8: out += "\\backspace"
            case 12: out += "\\formfeed"
            default: out += "\\"; out.unicodeScalars.append(scalar)
            }
        case .keyword(let k): out += ":" + k
        case .symbol(let s): out += s
        case .list(let c): EvalValue.printItems(c?.items ?? [], "(", ")", &out, readably)
        case .vector(let xs): EvalValue.printItems(xs, "[", "]", &out, readably)
        case .set(let xs): EvalValue.printItems(xs, "#{", "}", &out, readably)
        case .map(let kv):
            out += "{"
            for i in stride(from: 0, to: kv.count, by: 2) {
                if i > 0 { out += ", " }
                kv[i].print(to: &out, readably: readably)
                out += " "
                kv[i + 1].print(to: &out, readably: readably)
            }
            out += "}"
        case .fn(let f): out += "#object[\(f.name)]"
        case .array(let a): out += "#object[\"\(a.typeName)\" \(a.count)]"
        }
    }

    private static func printItems(_ xs: [EvalValue], _ open: String, _ close: String, _ out: inout String, _ readably: Bool) {
        out += open
        for (i, x) in xs.enumerated() {
            if i > 0 { out += " " }
            x.print(to: &out, readably: readably)
        }
        out += close
    }

    /// Java's Double.toString: the shortest digits that read back, plain for
    /// 1e-3 <= |d| < 1e7, else d.dddE±n. Swift's description gives the
    /// shortest digits; they are laid out again here.
    static func javaDouble(_ d: Double) -> String {
        if d.isNaN { return "##NaN" }
        if d.isInfinite { return d > 0 ? "##Inf" : "##-Inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        let text = String(describing: abs(d))
        let parts = text.split(separator: "e")
        let mantissa = parts[0]
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let halves = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(halves[0]), fraction = halves.count > 1 ? String(halves[1]) : ""
        var digits = Array(whole + fraction)
        var point = whole.count + exponent   // digits before the decimal point
        while digits.count > 1 && digits[0] == "0" { digits.removeFirst(); point -= 1 }
        while digits.count > 1 && digits.last == "0" { digits.removeLast() }
        let e = point - 1
        var out = d < 0 ? "-" : ""
        let magnitude = abs(d)
        if magnitude >= 1e-3 && magnitude < 1e7 {
            if e >= 0 {
                for i in 0...e { out.append(i < digits.count ? digits[i] : "0") }
                out += "."
                out += digits.count > e + 1 ? String(digits[(e + 1)...]) : "0"
            } else {
                out += "0." + String(repeating: "0", count: -e - 1) + String(digits)
            }
        } else {
            out.append(digits[0])
            out += "." + (digits.count > 1 ? String(digits[1...]) : "0") + "E\(e)"
        }
        return out
    }
}
