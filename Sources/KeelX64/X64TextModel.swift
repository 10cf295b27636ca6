// Contract: an independent model of the AT&T x86-64 lines Keel's emitter
// prints, written apart from the emitter's tables: the emitted-code check
// reads each function back with it (X64ReadBack.swift) and the
// operand-description test compares it with declared operands. `ModelLine.parse` reads one line (instruction, label or directive);
// `ModelEffect` says which registers an instruction reads (all before it
// writes any), which it writes, which it may read by the calling convention
// only (call arguments, returned values), and where control goes next.
//
// Conventions of the model (from the Intel SDM, vol. 2):
// - a write of any width writes the register: 32-bit writes zero-extend,
//   8/16-bit and scalar-SSE writes keep bits no value of the allocator lives in;
// - memory operands read their base and index registers (%rip reads nothing);
// - implicit registers: cqto/cltd read rax, write rdx; idiv/div read rax,
//   rdx and the operand, write rax and rdx; shifts name %cl explicitly;
//   call reads its target, may read the argument registers, writes every
//   caller-saved register; leave, ret, push, pop move rsp (and rbp);
// - `xor r, r` / `sub r, r` / `xorps x, x` (same register) only write;
// - an unknown mnemonic or operand is an error, so everything the emitter
//   can print must be modelled here before the test passes.

/// One operand of an AT&T instruction.
enum ModelOperand: Equatable {
    case register(ModelRegister)
    case immediate
    /// A memory reference, with the registers its address reads.
    case memory([ModelRegister])
    /// `*%reg`: an indirect branch or call target.
    case indirect(ModelRegister)
    /// A label or symbol (branch targets; elsewhere an absolute address).
    case name(String)

    /// Registers reading this operand reads.
    var reads: [ModelRegister] {
        switch self {
        case .register(let r), .indirect(let r): return [r]
        case .memory(let regs): return regs
        case .immediate, .name: return []
        }
    }

    /// Registers writing this operand reads (a memory destination reads its address).
    var addressReads: [ModelRegister] {
        if case .memory(let regs) = self { return regs }
        return []
    }

    /// The register writing this operand writes, if it is one.
    var writtenRegister: ModelRegister? {
        if case .register(let r) = self { return r }
        return nil
    }
}

enum ModelParseError: Error, Equatable, CustomStringConvertible {
    case unknownMnemonic(String)
    case badOperand(String)
    case operandCount(String, Int)

    var description: String {
        switch self {
        case .unknownMnemonic(let m): return "mnemonic '\(m)' is not in the model"
        case .badOperand(let o): return "operand '\(o)' is not understood by the model"
        case .operandCount(let m, let n): return "'\(m)' with \(n) operands is not in the model"
        }
    }
}

extension ModelOperand {
    /// Whether `jmp` to this target is a tail call: to a symbol (not a `.L`
    /// label of the function nor a GNU local label `1f`/`1b`), or `*%r10`,
    /// the one register the emitter jumps through (X64Inst.tailCall).
    var isTailJumpTarget: Bool {
        switch self {
        case .indirect(let r): return r == .r10
        case .name(let n):
            let local = n.dropLast().allSatisfy(\.isNumber) && (n.last == "f" || n.last == "b")
            return !n.isEmpty && !n.hasPrefix(".L") && !local
        default: return false
        }
    }
}

/// Where control goes after an instruction.
enum ModelFlow: Equatable {
    case next
    /// A branch to a label; conditional branches may also fall through.
    case branch(String, conditional: Bool)
    /// No successor within the sequence (ret, ud2).
    case stop
}

/// What one instruction does to registers.
struct ModelEffect: Equatable {
    var reads: [ModelRegister] = []
    var writes: [ModelRegister] = []
    /// Registers the instruction reads only if the calling convention says the callee (or caller) does.
    var abiReads = ModelRegisterSet()
    var flow = ModelFlow.next
    var isCall = false
}

/// One line of emitted assembly.
enum ModelLine: Equatable {
    case label(String)
    case directive
    case instruction(mnemonic: String, operands: [ModelOperand])

    static func parse<S: StringProtocol>(_ raw: S) throws(ModelParseError) -> ModelLine {
        try parseKeepingOperands(raw.trimmingWhitespace()).line
    }

