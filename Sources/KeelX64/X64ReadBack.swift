// Contract: reads emitted x86-64 text back into the target-independent
// effects of the emitted-code checks (KeelCodegen/EmittedCode.swift), with
// the independent AT&T model (X64TextModel.swift) — not the emitter's
// tables. Per line:
// - `push`/`pop` move %rsp by 8 and go through the cell at %rsp; `leave` is
//   judged as a frame tear-down, then is `movq %rbp, %rsp; popq %rbp`;
// - a 64-bit `movq` (or `movaps`/`movsd` of a whole value) between
//   registers and `OFF(%rbp)`/`OFF(%rsp)` cells copies the value; narrower
//   moves leave a computed one;
// - `add`/`sub $n, %rsp` move %rsp, `subq %r, %rsp` is a run-time
//   allocation, `andq $-16, %r` rounds a size;
// - a call writes the System V caller-saved set (from the psABI, in
//   X64TextRegisters.swift) and is judged for alignment; `ret` is judged,
//   and so is a tail call's `jmp` to a symbol or `*%r10`, which leaves the
//   function as `ret` does (callee-saved registers restored, %rsp at entry);
// - every other register the model says a line writes holds a computed
//   value, every other memory destination with a simple base is a computed
//   store. An indirect jump or a line the model does not know is a failure.

import KeelCodegen

enum X64ReadBack {
    /// System V facts for the checks: rbx, rbp, r12–r15 are callee-saved
    /// (psABI §3.2.1); %rsp + 8 is 16-byte aligned at entry, so %rsp's
    /// entry-relative offset is 8 mod 16 at every call; r11 and xmm15 are
    /// the emitter's scratch (docs/x64.md).
    static let convention = EmittedConvention(
        registerNames: ModelRegister.fullNames.map { "%" + $0 } + ["the value a push or pop carries"],
        stackPointer: ModelRegister.rsp.number,
        calleeSaved: [3, 5, 12, 13, 14, 15],
        copyScratch: [ModelRegister.r11.number, ModelRegister.xmm(15).number, scratchTransfer],
        callStackResidue: 8)

    /// One function's text (up to its `.size`), its lines numbered from `firstLine`.
    /// `copies` gives each parallel copy's moves and the bytes of `text` it took.
    /// `cache` remembers what each distinct line reads as (lines repeat a lot).
    static func function(named name: String, text: [UInt8], firstLine: Int = 1, bodyStack: Int?,
                         copies: [(bytes: Range<Int>, moves: [(from: EmittedPlace, to: EmittedPlace)], point: String)] = [],
                         cache: X64LineCache = X64LineCache())
        -> EmittedFunction {
        var f = EmittedFunction(name: name)
        f.bodyStack = bodyStack
        var starts: [Int] = []
        var number = firstLine
        var lineStart = 0
        for (i, byte) in text.enumerated() where byte == UInt8(ascii: "\n") {
            let line = String(decoding: text[lineStart..<i], as: UTF8.self)
            if line.hasPrefix("\t.size ") { break }  // the function's constants follow
            if read(line, number: number, into: &f, cache: cache) { starts.append(lineStart) }
            number += 1
            lineStart = i + 1
        }
        if lineStart < text.count {
            if read(String(decoding: text[lineStart...], as: UTF8.self), number: number, into: &f, cache: cache) {
                starts.append(lineStart)
            }
        }
        for c in copies {
            // The lines that start inside the copy's bytes.
            let first = firstIndex(in: starts, atLeast: c.bytes.lowerBound)
            let end = firstIndex(in: starts, atLeast: c.bytes.upperBound)
            f.copies.append(EmittedCopy(lines: first..<end, moves: c.moves, point: c.point))
        }
        return f
    }

    static func firstIndex(in sorted: [Int], atLeast v: Int) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Every function of a module's text (from `.type NAME, @function` and
    /// `NAME:` to `.size NAME`), numbered by their lines in `text`; the body
    /// stack offset is read from the prologue (`pushq %rbp; movq %rsp, %rbp; subq $n, %rsp`).
    static func functions(in text: String) -> [EmittedFunction] {
        var result: [EmittedFunction] = []
        var pending: String?
        var current: (name: String, first: Int, lines: [String])?
        for (k, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingWhitespace()
            if var c = current {
                if line.hasPrefix(".size ") {
                    let body = Array(c.lines.joined(separator: "\n").utf8)
                    result.append(function(named: c.name, text: body, firstLine: c.first, bodyStack: prologueStack(c.lines)))
                    current = nil
                } else {
                    c.lines.append(line)
                    current = c
                }
            } else if line.hasPrefix(".type "), line.hasSuffix(", @function") {
                pending = String(line.dropFirst(6).dropLast(11))
            } else if let name = pending, line == name + ":" {
                current = (name, k + 2, [])
                pending = nil
            }
        }
        return result
    }

