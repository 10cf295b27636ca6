// Contract: the x86-64 registers as the read-back model (X64TextModel.swift) sees
// them, written independently of X64Reg: every AT&T register name of every
// width, and the System V AMD64 register sets (psABI §3.2.1, figure 3.4:
// caller-saved registers; §3.2.3: argument and return registers). Numbers
// follow the hardware encoding order, 0–15 general purpose, 16–31 xmm0–15,
// the convention docs/x64.md fixes for `PReg`, so a declared register can be
// compared with a modelled one.
import KeelCodegen

/// One architectural register (any width of it names the whole register).
struct ModelRegister: Hashable, Comparable, Sendable, CustomStringConvertible {
    let number: Int

    init(_ number: Int) { self.number = number }
    init(_ p: PReg) { number = Int(p.number) }

    var isVector: Bool { number >= 16 }
    /// Registers of one class can be handed to the same virtual register.
    func sameClass(as other: ModelRegister) -> Bool { isVector == other.isVector }

    static func < (a: ModelRegister, b: ModelRegister) -> Bool { a.number < b.number }
    var description: String { "%" + ModelRegister.fullNames[number] }

    static let fullNames = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"]
        + (0..<16).map { "xmm\($0)" }

    /// Every AT&T spelling (without `%`) and the register it is part of.
    static let byName: [String: ModelRegister] = {
        var names: [String: ModelRegister] = [:]
        let legacy = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"]
        for (n, base) in legacy.enumerated() {
            names["r" + base] = ModelRegister(n)
            names["e" + base] = ModelRegister(n)
            names[base] = ModelRegister(n)
        }
        for (n, low) in ["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"].enumerated() {
            names[low] = ModelRegister(n)
        }
        for (n, high) in ["ah", "ch", "dh", "bh"].enumerated() { names[high] = ModelRegister(n) }
        for n in 8..<16 {
            for suffix in ["", "d", "w", "b"] { names["r\(n)\(suffix)"] = ModelRegister(n) }
        }
        for n in 0..<16 { names["xmm\(n)"] = ModelRegister(16 + n) }
        return names
    }()

    /// The register a name such as `eax`, `r9b` or `xmm3` (no `%`) belongs to.
    static func named<S: StringProtocol>(_ name: S) -> ModelRegister? { byName[String(name)] }

    static let rax = ModelRegister(0), rcx = ModelRegister(1), rdx = ModelRegister(2), rbx = ModelRegister(3)
    static let rsp = ModelRegister(4), rbp = ModelRegister(5), rsi = ModelRegister(6), rdi = ModelRegister(7)
    static let r8 = ModelRegister(8), r9 = ModelRegister(9), r10 = ModelRegister(10), r11 = ModelRegister(11)
    static func xmm(_ n: Int) -> ModelRegister { ModelRegister(16 + n) }
}

/// A set of model registers (one bit each), cheap to hash as a path state.
struct ModelRegisterSet: Hashable, Sendable, Sequence, CustomStringConvertible {
    var bits: UInt64 = 0

    init() {}
    init<S: Sequence>(_ registers: S) where S.Element == ModelRegister { for r in registers { insert(r) } }
    init(_ set: RegSet) { for p in set { insert(ModelRegister(p)) } }

    func contains(_ r: ModelRegister) -> Bool { bits & (1 << UInt64(r.number)) != 0 }
    mutating func insert(_ r: ModelRegister) { bits |= 1 << UInt64(r.number) }
    mutating func remove(_ r: ModelRegister) { bits &= ~(1 << UInt64(r.number)) }
    func union(_ o: ModelRegisterSet) -> ModelRegisterSet { var s = self; s.bits |= o.bits; return s }
    func subtracting(_ o: ModelRegisterSet) -> ModelRegisterSet { var s = self; s.bits &= ~o.bits; return s }
    var isEmpty: Bool { bits == 0 }

    func makeIterator() -> AnyIterator<ModelRegister> {
        var rest = bits
        return AnyIterator {
            guard rest != 0 else { return nil }
            let n = rest.trailingZeroBitCount
            rest &= rest - 1
            return ModelRegister(n)
        }
    }

    var description: String { "{" + map(\.description).joined(separator: ", ") + "}" }
}

/// System V AMD64 facts, from the psABI text rather than from Keel's register file.
enum SysVModel {
    /// Not preserved across calls: rax, rcx, rdx, rsi, rdi, r8–r11 and every xmm register.
    static let callerSaved = ModelRegisterSet(
        [.rax, .rcx, .rdx, .rsi, .rdi, .r8, .r9, .r10, .r11] + (0..<16).map { ModelRegister.xmm($0) })
    /// Registers a callee may read as arguments: the six integer and eight
    /// vector argument registers, and rax (%al counts the vector registers of
    /// a variadic call; QBE and Keel also pass the environment in it).
    static let argumentRegisters = ModelRegisterSet(
        [.rdi, .rsi, .rdx, .rcx, .r8, .r9, .rax] + (0..<8).map { ModelRegister.xmm($0) })
    /// Registers a function returns values in (two eightbytes at most).
    static let returnRegisters = ModelRegisterSet([.rax, .rdx, .xmm(0), .xmm(1)])
    /// Registers no allocation ever holds a value in: the frame registers.
    static let frameRegisters = ModelRegisterSet([.rsp, .rbp])
    /// The emitter's scratch registers (docs/x64.md), never allocated.
    static let scratch = ModelRegisterSet([.r11, .xmm(15)])
}