    /// A trimmed line, parsed, with its operands as written (AT&T order).
    static func parseKeepingOperands(_ line: String) throws(ModelParseError) -> (line: ModelLine, operands: [String]) {
        if line.hasPrefix(".") && !line.hasSuffix(":") { return (.directive, []) }
        if line.hasSuffix(":"), !line.contains(" ") { return (.label(String(line.dropLast())), []) }
        let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let mnemonic = String(parts[0])
        guard let shape = ModelShape.of[mnemonic] else { throw .unknownMnemonic(mnemonic) }
        let raw = parts.count > 1 ? splitOperands(String(parts[1])) : []
        var operands: [ModelOperand] = []
        for o in raw {
            operands.append(try parseOperand(o, branchTarget: shape.takesLabels))
        }
        return (.instruction(mnemonic: mnemonic, operands: operands), raw)
    }

    /// Operands separated by commas outside parentheses, each trimmed.
    static func splitOperands(_ s: String) -> [String] {
        var out: [String] = []
        var depth = 0
        let u = Array(s.utf8)
        var start = 0
        func piece(_ a: Int, _ b: Int) -> String {
            var a = a, b = b
            while a < b, u[a] == 0x20 || u[a] == 0x09 { a += 1 }
            while b > a, u[b - 1] == 0x20 || u[b - 1] == 0x09 { b -= 1 }
            return String(decoding: u[a..<b], as: UTF8.self)
        }
        for (i, c) in u.enumerated() {
            switch c {
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"): depth -= 1
            case UInt8(ascii: ","):
                if depth == 0 {
                    out.append(piece(start, i))
                    start = i + 1
                }
            default: break
            }
        }
        let last = piece(start, u.count)
        if !last.isEmpty || !out.isEmpty { out.append(last) }
        return out
    }

    static func parseOperand(_ o: String, branchTarget: Bool) throws(ModelParseError) -> ModelOperand {
        if o.isEmpty { throw .badOperand(o) }
        if o.hasPrefix("$") { return .immediate }
        if o.hasPrefix("*%") {
            guard let r = ModelRegister.named(o.dropFirst(2)) else { throw .badOperand(o) }
            return .indirect(r)
        }
        if o.hasPrefix("%") {
            if let colon = o.firstIndex(of: ":") {
                // A segment override (%fs:disp): the rest is the address.
                let segment = o[o.index(after: o.startIndex)..<colon]
                guard ["fs", "gs"].contains(String(segment)) else { throw .badOperand(o) }
                return try memory(String(o[o.index(after: colon)...]), original: o)
            }
            guard let r = ModelRegister.named(o.dropFirst()) else { throw .badOperand(o) }
            return .register(r)
        }
        if o.contains("(") { return try memory(o, original: o) }
        if branchTarget { return .name(o) }
        // A bare displacement: an absolute address.
        return .memory([])
    }

    /// `disp(base, index, scale)`, `disp(%rip)` or a bare displacement.
    static func memory(_ o: String, original: String) throws(ModelParseError) -> ModelOperand {
        guard let open = o.firstIndex(of: "(") else { return .memory([]) }
        guard o.hasSuffix(")") else { throw .badOperand(original) }
        let inside = o[o.index(after: open)..<o.index(before: o.endIndex)]
        var regs: [ModelRegister] = []
        for (k, field) in inside.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let f = field.trimmingWhitespace()
            if k == 2 {
                guard ["1", "2", "4", "8"].contains(f) else { throw .badOperand(original) }
                continue
            }
            if f.isEmpty { continue }
            guard f.hasPrefix("%") else { throw .badOperand(original) }
            if f == "%rip" { continue }
            guard let r = ModelRegister.named(f.dropFirst()), !r.isVector else { throw .badOperand(original) }
            regs.append(r)
        }
        return .memory(regs)
    }
}

