/// Every regular IL instruction (phis and jumps have their own types).
///
/// The names are the IL mnemonics. `loadw` is read as `loadsw`, and
/// `alloc1`/`alloc2` as `alloc4`, as QBE does; `loadr`/`storer` are Keel's
/// GC-reference extension, `tagr` and `sqrt` Keel's too.
public enum Opcode: UInt8, Hashable, Sendable, CaseIterable {
    // Arithmetic and bits
    case add, sub, mul, div, neg, udiv, rem, urem, and, or, xor, sar, shr, shl
    // Integer comparisons, word operands
    case ceqw, cnew, csgew, csgtw, cslew, csltw, cugew, cugtw, culew, cultw
    // Integer comparisons, long operands
    case ceql, cnel, csgel, csgtl, cslel, csltl, cugel, cugtl, culel, cultl
    // Float comparisons
    case ceqs, cnes, cges, cgts, cles, clts, cos, cuos
    case ceqd, cned, cged, cgtd, cled, cltd, cod, cuod
    // Memory
    case storeb, storeh, storew, storel, stores, stored, storer
    case loadsb, loadub, loadsh, loaduh, loadsw, loaduw, loadl, loads, loadd, loadr
    case blit
    case alloc4, alloc8, alloc16
    // Conversions
    case extsb, extub, extsh, extuh, extsw, extuw
    case exts, truncd, stosi, stoui, dtosi, dtoui, swtof, uwtof, sltof, ultof
    case cast, copy
    // Calls and variadics
    case call, vastart, vaarg
    // Debug information
    case dbgloc
    // An immediate reference made from an integer (docs/il-extensions.md)
    case tagr
    // IEEE square root of a float (docs/il-extensions.md)
    case sqrt

    public var name: String { Opcode.names[Int(rawValue)] }

    /// In case order. Written out because deriving them with `"\(op)"` goes
    /// through runtime reflection, which costs more than a small file's parse.
    private static let names: [String] = [
        "add", "sub", "mul", "div", "neg", "udiv", "rem", "urem", "and", "or", "xor", "sar", "shr",
        "shl", "ceqw", "cnew", "csgew", "csgtw", "cslew", "csltw", "cugew", "cugtw", "culew",
        "cultw", "ceql", "cnel", "csgel", "csgtl", "cslel", "csltl", "cugel", "cugtl", "culel",
        "cultl", "ceqs", "cnes", "cges", "cgts", "cles", "clts", "cos", "cuos", "ceqd", "cned",
        "cged", "cgtd", "cled", "cltd", "cod", "cuod", "storeb", "storeh", "storew", "storel",
        "stores", "stored", "storer", "loadsb", "loadub", "loadsh", "loaduh", "loadsw", "loaduw",
        "loadl", "loads", "loadd", "loadr", "blit", "alloc4", "alloc8", "alloc16", "extsb",
        "extub", "extsh", "extuh", "extsw", "extuw", "exts", "truncd", "stosi", "stoui", "dtosi",
        "dtoui", "swtof", "uwtof", "sltof", "ultof", "cast", "copy", "call", "vastart", "vaarg",
        "dbgloc", "tagr", "sqrt",
    ]

    /// Mnemonic to opcode, including QBE's aliases.
    public static let byName: [String: Opcode] = {
        var m: [String: Opcode] = [:]
        for op in Opcode.allCases { m[op.name] = op }
        m["loadw"] = .loadsw
        m["alloc1"] = .alloc4
        m["alloc2"] = .alloc4
        return m
    }()

    @inlinable public var isStore: Bool { (Opcode.storeb.rawValue...Opcode.storer.rawValue).contains(rawValue) }
    @inlinable public var isLoad: Bool { (Opcode.loadsb.rawValue...Opcode.loadr.rawValue).contains(rawValue) }
    @inlinable public var isAlloc: Bool { self == .alloc4 || self == .alloc8 || self == .alloc16 }
    @inlinable public var isComparison: Bool { (Opcode.ceqw.rawValue...Opcode.cuod.rawValue).contains(rawValue) }

    /// What the optimizer needs to know of the opcode (OpcodeProperties.swift).
    public var properties: OpcodeProperties { OpcodeProperties.table[Int(rawValue)] }

    /// Whether executing the instruction does anything besides computing its
    /// result: it writes memory, calls, moves a `va_list` or marks a source
    /// position. One without effects whose result is unused may be deleted,
    /// and every compilation deletes them: QBE does so (loads and divisions
    /// included), and front ends rely on it, e.g. with dead loads of symbols
    /// they never define. (Written out, not read from `properties`, because
    /// passes ask it per instruction; OpcodePropertiesTests checks they agree.)
    @inlinable
    public var hasEffects: Bool {
        isStore || self == .blit || self == .call || self == .vastart || self == .vaarg || self == .dbgloc
    }

    /// Whether the instruction defines a result temporary (`call` may or may not).
    public var hasResult: Bool {
        !(isStore || self == .blit || self == .vastart || self == .dbgloc)
    }

    /// Number of value operands written in the IL (`call` arguments live in its `CallSite`).
    @inlinable public var operandCount: Int {
        switch self {
        case .neg, .copy, .cast, .tagr, .sqrt, .vastart, .vaarg, .call: return 1
        case _ where isLoad || isAlloc: return 1
        case .extsb, .extub, .extsh, .extuh, .extsw, .extuw, .exts, .truncd,
             .stosi, .stoui, .dtosi, .dtoui, .swtof, .uwtof, .sltof, .ultof: return 1
        default: return 2
        }
    }

    /// Byte width of the memory a load or store touches.
    public var memoryWidth: Int? {
        switch self {
        case .storeb, .loadsb, .loadub: return 1
        case .storeh, .loadsh, .loaduh: return 2
        case .storew, .stores, .loadsw, .loaduw, .loads: return 4
        case .storel, .stored, .storer, .loadl, .loadd, .loadr: return 8
        default: return nil
        }
    }

    /// Alignment of an `alloc` slot.
    public var allocAlignment: Int? {
        switch self {
        case .alloc4: return 4
        case .alloc8: return 8
        case .alloc16: return 16
        default: return nil
        }
    }
}
