/// Small typed indices into the per-function and per-module arenas.

/// A 32-bit index into one arena, typed so that a block index cannot be used
/// where a temporary is meant. Conformers declare only `index` and
/// `init(index:)`; the rest comes from the extension.
public protocol ArenaIndex: Hashable, Comparable, Sendable {
    var index: UInt32 { get }
    init(index: UInt32)
}

extension ArenaIndex {
    @inlinable public init(_ index: Int) { self.init(index: UInt32(index)) }
    @inlinable public var int: Int { Int(index) }
    @inlinable public static func < (a: Self, b: Self) -> Bool { a.index < b.index }
}

/// Index of a block in `Function.blocks`. Block 0 is the entry.
public struct BlockID: ArenaIndex, CustomStringConvertible {
    public var index: UInt32
    @inlinable public init(index: UInt32) { self.index = index }
    public var description: String { "b\(index)" }
}

/// Index of a temporary in `Function.temps`.
public struct Temp: ArenaIndex, CustomStringConvertible {
    public var index: UInt32
    @inlinable public init(index: UInt32) { self.index = index }
    public var description: String { "t\(index)" }
}

/// Index of a constant in `Function.constants`.
public struct ConstID: ArenaIndex {
    public var index: UInt32
    @inlinable public init(index: UInt32) { self.index = index }
}

/// Index of a name in `Module.symbols`.
public struct SymbolID: ArenaIndex {
    public var index: UInt32
    @inlinable public init(index: UInt32) { self.index = index }
}

/// Index of a call site in `Function.calls`.
public struct CallID: ArenaIndex {
    public var index: UInt32
    @inlinable public init(index: UInt32) { self.index = index }
}

/// An operand: nothing, a temporary, or a constant; packed in 32 bits.
///
/// The two top bits are the kind (0 none, 1 temporary, 2 constant), the rest
/// is the index, so an instruction's operands stay small and comparable.
public struct Ref: Hashable, Sendable, CustomStringConvertible {
    public var raw: UInt32

    public static let none = Ref(raw: 0)
    // Inlinable (like the accessors below): passes in other modules test operands in their hot loops.
    @inlinable static var tempTag: UInt32 { 1 << 30 }
    @inlinable static var constTag: UInt32 { 2 << 30 }
    @inlinable static var indexMask: UInt32 { (1 << 30) - 1 }

    @inlinable public init(raw: UInt32) { self.raw = raw }
    @inlinable public static func temp(_ t: Temp) -> Ref { Ref(raw: tempTag | t.index) }
    @inlinable public static func const(_ c: ConstID) -> Ref { Ref(raw: constTag | c.index) }

    @inlinable public var isNone: Bool { raw == 0 }
    @inlinable public var temp: Temp? { raw & ~Ref.indexMask == Ref.tempTag ? Temp(Int(raw & Ref.indexMask)) : nil }
    @inlinable public var constant: ConstID? {
        raw & ~Ref.indexMask == Ref.constTag ? ConstID(Int(raw & Ref.indexMask)) : nil
    }

    public var description: String {
        if let t = temp { return "%\(t)" }
        if let c = constant { return "c\(c.index)" }
        return "none"
    }
}
