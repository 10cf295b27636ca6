// Contract: reads emitted arm64 text back into the target-independent
// effects of the emitted-code checks (KeelCodegen/EmittedCode.swift), with
// the independent text model (Arm64TextModel.swift) — not the emitter's
// tables. Registers are numbered as the text names them: x0–x30 are 0–30,
// sp is 31, v0–v31 are 32–63. Per line:
// - `mov`/`fmov` between 64-bit registers copy the value (a 32-bit move
//   leaves a computed one); `mov sp, x29` is judged as a frame tear-down;
// - `ldr`/`ldur`/`ldp` and `str`/`stur`/`stp` through `[base, #off]` load
//   and store cells (8-byte x/d registers whole, narrower ones computed);
//   post-indexed forms access `[base]` and then leave base computed;
//   `[base, x16|x17]` uses the constant the text last put in that register
//   with movz/movn/movk (tracked within a straight run of lines);
// - `add`/`sub sp, sp, #n` (or a tracked constant) move sp, `sub sp, sp, xN`
//   is a run-time allocation, `and xN, xN, #0xfffffffffffffff0` rounds a size;
// - `bl`/`blr` write the AAPCS64 caller-saved set (x0–x18, x30, v0–v7,
//   v16–v31) and are judged for alignment; `ret` is judged;
// - every other instruction writes its first operand register; `cmp`,
//   `cmn`, `fcmp` write only flags. An unknown mnemonic or addressing form
//   is a failure.
import KeelCodegen

enum Arm64ReadBack {
    static let sp = 31

    /// AAPCS64 facts for the checks (§6.1.1): x19–x28 and d8–d15 are
    /// callee-saved, x29 and x30 must hold their entry values at a return
    /// (the frame record and the return address), sp is 16-byte aligned at
    /// every call (and at entry, so its entry-relative offset is 0 mod 16);
    /// x16, x17 and v31 are the emitter's scratch (docs/arm64.md).
    static let convention = EmittedConvention(
        registerNames: (0..<31).map { "x\($0)" } + ["sp"] + (0..<32).map { "v\($0)" },
        stackPointer: sp,
        calleeSaved: Array(19...30) + Array(40...47),
        copyScratch: [16, 17, 63],
        callStackResidue: 0)

    /// Registers a call may overwrite (AAPCS64 §6.1.1, 6.1.2; the upper halves of v8–v15 are not modelled).
    static let callClobbers: [Int] = Array(0...18) + [30] + Array(32...39) + Array(48...63)

    /// One function's text (up to its `.size`), its lines numbered from 1.
    /// `copies` gives each parallel copy's moves and the bytes of `text` it took.
    static func function(named name: String, text: [UInt8], bodyStack: Int?,
                         copies: [(bytes: Range<Int>, moves: [(from: EmittedPlace, to: EmittedPlace)], point: String)])
        -> EmittedFunction {
        var f = EmittedFunction(name: name)
        f.bodyStack = bodyStack
        var starts: [Int] = []
        var lineStart = 0
        var number = 1
        var constants: [Int: Int] = [:]
        var i = 0
        while lineStart < text.count {
            i = lineStart
            while i < text.count, text[i] != UInt8(ascii: "\n") { i += 1 }
            let line = String(decoding: text[lineStart..<i], as: UTF8.self)
            if line.hasPrefix("\t.size ") { break }
            if read(Substring(line), number: number, into: &f, constants: &constants) { starts.append(lineStart) }
            number += 1
            lineStart = i + 1
        }
        for c in copies {
            let first = starts.firstIndex { $0 >= c.bytes.lowerBound } ?? starts.count
            let end = starts.firstIndex { $0 >= c.bytes.upperBound } ?? starts.count
            f.copies.append(EmittedCopy(lines: first..<end, moves: c.moves, point: c.point))
        }
        return f
    }

    /// Reads one line into `f`; false when it adds no line (blank, directive, unreadable).
    static func read(_ text: Substring, number: Int, into f: inout EmittedFunction, constants: inout [Int: Int]) -> Bool {
        let trimmed = String(text.drop { $0 == "\t" || $0 == " " })
        do throws(Arm64TextError) {
            switch try Arm64TextModel.parse(text) {
            case .nothing:
                return false
            case .directive(let d):
                if d.hasPrefix(".error") { throw Arm64TextError(reason: "an assembly-time error") }
                return false
            case .label(let name):
                constants = [:]
                f.lines.append(EmittedLine(number: number, text: trimmed, label: name))
                return true
            case .instruction(let m, let ops):
                let (effects, flow) = try self.effects(m, ops, constants: &constants)
                f.lines.append(EmittedLine(number: number, text: trimmed, effects: effects, flow: flow))
                return true
            }
        } catch {
            f.problems.append(.unmodelled(function: f.name, line: number, text: trimmed, reason: error.reason))
            return false
        }
    }

