/// The value classes of the IL.
///
/// `w`, `l`, `s`, `d` are QBE's base types. `r` is Keel's extension: a 64-bit
/// reference to a garbage-collected object (see docs/il-extensions.md). It has
/// the machine representation of `l` but is tracked by the backend so that the
/// collector can find it in stack maps; plain QBE IL never needs it.
public enum BaseType: UInt8, Hashable, Sendable, CaseIterable {
    case w, l, s, d, r

    public var isInteger: Bool { self == .w || self == .l }
    public var isFloat: Bool { self == .s || self == .d }
    /// Width in bytes of a value of this class.
    public var size: Int {
        switch self {
        case .w, .s: return 4
        case .l, .d, .r: return 8
        }
    }
    public var name: String {
        switch self {
        case .w: return "w"
        case .l: return "l"
        case .s: return "s"
        case .d: return "d"
        case .r: return "r"
        }
    }

    /// The class of a temporary that IL assigns with `self` in one place and
    /// `other` in another, or nil when the two cannot be merged. As in QBE
    /// (`clsmerge`), `w` and `l` merge to `w`: the temporary is a word, and an
    /// `l` definition of it keeps only its low 32 bits for word uses.
    public func merged(with other: BaseType) -> BaseType? {
        if self == other { return self }
        if isInteger && other.isInteger { return .w }
        return nil
    }
}

/// Field types of aggregate and data definitions: the base types plus bytes and halfwords.
public enum ExtType: UInt8, Hashable, Sendable {
    case b, h, w, l, s, d

    public var size: Int {
        switch self {
        case .b: return 1
        case .h: return 2
        case .w, .s: return 4
        case .l, .d: return 8
        }
    }
    public var name: String {
        switch self {
        case .b: return "b"
        case .h: return "h"
        case .w: return "w"
        case .l: return "l"
        case .s: return "s"
        case .d: return "d"
        }
    }
}

/// Types that may appear at a function boundary: parameters, call arguments, returns.
public enum ABIType: Hashable, Sendable {
    case base(BaseType)
    case sb, ub, sh, uh
    case aggregate(TypeID)

    /// The class of the temporary that carries a value of this ABI type inside a
    /// function: sub-words travel as `w`, aggregates as a pointer (`l`).
    public var valueClass: BaseType {
        switch self {
        case .base(let b): return b
        case .sb, .ub, .sh, .uh: return .w
        case .aggregate: return .l
        }
    }
}

/// Index of an aggregate type in `Module.types`.
public struct TypeID: ArenaIndex {
    public var index: UInt32
    public init(index: UInt32) { self.index = index }
}