    /// %rsp's entry-relative offset after a frame-pointer prologue, if the lines start with one.
    static func prologueStack(_ lines: [String]) -> Int? {
        let code = lines.filter { !$0.isEmpty && $0 != "endbr64" && !$0.hasPrefix(".") }
        guard code.count >= 2, code[0] == "pushq %rbp", code[1] == "movq %rsp, %rbp" else { return nil }
        if code.count > 2, code[2].hasPrefix("subq $"), code[2].hasSuffix(", %rsp"),
           let n = Int(code[2].dropFirst(6).dropLast(6)) {
            return framePointer - n
        }
        return framePointer
    }

    /// Reads one line into `f`; false when it adds no line (blank, directive, unreadable).
    static func read(_ raw: String, number: Int, into f: inout EmittedFunction, cache: X64LineCache) -> Bool {
        let reading: X64LineCache.Reading
        if let known = cache.known[raw] {
            reading = known
        } else {
            reading = read(raw)
            cache.known[raw] = reading
        }
        switch reading {
        case .nothing:
            return false
        case .line(let text, let label, let effects, let flow):
            f.lines.append(EmittedLine(number: number, text: text, label: label, effects: effects, flow: flow))
            return true
        case .unmodelled(let text, let reason):
            f.problems.append(.unmodelled(function: f.name, line: number, text: text, reason: reason))
            return false
        }
    }

    /// What one line reads as, wherever it appears.
    static func read(_ raw: String) -> X64LineCache.Reading {
        let text = raw.trimmingWhitespace()
        if text.isEmpty { return .nothing }
        do throws(ModelParseError) {
            let (parsed, raw) = try ModelLine.parseKeepingOperands(text)
            switch parsed {
            case .directive:
                return .nothing
            case .label(let name):
                return .line(text: text, label: name, effects: [], flow: .next)
            case .instruction(let m, let ops):
                let model = try ModelEffect(mnemonic: m, operands: ops)
                if m == "jmp", ops.count == 1, ops[0].isTailJumpTarget {
                    // A tail call leaves the function as a return does: judged the same way.
                    return .line(text: text, label: nil, effects: [.ret], flow: .stop)
                }
                if m.hasPrefix("j"), ops.count == 1, case .indirect = ops[0] {
                    throw ModelParseError.badOperand("an indirect jump leaves the function's graph")
                }
                let flow: EmittedFlow
                switch model.flow {
                case .next: flow = .next
                case .stop: flow = .stop
                case .branch(let label, let conditional): flow = .branch(label, conditional: conditional)
                }
                return .line(text: text, label: nil, effects: effects(m, ops, raw, model), flow: flow)
            }
        } catch {
            return .unmodelled(text: text, reason: error.description)
        }
    }

    static let rsp = ModelRegister.rsp.number, rbp = ModelRegister.rbp.number
    /// %rbp's entry-relative value once the prologue has pushed it: `OFF(%rbp)` is the cell at framePointer + OFF.
    static let framePointer = -8

    /// `D(%base)` with no index: the base register and displacement.
    static func simpleAddress(_ operand: String) -> (base: Int, offset: Int)? {
        guard operand.hasSuffix(")"), let open = operand.firstIndex(of: "(") else { return nil }
        let inside = operand[operand.index(after: open)..<operand.index(before: operand.endIndex)]
        let disp = operand[..<open]
        guard inside.hasPrefix("%"), !inside.contains(","), let r = ModelRegister.named(inside.dropFirst()), !r.isVector,
              let d = disp.isEmpty ? 0 : Int(disp) else { return nil }
        return (r.number, d)
    }

    static func register(_ op: ModelOperand) -> Int? { op.writtenRegister.map(\.number) }

    /// Whether a move by `m` carries a whole value (8 bytes, or a whole vector register).
    static func isWholeMove(_ m: String) -> Bool { ["movq", "movaps", "movapd", "movsd"].contains(m) }

    static func immediate(_ s: String) -> Int? {
        guard s.hasPrefix("$") else { return nil }
        let body = s.dropFirst()
        if body.hasPrefix("0x") { return Int(body.dropFirst(2), radix: 16) }
        if body.hasPrefix("-0x") { return Int(body.dropFirst(3), radix: 16).map { -$0 } }
        return Int(body)
    }