    static func register(_ op: Arm64TextOperand?) -> Arm64TextRegister? {
        if case .register(let r)? = op { return r }
        return nil
    }

    /// The immediate of operands `k...` (`#imm` with an optional `lsl #12`).
    static func immediate(_ ops: [Arm64TextOperand], _ k: Int) -> Int? {
        guard k < ops.count, case .immediate(let v) = ops[k] else { return nil }
        if k + 1 < ops.count, case .shift("lsl", let s) = ops[k + 1] { return v << s }
        return v
    }

    /// Base and offset of a memory operand whose offset is known (an immediate or a tracked constant).
    static func address(_ op: Arm64TextOperand, _ constants: [Int: Int]) throws(Arm64TextError) -> (base: Int, offset: Int)? {
        guard case .memory(let base, let offset, let index, let relocated, let pre) = op else {
            throw Arm64TextError(reason: "expected a memory operand")
        }
        if pre { throw Arm64TextError(reason: "pre-indexed addressing is not modelled") }
        if relocated { return nil }
        if let offset { return (base, offset) }
        if let index, let c = constants[index] { return (base, c) }
        if base == sp || base == 29 { throw Arm64TextError(reason: "a frame access at an unknown offset") }
        return nil
    }

    static func effects(_ m: String, _ ops: [Arm64TextOperand], constants: inout [Int: Int])
        throws(Arm64TextError) -> ([EmittedEffect], EmittedFlow) {
        let dest = register(ops.first)
        // Any write to x16/x17 other than the constant-building moves forgets their constant.
        if let d = dest?.number, d == 16 || d == 17, !["movz", "movn", "movk"].contains(m),
           !m.hasPrefix("st"), m != "cmp", m != "cmn" {
            constants[d] = nil
        }
        switch m {
        case "mov", "fmov":
            guard let d = dest else { throw Arm64TextError(reason: "\(m) without a destination register") }
            guard let s = register(ops.count > 1 ? ops[1] : nil), let dn = d.number else {
                if let dn = d.number, dn == 16 || dn == 17, m == "mov", d.width == 8, let v = immediate(ops, 1) {
                    constants[dn] = v
                }
                return (d.number.map { [.write($0)] } ?? [], .next)
            }
            guard let sn = s.number else { return ([.write(dn)], .next) }
            let whole = d.width == 8 && s.width == 8 && d.isFloat == s.isFloat
            if dn == sp {
                guard whole, sn == 29 else { throw Arm64TextError(reason: "sp is only restored from x29") }
                return ([.expectBodyStack, .copy(to: sp, from: 29, whole: true)], .next)
            }
            return ([.copy(to: dn, from: sn, whole: whole)], .next)
        case "movz", "movn", "movk":
            guard let d = dest?.number, let v = immediate(ops, 1) else { throw Arm64TextError(reason: "bad \(m)") }
            if d == 16 || d == 17 {
                switch m {
                case "movz": constants[d] = v
                case "movn": constants[d] = ~v
                default:
                    if let old = constants[d], case .shift(_, let s)? = ops.count > 2 ? ops[2] : nil {
                        constants[d] = (old & ~(0xffff << s)) | v
                    } else {
                        constants[d] = nil
                    }
                }
            }
            return ([.write(d)], .next)
        case "add", "sub":
            guard let d = dest?.number else { throw Arm64TextError(reason: "\(m) without a destination") }
            if d == sp {
                guard register(ops.count > 1 ? ops[1] : nil)?.number == sp else {
                    throw Arm64TextError(reason: "sp is only adjusted relative to itself")
                }
                let sign = m == "add" ? 1 : -1
                if let v = immediate(ops, 2) { return ([.moveStack(by: sign * v)], .next) }
                if let r = register(ops.count > 2 ? ops[2] : nil)?.number {
                    if let c = constants[r] { return ([.moveStack(by: sign * c)], .next) }
                    if m == "sub" { return ([.allocateStack(by: r)], .next) }
                }
                throw Arm64TextError(reason: "an sp adjustment by an unknown amount")
            }
            return ([.write(d)], .next)
        case "and":
            guard let d = dest?.number else { throw Arm64TextError(reason: "and without a destination") }
            if register(ops.count > 1 ? ops[1] : nil)?.number == d, dest?.width == 8, immediate(ops, 2) == -16 {
                return ([.alignDown16(d)], .next)
            }
            return ([.write(d)], .next)
        case "stp", "ldp":
            guard ops.count == 3, let a = register(ops[0]), let b = register(ops[1]), a.width == 8, b.width == 8,
                  let an = a.number, let bn = b.number else { throw Arm64TextError(reason: "bad \(m)") }
            guard let addr = try address(ops[2], constants) else { throw Arm64TextError(reason: "\(m) off the stack") }
            if m == "stp" {
                return ([.store(from: an, base: addr.base, offset: addr.offset, width: 8),
                         .store(from: bn, base: addr.base, offset: addr.offset + 8, width: 8)], .next)
            }
            return ([.load(to: an, base: addr.base, offset: addr.offset, whole: true),
                     .load(to: bn, base: addr.base, offset: addr.offset + 8, whole: true)], .next)
        case "str", "stur", "strb", "sturb", "strh", "sturh":
            guard ops.count >= 2, let r = dest else { throw Arm64TextError(reason: "bad \(m)") }
            let width = m.hasSuffix("b") ? 1 : m.hasSuffix("h") ? 2 : r.width
            let value = width == 8 ? r.number : nil
            var e: [EmittedEffect] = []
            if let a = try address(ops[1], constants) {
                e.append(.store(from: value, base: a.base, offset: a.offset, width: width))
            }
            try postIndex(ops, into: &e)
            return (e, .next)
        case "ldr", "ldur", "ldrb", "ldurb", "ldrh", "ldurh", "ldrsb", "ldursb", "ldrsh", "ldursh", "ldrsw", "ldursw":
            guard ops.count >= 2, let r = dest, let d = r.number else { throw Arm64TextError(reason: "bad \(m)") }
            let whole = (m == "ldr" || m == "ldur") && r.width == 8
            var e: [EmittedEffect] = []
            if let a = try address(ops[1], constants) {
                e.append(.load(to: d, base: a.base, offset: a.offset, whole: whole))
            } else {
                e.append(.write(d))
            }
            try postIndex(ops, into: &e)
            return (e, .next)
        case "bl", "blr":
            return ([.call] + callClobbers.map { .write($0) }, .next)
        case "ret":
            return ([.ret], .stop)
        case "brk":
            return ([], .stop)
        case "b":
            guard case .symbol(let l)? = ops.first else { throw Arm64TextError(reason: "an indirect branch") }
            // A tail call leaves the function as a return does: judged the same way.
            if !l.hasPrefix(".L") && !(l.dropLast().allSatisfy(\.isNumber) && (l.last == "f" || l.last == "b")) {
                return ([.ret], .stop)
            }
            return ([], .branch(l, conditional: false))
        case "br":
            // Only a tail call branches through a register, and only through x10 (Arm64Inst.tailCall).
            guard case .register(let r)? = ops.first, r.number == 10 else { throw Arm64TextError(reason: "an indirect branch") }
            return ([.ret], .stop)
        case "cbz", "cbnz":
            guard ops.count == 2, case .symbol(let l) = ops[1] else { throw Arm64TextError(reason: "bad \(m)") }
            return ([], .branch(l, conditional: true))
        case _ where m.hasPrefix("b."):
            guard case .symbol(let l)? = ops.first else { throw Arm64TextError(reason: "bad \(m)") }
            return ([], .branch(l, conditional: true))
        case "cmp", "cmn", "fcmp":
            return ([], .next)
        case "mul", "madd", "msub", "sdiv", "udiv", "orr", "eor", "lsl", "lsr", "asr", "neg", "cset", "adrp",
             "sxtb", "sxth", "sxtw", "uxtb", "uxth", "fadd", "fsub", "fmul", "fdiv", "fneg", "fsqrt", "fcvt",
             "fcvtzs", "fcvtzu", "scvtf", "ucvtf", "mrs":
            guard let d = dest?.number else { throw Arm64TextError(reason: "\(m) without a destination register") }
            if d == sp { throw Arm64TextError(reason: "\(m) writes sp") }
            return ([.write(d)], .next)
        default:
            throw Arm64TextError(reason: "unknown mnemonic \(m)")
        }
    }

    /// A post-indexed access (`[base], #n`) leaves its base register computed.
    static func postIndex(_ ops: [Arm64TextOperand], into e: inout [EmittedEffect]) throws(Arm64TextError) {
        guard ops.count == 3, case .memory(let base, _, _, _, _) = ops[1], case .immediate = ops[2] else { return }
        if base == sp { throw Arm64TextError(reason: "post-indexed sp is not modelled") }
        e.append(.write(base))
    }
}
