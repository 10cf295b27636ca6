// The x86-64 register numbering and the System V register file.
//
// Numbers 0–15 are the integer registers in hardware encoding order
// (rax rcx rdx rbx rsp rbp rsi rdi r8..r15); 16–31 are xmm0..xmm15.
// rsp and rbp are never allocated (the frame is rbp-based); r11 and xmm15
// are the emitter's scratch registers (parallel-copy cycles, memory moves,
// multi-instruction sequences), so the allocator never sees them either.
import KeelCodegen

public enum X64Reg {
    public static let rax = PReg(0), rcx = PReg(1), rdx = PReg(2), rbx = PReg(3)
    public static let rsp = PReg(4), rbp = PReg(5), rsi = PReg(6), rdi = PReg(7)
    public static let r8 = PReg(8), r9 = PReg(9), r10 = PReg(10), r11 = PReg(11)
    public static let r12 = PReg(12), r13 = PReg(13), r14 = PReg(14), r15 = PReg(15)
    public static func xmm(_ n: Int) -> PReg { PReg(16 + n) }

    public static let intScratch = r11
    public static let floatScratch = xmm(15)

    /// System V integer argument registers, in order.
    public static let intArguments: [PReg] = [rdi, rsi, rdx, rcx, r8, r9]
    /// System V vector argument registers, in order.
    public static let floatArguments: [PReg] = (0..<8).map { xmm($0) }

    static let names64 = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                          "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"]
    static let names32 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                          "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"]
    static let names16 = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
                          "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"]
    static let names8 = ["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
                         "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"]

    /// The AT&T name (with `%`) of register `r` accessed with `size` bytes
    /// (integer registers; xmm registers ignore the size).
    public static func name(_ r: PReg, size: Int = 8) -> String {
        let n = Int(r.number)
        if n >= 16 { return n < 32 ? xmmNames[n - 16] : "%?" }
        switch size {
        case 1: return sized[0][n]
        case 2: return sized[1][n]
        case 4: return sized[2][n]
        default: return sized[3][n]
        }
    }

    /// The names with their `%`, built once (the emitter asks for one per operand).
    static let sized: [[String]] = [names8, names16, names32, names64].map { $0.map { "%" + $0 } }
    static let xmmNames: [String] = (0..<16).map { "%xmm\($0)" }

    public static func isFloat(_ r: PReg) -> Bool { r.number >= 16 }

    /// The System V AMD64 register file.
    public static let sysV: RegisterFile = {
        // Caller-saved first so short-lived values avoid callee-saved registers.
        let ints: [PReg] = [rax, rcx, rdx, rsi, rdi, r8, r9, r10, rbx, r12, r13, r14, r15]
        let floats: [PReg] = (0..<15).map { xmm($0) }
        // Inserted one by one: RegSet's generic Sequence initializer, unspecialized
        // here, would look up Array's conformance at run time in every process.
        var callerSaved = RegSet()
        for r in [rax, rcx, rdx, rsi, rdi, r8, r9, r10, r11] { callerSaved.insert(r) }
        for n in 0..<16 { callerSaved.insert(xmm(n)) }
        let classes: [RegClass] = (0..<32).map { $0 < 16 ? .int : .float }
        let names = (0..<32).map { n in n < 16 ? names64[n] : "xmm\(n - 16)" }
        return RegisterFile(allocatableByClass: [ints, floats], callerSaved: callerSaved,
                            classes: classes, names: names, scratchByClass: [intScratch, floatScratch])
    }()

    /// Callee-saved registers of System V the allocator may hand out (the prologue saves the used ones).
    public static let calleeSaved: [PReg] = [rbx, r12, r13, r14, r15]
}
