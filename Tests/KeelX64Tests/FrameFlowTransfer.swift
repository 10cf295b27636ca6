// Contract: the effect of one emitted line on a `FrameState`. Frame memory
// is what `OFF(%rbp)` (while %rbp holds a frame address) and `OFF(%rsp)`
// (while %rsp's offset is known) name; a 64-bit `movq` between registers and
// cells copies the symbolic value, push/pop move values through the cell at
// %rsp, `leave` is `movq %rbp, %rsp; popq %rbp`, `add`/`sub $n, %rsp` move
// %rsp, `subq %r, %rsp` is a run-time allocation (alignment kept when %r is
// a multiple of 16 from `andq $-16`). Every other register the operand model
// says a line writes holds "other" afterwards (a call writes the
// caller-saved set only, as the convention promises). Stores through other
// base registers are not followed (an address computed into a register is
// not tracked), so the check trusts that only rbp/rsp-based stores reach the
// save area.

extension FrameState {
    /// The state after `line`.
    func after(_ line: FrameFlowLine) -> FrameState {
        guard case .instruction(let m, let ops) = line.parsed else { return self }
        var s = self
        let raw = line.rawOperands
        switch m {
        case "pushq":
            let v = value(of: raw[0])
            s.rsp = rsp.moved(by: -8)
            if case .offset(let k) = s.rsp { s.store(v, at: k, width: 8) }
            return s
        case "popq":
            let v: FrameValue
            if case .offset(let k) = rsp { v = load(k) } else { v = .other }
            s.rsp = rsp.moved(by: 8)
            s.write(v, to: raw[0], operand: ops[0], width: 8)
            return s
        case "leave":
            if case .address(let k) = self[.rbp] {
                s.rsp = .offset(k + 8)
                s[.rbp] = load(k)
            } else {
                s.rsp = .unknown
                s[.rbp] = .other
            }
            return s
        default:
            break
        }
        let effect = line.effect
        for r in effect.writes where r == .rsp { s.rsp = stackPointer(after: m, raw) }
        for r in effect.writes where r != .rsp { s[r] = .other }
        // The value a move, load or `andq $-16` leaves in its destination.
        if let dst = ops.last, case .register(let d) = dst, effect.writes.contains(d), d != .rsp {
            if m == "movq", raw.count == 2 { s[d] = value(of: raw[0]) }
            if m == "andq", raw.first == "$-16" { s[d] = .aligned16 }
        }
        // A store into the frame.
        if let dst = ops.last, case .memory = dst, writesMemoryDestination(m), let a = frameAddress(raw[raw.count - 1]) {
            let v = m == "movq" && raw.count == 2 ? value(of: raw[0]) : .other
            s.store(v, at: a, width: FrameState.width(of: m))
        }
        return s
    }

    /// %rsp after an instruction that writes it (other than push, pop, leave).
    func stackPointer(after m: String, _ raw: [String]) -> FrameStackPointer {
        guard raw.count == 2, raw[1] == "%rsp" else { return .unknown }
        if let n = FrameState.immediate(raw[0]) {
            if m == "subq" { return rsp.moved(by: -n) }
            if m == "addq" { return rsp.moved(by: n) }
        }
        if m == "movq", case .address(let k) = value(of: raw[0]) { return .offset(k) }
        if m == "subq", raw[0].hasPrefix("%") {
            guard let r = ModelRegister.named(raw[0].dropFirst()) else { return .unknown }
            return .dynamic(mod16: self[r] == .aligned16 ? rsp.mod16 : nil)
        }
        return .unknown
    }

    /// What a source operand holds: a 64-bit register, %rsp as an address, or a frame cell.
    func value(of operand: String) -> FrameValue {
        if operand == "%rsp" {
            if case .offset(let k) = rsp { return .address(k) }
            return .other
        }
        if operand.hasPrefix("%"), ModelRegister.fullNames.contains(String(operand.dropFirst())),
           let r = ModelRegister.named(operand.dropFirst()) {
            return self[r]
        }
        if let a = frameAddress(operand) { return load(a) }
        return .other
    }

    /// Writes `v` to a pop's destination (a register or a frame cell).
    mutating func write(_ v: FrameValue, to raw: String, operand: ModelOperand, width: Int) {
        switch operand {
        case .register(let r) where r != .rsp: self[r] = v
        case .register: rsp = .unknown
        case .memory: if let a = frameAddress(raw) { store(v, at: a, width: width) }
        default: break
        }
    }

    /// The entry-relative offset `D(%rbp)` or `D(%rsp)` names, if known.
    func frameAddress(_ operand: String) -> Int? {
        guard operand.hasSuffix(")"), let open = operand.firstIndex(of: "(") else { return nil }
        let base = operand[operand.index(after: open)..<operand.index(before: operand.endIndex)]
        let dispText = operand[..<open]
        guard let disp = dispText.isEmpty ? 0 : Int(dispText) else { return nil }
        switch base {
        case "%rbp":
            if case .address(let k) = self[.rbp] { return k + disp }
        case "%rsp":
            if case .offset(let k) = rsp { return k + disp }
        default: break
        }
        return nil
    }

    static func immediate(_ s: String) -> Int? {
        guard s.hasPrefix("$") else { return nil }
        let body = s.dropFirst()
        if body.hasPrefix("0x") { return Int(body.dropFirst(2), radix: 16) }
        if body.hasPrefix("-0x") { return Int(body.dropFirst(3), radix: 16).map { -$0 } }
        return Int(body)
    }

    /// Bytes a store by `m` writes (16 when unsure, to forget generously).
    static func width(of m: String) -> Int {
        switch m {
        case "movsd": return 8
        case "movss", "movd": return 4
        default: break
        }
        if m.hasPrefix("set") { return 1 }
        switch m.last {
        case "q": return 8
        case "l": return 4
        case "w": return 2
        case "b": return 1
        default: return 16
        }
    }
}

/// Whether `m` writes its last operand when that is memory.
func writesMemoryDestination(_ m: String) -> Bool {
    switch ModelShape.of[m] {
    case .compare, .divide, .multiply, .branch, .call, .push, .ret, .leave, .trap, .nothing, .repeatString, .none: return false
    default: return true
    }
}