/// The families of instructions, by how they touch their operands.
enum ModelShape {
    /// `op src, dst`: reads src, writes dst.
    case move
    /// `lea mem, dst`: reads the address registers, writes dst.
    case loadAddress
    /// `op src, dst` reading both and writing dst, or `op dst` (shift by one, neg, not).
    case update(zeroIdiom: Bool)
    /// Reads every operand, writes none (cmp, test, ucomis*).
    case compare
    /// `setcc dst`.
    case setFlag
    /// cqto/cltd: rax sign-extended into rdx.
    case extendAccumulator
    /// cltq: rax sign-extended in place.
    case extendInPlace
    /// idiv/div: rdx:rax divided by the operand.
    case divide
    /// imul with one (rdx:rax = rax·op), two (update) or three (dst = src·imm)
    /// operands; mul with one.
    case multiply
    case branch(conditional: Bool)
    case call
    case ret
    case leave
    case push
    case pop
    /// `rep movsb`: rsi, rdi, rcx read and advanced.
    case repeatString
    case trap
    case nothing

    var takesLabels: Bool {
        switch self {
        case .branch, .call, .repeatString: return true
        default: return false
        }
    }

    static let conditions = ["o", "no", "b", "c", "nae", "ae", "nb", "nc", "e", "z", "ne", "nz", "be", "na",
                             "a", "nbe", "s", "ns", "p", "pe", "np", "po", "l", "nge", "ge", "nl", "le", "ng",
                             "g", "nle"]

    /// Every mnemonic of the model, with its shape.
    static let of: [String: ModelShape] = {
        var t: [String: ModelShape] = [:]
        func sized(_ bases: [String], _ shape: ModelShape) {
            for b in bases { for s in ["", "b", "w", "l", "q"] { t[b + s] = shape } }
        }
        sized(["mov"], .move)
        sized(["lea"], .loadAddress)
        sized(["add", "adc", "and", "or", "sbb", "shl", "sal", "shr", "sar", "rol", "ror",
               "btc", "bts", "btr", "neg", "not", "inc", "dec"], .update(zeroIdiom: false))
        sized(["xor", "sub"], .update(zeroIdiom: true))
        sized(["cmp", "test", "bt"], .compare)
        sized(["idiv", "div"], .divide)
        sized(["imul", "mul"], .multiply)
        sized(["push"], .push)
        sized(["pop"], .pop)
        for m in ["movabs", "movabsq", "movsbw", "movsbl", "movsbq", "movswl", "movswq", "movslq",
                  "movzbw", "movzbl", "movzbq", "movzwl", "movzwq", "movd", "movss", "movsd", "movaps",
                  "movapd", "movups", "movupd", "movdqa", "movdqu",
                  "cvtss2sd", "cvtsd2ss", "sqrtss", "sqrtsd"] { t[m] = .move }
        for m in ["cvttss2si", "cvttsd2si", "cvtss2si", "cvtsd2si", "cvtsi2ss", "cvtsi2sd"] {
            for s in ["", "l", "q"] { t[m + s] = .move }
        }
        for m in ["addss", "addsd", "subss", "subsd", "mulss", "mulsd", "divss", "divsd", "minss", "minsd",
                  "maxss", "maxsd", "andps", "andpd", "andnps", "andnpd", "orps", "orpd"] {
            t[m] = .update(zeroIdiom: false)
        }
        for m in ["xorps", "xorpd", "pxor"] { t[m] = .update(zeroIdiom: true) }
        for m in ["ucomiss", "ucomisd", "comiss", "comisd"] { t[m] = .compare }
        for c in conditions {
            t["set" + c] = .setFlag
            // A conditional move may keep its destination: it reads it too.
            for s in ["", "w", "l", "q"] { t["cmov" + c + s] = .update(zeroIdiom: false) }
            t["j" + c] = .branch(conditional: true)
        }
        t["jmp"] = .branch(conditional: false)
        for m in ["cqto", "cqo", "cltd", "cdq"] { t[m] = .extendAccumulator }
        for m in ["cltq", "cdqe"] { t[m] = .extendInPlace }
        for m in ["call", "callq"] { t[m] = .call }
        for m in ["ret", "retq"] { t[m] = .ret }
        for m in ["leave", "leaveq"] { t[m] = .leave }
        t["rep"] = .repeatString
        for m in ["ud2", "hlt"] { t[m] = .trap }
        for m in ["endbr64", "nop"] { t[m] = .nothing }
        return t
    }()
}

