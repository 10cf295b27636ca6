// Contract: a model of one line of AArch64 GNU assembler text, written from
// the ARM ARM's operand syntax, independent of the emitter: a label, a
// directive, or a mnemonic with its operands (registers with their width,
// immediates, memory operands with their base, offset and write-back, and
// symbols). Arm64ReadBack.swift turns these into the emitted-code checks'
// effects. Unknown syntax is an error, never a guess.

/// A register as the text names it: number 0–30 for x/w, 31 for sp/wsp,
/// 32–63 for v/q/d/s/h/b; `nil` number for the zero register.
struct Arm64TextRegister: Hashable {
    var number: Int?
    /// Bytes the name accesses: 8 for x/sp/d, 4 for w/wsp/s, 2 for h, 1 for b, 16 for q/v.
    var width: Int
    var isFloat: Bool { (number ?? 0) >= 32 }

    init?(_ s: Substring) {
        switch s {
        case "sp": (number, width) = (31, 8); return
        case "wsp": (number, width) = (31, 4); return
        case "xzr": (number, width) = (nil, 8); return
        case "wzr": (number, width) = (nil, 4); return
        case "fp": (number, width) = (29, 8); return
        case "lr": (number, width) = (30, 8); return
        default: break
        }
        guard let first = s.first, let n = Int(s.dropFirst()), n >= 0, n < 32 else { return nil }
        switch first {
        case "x" where n < 31: (number, width) = (n, 8)
        case "w" where n < 31: (number, width) = (n, 4)
        case "d": (number, width) = (32 + n, 8)
        case "s": (number, width) = (32 + n, 4)
        case "h": (number, width) = (32 + n, 2)
        case "b": (number, width) = (32 + n, 1)
        case "q", "v": (number, width) = (32 + n, 16)
        default: return nil
        }
    }
}

enum Arm64TextOperand: Hashable {
    case register(Arm64TextRegister)
    case immediate(Int)
    /// `lsl #n` and friends, as a separate operand.
    case shift(String, Int)
    /// `[base]`, `[base, #off]`, `[base, #off]!`, `[base, xN]` (`index`), a
    /// scaled or extended register index (both nil: the offset is unknown), or a
    /// relocated offset (`:lo12:sym`, then `offset` is nil and `relocated` set).
    case memory(base: Int, offset: Int?, index: Int?, relocated: Bool, preIndex: Bool)
    /// A symbol, label or relocation expression.
    case symbol(String)
}

enum Arm64TextLine {
    case nothing
    case directive(String)
    case label(String)
    case instruction(String, [Arm64TextOperand])
}

struct Arm64TextError: Error { var reason: String }

enum Arm64TextModel {
    static func parse(_ raw: Substring) throws(Arm64TextError) -> Arm64TextLine {
        let text = raw.drop { $0 == " " || $0 == "\t" }
        if text.isEmpty { return .nothing }
        if text.hasPrefix(".") && !text.hasSuffix(":") { return .directive(String(text)) }
        if text.hasSuffix(":"), !text.contains(" ") { return .label(String(text.dropLast())) }
        let mnemonicEnd = text.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? text.endIndex
        let mnemonic = String(text[..<mnemonicEnd])
        var operands: [Arm64TextOperand] = []
        for piece in splitOperands(text[mnemonicEnd...]) { operands.append(try operand(piece)) }
        return .instruction(mnemonic, operands)
    }

    /// Operands separated by commas outside brackets.
    static func splitOperands(_ s: Substring) -> [Substring] {
        var out: [Substring] = []
        var depth = 0
        var start = s.startIndex
        for i in s.indices {
            switch s[i] {
            case "[": depth += 1
            case "]": depth -= 1
            case "," where depth == 0:
                out.append(s[start..<i])
                start = s.index(after: i)
            default: break
            }
        }
        out.append(s[start...])
        return out.map { $0.drop { $0 == " " || $0 == "\t" } }.map { p in
            var q = p
            while q.last == " " { q = q.dropLast() }
            return q
        }.filter { !$0.isEmpty }
    }

    static func number(_ s: Substring) -> Int? {
        var body = s
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() }
        let value: Int?
        if body.hasPrefix("0x") {
            value = UInt64(body.dropFirst(2), radix: 16).map { Int(bitPattern: UInt($0)) }
        } else {
            value = Int(body)
        }
        return value.map { negative ? -$0 : $0 }
    }

    static func operand(_ s: Substring) throws(Arm64TextError) -> Arm64TextOperand {
        if s.hasPrefix("#:") { return .symbol(String(s.dropFirst())) }  // a relocation operator
        if s.hasPrefix("#") {
            guard let v = number(s.dropFirst()) else { throw Arm64TextError(reason: "bad immediate \(s)") }
            return .immediate(v)
        }
        if s.hasPrefix("lsl #") || s.hasPrefix("lsr #") || s.hasPrefix("asr #") {
            guard let v = number(s.dropFirst(5)) else { throw Arm64TextError(reason: "bad shift \(s)") }
            return .shift(String(s.prefix(3)), v)
        }
        if s.hasPrefix("[") {
            var body = s.dropFirst()
            var preIndex = false
            if body.hasSuffix("]!") { preIndex = true; body = body.dropLast(2) }
            else if body.hasSuffix("]") { body = body.dropLast() }
            else { throw Arm64TextError(reason: "bad memory operand \(s)") }
            let parts = splitOperands(body)
            guard let first = parts.first, let base = Arm64TextRegister(first), let b = base.number, base.width == 8 else {
                throw Arm64TextError(reason: "bad base in \(s)")
            }
            if parts.count == 1 { return .memory(base: b, offset: 0, index: nil, relocated: false, preIndex: preIndex) }
            if parts.count == 3 {
                // `[base, xN, lsl #k]` or `[base, wN, sxtw|uxtw {#k}]`: a register index, scaled.
                guard let r = Arm64TextRegister(parts[1]), r.number != nil, r.number != 31, !r.isFloat,
                      parts[2].hasPrefix("lsl") && r.width == 8
                        || (parts[2].hasPrefix("sxtw") || parts[2].hasPrefix("uxtw")) && r.width == 4 else {
                    throw Arm64TextError(reason: "unsupported addressing \(s)")
                }
                return .memory(base: b, offset: nil, index: nil, relocated: false, preIndex: preIndex)
            }
            guard parts.count == 2 else { throw Arm64TextError(reason: "unsupported addressing \(s)") }
            if parts[1].hasPrefix("#"), let v = number(parts[1].dropFirst()) {
                return .memory(base: b, offset: v, index: nil, relocated: false, preIndex: preIndex)
            }
            if parts[1].hasPrefix(":") || parts[1].hasPrefix("#:") {
                return .memory(base: b, offset: nil, index: nil, relocated: true, preIndex: preIndex)
            }
            if let r = Arm64TextRegister(parts[1]), let n = r.number, r.width == 8, n != 31 {
                return .memory(base: b, offset: nil, index: n, relocated: false, preIndex: preIndex)
            }
            throw Arm64TextError(reason: "unsupported addressing \(s)")
        }
        if let r = Arm64TextRegister(s) { return .register(r) }
        return .symbol(String(s))
    }
}
