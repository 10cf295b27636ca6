// Classification of aggregate types for the System V AMD64 calling convention.
//
// Contract: takes an `AggregateType` of a module (by `TypeID`, with the
// module's type table for nested aggregates) and returns where a value of
// that type travels: in memory, or as one or two eightbytes each of class
// INTEGER, SSE or none (padding only). Pure function; never traps, whatever
// the type table holds (cycles, inconsistent sizes): anything it cannot lay
// out is MEMORY.
//
// Algorithm: System V AMD64 psABI §3.2.3 ("Parameter Passing"), restricted to
// the field types the IL has (no long double, no vectors, no bit-fields):
// - an aggregate larger than 16 bytes, or with an unaligned field, is MEMORY;
// - otherwise every scalar field (of every union variant, nested aggregates
//   flattened) marks the eightbyte holding its offset: INTEGER if `b h w l`,
//   SSE if `s d`; when several fields share an eightbyte INTEGER wins over
//   SSE, and SSE wins over "no class" (the post-merger rule);
// - an eightbyte that only padding covers gets no class: gcc passes
//   `struct __attribute__((aligned(16))) { long a; }` in rdi alone.
//
// Differences from QBE (amd64/sysv.c, `typclass`/`classify`), on purpose:
// - QBE passes every opaque ("dark") type in memory, whatever its size; Keel
//   by default passes an opaque type of at most 16 bytes as INTEGER
//   eightbytes, which matches C for a struct of integer fields of that size.
//   `OpaqueTypeRule.memory` selects QBE's behaviour.
// - QBE gives a padding-only eightbyte the "unset" class and still spends a
//   register on it; Keel follows gcc and skips it.
// Both agree that empty (size 0) aggregates go to memory, where they take no space.
import KeelIR

/// The class of one eightbyte of an aggregate that travels in registers.
public enum EightbyteClass: UInt8, Hashable, Sendable {
    /// Only padding: the eightbyte travels in no register.
    case none
    case integer
    case sse

    /// The psABI merge of two classes sharing an eightbyte (MEMORY never reaches here).
    func merged(with other: EightbyteClass) -> EightbyteClass {
        if self == .integer || other == .integer { return .integer }
        if self == .sse || other == .sse { return .sse }
        return .none
    }
}

/// Why an aggregate is passed in memory.
public enum MemoryReason: Error, Hashable, Sendable {
    /// Larger than 16 bytes.
    case tooLarge
    /// Size 0.
    case empty
    /// A field sits at an offset that is not a multiple of its alignment, or
    /// the type's alignment is below one of its fields'.
    case unalignedField
    /// An opaque type under `OpaqueTypeRule.memory`.
    case opaque
    /// The type table is cyclic or inconsistent (only reachable through the builder API).
    case malformed
}

/// Result of classifying an aggregate.
public enum AggregateClass: Hashable, Sendable {
    case memory(MemoryReason)
    /// One class per eightbyte: one entry for sizes 1...8, two for 9...16.
    case registers([EightbyteClass])

    public var isMemory: Bool {
        if case .memory = self { return true }
        return false
    }

    /// Registers needed: (integer, SSE). Zero for memory.
    public var registerCounts: (integer: Int, sse: Int) {
        guard case .registers(let classes) = self else { return (0, 0) }
        return (classes.count { $0 == .integer }, classes.count { $0 == .sse })
    }
}

/// How opaque types (`type :t = align N { SIZE }`) of at most 16 bytes are passed.
public enum OpaqueTypeRule: Hashable, Sendable {
    /// As INTEGER eightbytes (Keel's default: what C does for integer structs).
    case integerEightbytes
    /// Always in memory (QBE's rule).
    case memory
}

/// Classifies aggregate types of one module's type table.
public struct SysVClassifier: Sendable {
    public var types: [AggregateType]
    public var opaqueRule: OpaqueTypeRule

    public init(types: [AggregateType], opaqueRule: OpaqueTypeRule = .integerEightbytes) {
        self.types = types
        self.opaqueRule = opaqueRule
    }

    /// Nesting deeper than this is treated as a cycle.
    static let maxDepth = 64

    public func classify(_ id: TypeID) -> AggregateClass {
        guard id.int < types.count else { return .memory(.malformed) }
        let type = types[id.int]
        if type.size == 0 { return .memory(.empty) }
        if type.size > 16 { return .memory(.tooLarge) }
        if type.size < 0 { return .memory(.malformed) }
        var walk = Walk(classes: Array(repeating: .none, count: (type.size + 7) / 8), size: type.size)
        do {
            try mark(id, at: 0, depth: 0, into: &walk)
        } catch {
            return .memory(error)
        }
        if walk.maxFieldAlignment > type.alignment { return .memory(.unalignedField) }
        return .registers(walk.classes)
    }

    /// The state of one classification: the eightbyte classes so far.
    struct Walk {
        var classes: [EightbyteClass]
        var size: Int
        var maxFieldAlignment = 1

        mutating func mark(offset: Int, size: Int, as cls: EightbyteClass) throws(MemoryReason) {
            guard offset >= 0, size > 0, offset + size <= self.size else { throw .malformed }
            for i in (offset / 8)...((offset + size - 1) / 8) {
                classes[i] = classes[i].merged(with: cls)
            }
        }
    }

    /// Marks the eightbytes that aggregate `id`, placed at byte `base`, covers.
    func mark(_ id: TypeID, at base: Int, depth: Int, into walk: inout Walk) throws(MemoryReason) {
        guard depth < Self.maxDepth, id.int < types.count else { throw .malformed }
        let type = types[id.int]
        switch type.layout {
        case .opaque(let size):
            if opaqueRule == .memory { throw .opaque }
            if size > 0 { try walk.mark(offset: base, size: size, as: .integer) }
        case .fields(let variants):
            for fields in variants {
                // Offsets within the aggregate follow the parser's layout (each field
                // at a multiple of its alignment); the absolute offset is base + that.
                var relative = 0
                for field in fields where field.count > 0 {
                    let (size, alignment) = layout(of: field.kind)
                    guard alignment > 0, size >= 0 else { throw .malformed }
                    relative = (relative + alignment - 1) / alignment * alignment
                    if size == 0 { continue }
                    for _ in 0..<field.count {
                        let offset = base + relative
                        switch field.kind {
                        case .scalar(let ext):
                            guard offset % ext.size == 0 else { throw .unalignedField }
                            walk.maxFieldAlignment = max(walk.maxFieldAlignment, ext.size)
                            try walk.mark(offset: offset, size: ext.size, as: ext.isFloat ? .sse : .integer)
                        case .aggregate(let nested):
                            try mark(nested, at: offset, depth: depth + 1, into: &walk)
                        }
                        relative += size
                        // Fields past the end are an inconsistent table; stop before looping long.
                        guard base + relative <= walk.size else { throw .malformed }
                    }
                }
            }
        }
    }

    /// Size and natural alignment of a field kind.
    func layout(of kind: AggregateField.Kind) -> (size: Int, alignment: Int) {
        switch kind {
        case .scalar(let ext): return (ext.size, ext.size)
        case .aggregate(let id):
            guard id.int < types.count else { return (-1, 0) }
            return (types[id.int].size, types[id.int].alignment)
        }
    }
}

extension ExtType {
    fileprivate var isFloat: Bool { self == .s || self == .d }
}