extension ModelEffect {
    /// The effect of `mnemonic` with `operands` (AT&T order: sources first, destination last).
    init(mnemonic: String, operands ops: [ModelOperand]) throws(ModelParseError) {
        guard let shape = ModelShape.of[mnemonic] else { throw .unknownMnemonic(mnemonic) }
        func need(_ counts: ClosedRange<Int>) throws(ModelParseError) {
            if !counts.contains(ops.count) { throw .operandCount(mnemonic, ops.count) }
        }
        switch shape {
        case .move:
            try need(2...2)
            reads = ops[0].reads + ops[1].addressReads
            writes = ops[1].writtenRegister.map { [$0] } ?? []
        case .loadAddress:
            try need(2...2)
            reads = ops[0].addressReads
            writes = ops[1].writtenRegister.map { [$0] } ?? []
        case .update(let zeroIdiom):
            try need(1...2)
            let dst = ops[ops.count - 1]
            if zeroIdiom, ops.count == 2, case .register(let a) = ops[0], case .register(let b) = dst, a == b {
                writes = [b]
            } else {
                reads = (ops.count == 2 ? ops[0].reads : []) + dst.reads
                writes = dst.writtenRegister.map { [$0] } ?? []
            }
        case .compare:
            try need(2...2)
            reads = ops[0].reads + ops[1].reads
        case .setFlag:
            try need(1...1)
            reads = ops[0].addressReads
            writes = ops[0].writtenRegister.map { [$0] } ?? []
        case .extendAccumulator:
            try need(0...0)
            reads = [.rax]
            writes = [.rdx]
        case .extendInPlace:
            try need(0...0)
            reads = [.rax]
            writes = [.rax]
        case .divide:
            try need(1...1)
            reads = [.rax, .rdx] + ops[0].reads
            writes = [.rax, .rdx]
        case .multiply:
            try need(1...3)
            switch ops.count {
            case 1:
                reads = [.rax] + ops[0].reads
                writes = [.rax, .rdx]
            case 2:
                reads = ops[0].reads + ops[1].reads
                writes = ops[1].writtenRegister.map { [$0] } ?? []
            default:
                reads = ops[1].reads + ops[2].addressReads
                writes = ops[2].writtenRegister.map { [$0] } ?? []
            }
        case .branch(let conditional):
            try need(1...1)
            if !conditional, ops[0].isTailJumpTarget {
                // A tail call: the callee reads the arguments (rax included: the environment).
                reads = ops[0].reads
                abiReads = SysVModel.argumentRegisters
                flow = .stop
                break
            }
            switch ops[0] {
            case .name(let label): flow = .branch(label, conditional: conditional)
            default:
                // An indirect jump leaves the sequence.
                reads = ops[0].reads
                flow = conditional ? .next : .stop
            }
        case .call:
            try need(1...1)
            reads = ops[0].reads + [.rsp]
            writes = Array(SysVModel.callerSaved)
            abiReads = SysVModel.argumentRegisters
            isCall = true
        case .ret:
            try need(0...0)
            reads = [.rsp]
            writes = [.rsp]
            abiReads = SysVModel.returnRegisters
            flow = .stop
        case .leave:
            try need(0...0)
            reads = [.rbp]
            writes = [.rsp, .rbp]
        case .push:
            try need(1...1)
            reads = ops[0].reads + [.rsp]
            writes = [.rsp]
        case .pop:
            try need(1...1)
            reads = [.rsp] + ops[0].addressReads
            writes = [.rsp] + (ops[0].writtenRegister.map { [$0] } ?? [])
        case .repeatString:
            guard ops.count == 1, case .name(let what) = ops[0], what == "movsb" else {
                throw .operandCount(mnemonic, ops.count)
            }
            reads = [.rsi, .rdi, .rcx]
            writes = [.rsi, .rdi, .rcx]
        case .trap:
            try need(0...0)
            flow = .stop
        case .nothing:
            try need(0...0)
        }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var u = Substring(self).utf8[...]
        while let c = u.first, c == 0x20 || c == 0x09 { u = u.dropFirst() }
        while let c = u.last, c == 0x20 || c == 0x09 { u = u.dropLast() }
        return String(Substring(u))
    }
}
