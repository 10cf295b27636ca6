/// What is known of a temporary: its IL name (for printing and errors) and class.
public struct TempInfo: Hashable, Sendable {
    public var name: String
    /// The class it was defined with; `nil` while no definition has been seen.
    public var type: BaseType?
    public init(name: String, type: BaseType?) {
        self.name = name
        self.type = type
    }
}

/// A function parameter: `ABITY %name`.
public struct Parameter: Hashable, Sendable {
    public var type: ABIType
    public var temp: Temp
    public var position: SourcePosition
    public init(type: ABIType, temp: Temp, position: SourcePosition = .unknown) {
        self.type = type
        self.temp = temp
        self.position = position
    }
}

/// Linkage flags of a function or data definition.
public struct Linkage: Hashable, Sendable {
    public var export = false
    public var thread = false
    public var common = false
    public var section: String? = nil
    public var sectionFlags: String? = nil
    public init(export: Bool = false, thread: Bool = false, common: Bool = false,
                section: String? = nil, sectionFlags: String? = nil) {
        self.export = export
        self.thread = thread
        self.common = common
        self.section = section
        self.sectionFlags = sectionFlags
    }
}

/// A function: arenas of blocks, temporaries, constants and call sites, all
/// addressed by small typed indices. Block 0 is the entry block.
public struct Function: Hashable, Sendable {
    public var name: SymbolID
    public var linkage: Linkage
    public var returnType: ABIType?
    public var env: Temp?
    public var parameters: [Parameter]
    public var isVariadic: Bool
    public var blocks: [Block]
    public var temps: [TempInfo]
    public var constants: [Constant]
    public var calls: [CallSite]
    /// Index in `Module.files` of the file the function was read from.
    public var file: Int
    public var position: SourcePosition

    public init(name: SymbolID, linkage: Linkage = Linkage(), returnType: ABIType? = nil,
                file: Int = 0, position: SourcePosition = .unknown) {
        self.name = name
        self.linkage = linkage
        self.returnType = returnType
        self.env = nil
        self.parameters = []
        self.isVariadic = false
        self.blocks = []
        self.temps = []
        self.constants = []
        self.calls = []
        self.file = file
        self.position = position
    }

    public static let entry = BlockID(0)

    public subscript(b: BlockID) -> Block {
        get { blocks[b.int] }
        set { blocks[b.int] = newValue }
    }

    public var blockIDs: [BlockID] { (0..<blocks.count).map(BlockID.init) }

    // MARK: arenas

    public mutating func newTemp(name: String, type: BaseType?) -> Temp {
        temps.append(TempInfo(name: name, type: type))
        return Temp(temps.count - 1)
    }

    /// Adds a constant to the pool (no deduplication: callers that want it intern).
    public mutating func addConstant(_ c: Constant) -> Ref {
        constants.append(c)
        return .const(ConstID(constants.count - 1))
    }

    public func constant(_ r: Ref) -> Constant? {
        r.constant.map { constants[$0.int] }
    }

    public mutating func addCall(_ site: CallSite) -> CallID {
        calls.append(site)
        return CallID(calls.count - 1)
    }

    public mutating func addBlock(label: String, position: SourcePosition = .unknown) -> BlockID {
        blocks.append(Block(label: label, position: position))
        return BlockID(blocks.count - 1)
    }

    // MARK: CFG

    /// Predecessors of every block, in block order, computed from the terminators.
    /// A block jumping to the same target twice (`jnz %c, @a, @a`) is one edge.
    public func predecessors() -> [[BlockID]] {
        var preds = Array(repeating: [BlockID](), count: blocks.count)
        for (i, b) in blocks.enumerated() {
            for s in b.successors { preds[s.int].append(BlockID(i)) }
        }
        return preds
    }
}