    static func effects(_ m: String, _ ops: [ModelOperand], _ raw: [String], _ model: ModelEffect) -> [EmittedEffect] {
        switch m {
        case "pushq":
            var e: [EmittedEffect] = [.moveStack(by: -8)]
            if let r = register(ops[0]) {
                e.append(.store(from: r, base: rsp, offset: 0, width: 8))
            } else if let a = simpleAddress(raw[0]) {
                // The source address is formed before %rsp moves.
                e = [.load(to: scratchTransfer, base: a.base, offset: a.offset, whole: true), .moveStack(by: -8),
                     .store(from: scratchTransfer, base: rsp, offset: 0, width: 8)]
            } else {
                e.append(.store(from: nil, base: rsp, offset: 0, width: 8))
            }
            return e
        case "popq":
            if let r = register(ops[0]) { return [.load(to: r, base: rsp, offset: 0, whole: true), .moveStack(by: 8)] }
            var e: [EmittedEffect] = [.load(to: scratchTransfer, base: rsp, offset: 0, whole: true), .moveStack(by: 8)]
            if let a = simpleAddress(raw[0]) { e.append(.store(from: scratchTransfer, base: a.base, offset: a.offset, width: 8)) }
            return e
        case "leave":
            return [.expectBodyStack, .setStack(from: rbp, plus: 0), .load(to: rbp, base: rsp, offset: 0, whole: true),
                    .moveStack(by: 8)]
        case "ret":
            return [.ret]
        case "call", "callq":
            return [.call] + SysVModel.callerSaved.map { .write($0.number) }
        default:
            break
        }
        // Moves between registers and frame cells carry values.
        if m.hasPrefix("mov"), ops.count == 2, !m.hasPrefix("movs") || m == "movsd" || m == "movss" {
            let whole = isWholeMove(m)
            switch (ops[0], ops[1]) {
            case (.register(let s), .register(let d)):
                return [.copy(to: d.number, from: s.number, whole: whole && !(m == "movsd" || m == "movss"))]
            case (.memory, .register(let d)):
                if let a = simpleAddress(raw[0]) { return [.load(to: d.number, base: a.base, offset: a.offset, whole: whole)] }
                return [.write(d.number)]
            case (.register(let s), .memory):
                if let a = simpleAddress(raw[1]) {
                    let width = width(of: m)
                    return [.store(from: whole && width == 8 ? s.number : nil, base: a.base, offset: a.offset, width: width)]
                }
                return []
            default:
                break
            }
        }
        var e: [EmittedEffect] = []
        for r in model.writes {
            if r.number == rsp {
                e.append(stackWrite(m, raw))
            } else if m == "andq", raw.first == "$-16" {
                e.append(.alignDown16(r.number))
            } else {
                e.append(.write(r.number))
            }
        }
        if let dst = ops.last, case .memory = dst, writesMemoryDestination(m), let a = simpleAddress(raw[raw.count - 1]) {
            e.append(.store(from: nil, base: a.base, offset: a.offset, width: width(of: m)))
        }
        return e
    }

    /// A register no allocation uses, standing for the value a push or pop carries between memory cells:
    /// the number just past the register file, which `convention` names too.
    static let scratchTransfer = ModelRegister.fullNames.count

    /// What an instruction other than push, pop, leave does to %rsp when it writes it.
    static func stackWrite(_ m: String, _ raw: [String]) -> EmittedEffect {
        guard raw.count == 2, raw[1] == "%rsp" else { return .write(rsp) }
        if let n = immediate(raw[0]) {
            if m == "subq" { return .moveStack(by: -n) }
            if m == "addq" { return .moveStack(by: n) }
        }
        if m == "subq", raw[0].hasPrefix("%"), let r = ModelRegister.named(raw[0].dropFirst()) { return .allocateStack(by: r.number) }
        return .write(rsp)
    }

    /// Bytes a store by `m` writes (16 when unsure, to forget generously).
    static func width(of m: String) -> Int {
        switch m {
        case "movsd", "movq": return 8
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

    /// Whether `m` writes its last operand when that is memory.
    static func writesMemoryDestination(_ m: String) -> Bool {
        switch ModelShape.of[m] {
        case .compare, .divide, .multiply, .branch, .call, .push, .ret, .leave, .trap, .nothing, .repeatString, .none: return false
        default: return true
        }
    }
}

/// What each distinct line of text reads as, kept across the functions of a
/// module (a class, so a writer can share it without being mutated).
final class X64LineCache {
    enum Reading {
        /// A blank line or a directive.
        case nothing
        case line(text: String, label: String?, effects: [EmittedEffect], flow: EmittedFlow)
        case unmodelled(text: String, reason: String)
    }

    var known: [String: Reading] = [:]
}
