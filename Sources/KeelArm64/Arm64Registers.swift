// The arm64 register numbering and the AAPCS64 register file.
//
// Numbers 0–30 are x0–x30, 31 is sp, 32–63 are v0–v31 (used as d/s
// registers: only scalar floats live in them). Never allocated: x16 and
// x17 (IP0/IP1, the emitter's scratch: parallel-copy cycles, memory-to-
// memory moves, addresses and constants that need a register), x18 (the
// platform register), x29 (frame pointer), x30 (link register), sp, and v31
// (the float scratch).
import KeelCodegen

public enum Arm64Reg {
    public static func x(_ n: Int) -> PReg { PReg(n) }
    public static func v(_ n: Int) -> PReg { PReg(32 + n) }
    public static let sp = PReg(31)
    public static let fp = PReg(29), lr = PReg(30)
    /// The cycle-breaking scratch of parallel copies (the register file's).
    public static let ip0 = PReg(16)
    /// The emitter's own temporary: memory-to-memory moves, large offsets and immediates.
    public static let ip1 = PReg(17)
    public static let floatScratch = v(31)

    /// AAPCS64 argument registers, in order.
    public static let intArguments: [PReg] = (0..<8).map { x($0) }
    public static let floatArguments: [PReg] = (0..<8).map { v($0) }
    /// The indirect result register and the environment register (as QBE passes `env`).
    public static let indirectResult = x(8), environment = x(9)

    /// Callee-saved registers the allocator may hand out, in the prologue's save order.
    public static let calleeSaved: [PReg] = (19...28).map { x($0) } + (8...15).map { v($0) }

    public static func isFloat(_ r: PReg) -> Bool { r.number >= 32 }

    /// The assembler name of `r` for an access of `size` bytes: w/x for
    /// integers (sp stays `sp` or `wsp`), s/d for floats (h, b for 2 and 1).
    public static func name(_ r: PReg, size: Int = 8) -> String {
        let n = Int(r.number)
        if n >= 32 {
            switch size {
            case 1: return bNames[n - 32]
            case 2: return hNames[n - 32]
            case 4: return sNames[n - 32]
            default: return dNames[n - 32]
            }
        }
        if n == 31 { return size == 8 ? "sp" : "wsp" }
        return size == 8 ? xNames[n] : wNames[n]
    }

    static let xNames = (0..<31).map { "x\($0)" }
    static let wNames = (0..<31).map { "w\($0)" }
    static let dNames = (0..<32).map { "d\($0)" }
    static let sNames = (0..<32).map { "s\($0)" }
    static let hNames = (0..<32).map { "h\($0)" }
    static let bNames = (0..<32).map { "b\($0)" }

    /// The AAPCS64 register file.
    public static let aapcs64: RegisterFile = {
        // Caller-saved first so short-lived values avoid callee-saved registers.
        let ints: [PReg] = (0..<16).map { x($0) } + (19...28).map { x($0) }
        let floats: [PReg] = (0..<8).map { v($0) } + (16...30).map { v($0) } + (8...15).map { v($0) }
        var callerSaved = RegSet()
        for n in 0...18 { callerSaved.insert(x(n)) }
        callerSaved.insert(lr)
        for n in 0..<8 { callerSaved.insert(v(n)) }
        for n in 16..<32 { callerSaved.insert(v(n)) }
        let classes: [RegClass] = (0..<64).map { $0 < 32 ? .int : .float }
        let names = (0..<64).map { n in n < 31 ? "x\(n)" : n == 31 ? "sp" : "d\(n - 32)" }
        return RegisterFile(allocatableByClass: [ints, floats], callerSaved: callerSaved,
                            classes: classes, names: names, scratchByClass: [ip0, floatScratch])
    }()
}
