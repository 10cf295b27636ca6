/// A field of an aggregate type: an extended type or a nested aggregate, repeated `count` times.
public struct AggregateField: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case scalar(ExtType)
        case aggregate(TypeID)
    }
    public var kind: Kind
    public var count: Int
    public init(_ kind: Kind, count: Int = 1) {
        self.kind = kind
        self.count = count
    }
}

/// `type :name = [align N] { ... }`: a struct, a union of structs, or an opaque blob.
public struct AggregateType: Hashable, Sendable {
    public enum Layout: Hashable, Sendable {
        /// One variant is a struct; several are a union.
        case fields([[AggregateField]])
        /// `align N { SIZE }`
        case opaque(size: Int)
    }
    public var name: String
    /// Alignment written with `align`, if any.
    public var explicitAlignment: Int?
    public var layout: Layout
    /// Computed size and alignment (C layout rules, as QBE computes them).
    public var size: Int
    public var alignment: Int
    public var position: SourcePosition

    public init(name: String, explicitAlignment: Int?, layout: Layout, size: Int, alignment: Int,
                position: SourcePosition = .unknown) {
        self.name = name
        self.explicitAlignment = explicitAlignment
        self.layout = layout
        self.size = size
        self.alignment = alignment
        self.position = position
    }
}

/// One initialized item of a data definition.
public enum DataValue: Hashable, Sendable {
    case integer(Int64)
    case single(bits: UInt32)
    case double(bits: UInt64)
    case symbol(SymbolID, offset: Int64)
    case string([UInt8])
}

/// A field group of a data definition: `TYPE item item ...` or `z SIZE`.
public enum DataItem: Hashable, Sendable {
    case values(ExtType, [DataValue])
    case zero(Int)
    /// `r v ...` (a Keel extension, docs/il-extensions.md "Global references"):
    /// 8-byte reference cells, each 0 or an immediate (low three bits not all
    /// 0). The backend lists each cell in the `keel_globals` section, so the
    /// collector treats it as a root and updates it when its object moves.
    case references([Int64])
}

/// `[linkage] data $name = [align N] { ... }`
public struct DataDefinition: Hashable, Sendable {
    public var name: SymbolID
    public var linkage: Linkage
    public var alignment: Int?
    public var items: [DataItem]
    public var file: Int
    public var position: SourcePosition

    public init(name: SymbolID, linkage: Linkage = Linkage(), alignment: Int? = nil, items: [DataItem] = [],
                file: Int = 0, position: SourcePosition = .unknown) {
        self.name = name
        self.linkage = linkage
        self.alignment = alignment
        self.items = items
        self.file = file
        self.position = position
    }

    /// Size in bytes of the initialized object.
    public var size: Int {
        items.reduce(0) { total, item in
            switch item {
            case .zero(let n): return total + n
            case .references(let cells): return total + 8 * cells.count
            case .values(let t, let vs):
                return total + vs.reduce(0) { n, v in
                    if case .string(let bytes) = v { return n + bytes.count }
                    return n + t.size
                }
            }
        }
    }
}

/// Interned global names: each distinct `$name` gets one `SymbolID`.
public struct SymbolTable: Hashable, Sendable {
    public private(set) var names: [String] = []
    private var ids: [String: SymbolID] = [:]

    public init() {}

    public mutating func intern(_ name: String) -> SymbolID {
        if let id = ids[name] { return id }
        let id = SymbolID(names.count)
        names.append(name)
        ids[name] = id
        return id
    }

    public func lookup(_ name: String) -> SymbolID? { ids[name] }
    public subscript(id: SymbolID) -> String { names[id.int] }
    public var count: Int { names.count }
}

/// A compilation unit: one or more IL files read in order.
public struct Module: Hashable, Sendable {
    /// A top-level item, in the order it was written (printing keeps that order).
    public enum Item: Hashable, Sendable {
        case type(TypeID)
        case data(Int)
        case function(Int)
        case dbgfile(String)
    }

    public var files: [String] = []
    public var symbols = SymbolTable()
    public var types: [AggregateType] = []
    public var data: [DataDefinition] = []
    public var functions: [Function] = []
    public var items: [Item] = []

    public init() {}

    public subscript(t: TypeID) -> AggregateType { types[t.int] }
    public func name(_ s: SymbolID) -> String { symbols[s] }

    public mutating func addType(_ t: AggregateType) -> TypeID {
        types.append(t)
        items.append(.type(TypeID(types.count - 1)))
        return TypeID(types.count - 1)
    }

    public mutating func addData(_ d: DataDefinition) {
        data.append(d)
        items.append(.data(data.count - 1))
    }

    public mutating func addFunction(_ f: Function) {
        functions.append(f)
        items.append(.function(functions.count - 1))
    }
}
