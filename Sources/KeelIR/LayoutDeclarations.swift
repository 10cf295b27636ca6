/// Layouts a module declares without defining them (docs/il-extensions.md,
/// "Declared layouts"): data in the section `keel_layouts` whose `l` items
/// are triples `$layout, KIND, WORDS`. A declared layout is allocated inline
/// like one written as data of the module; the declaration is written as
/// real data, and the runtime compares every triple with the layout's
/// actual header at `keel_init` (Sources/KeelRuntime/layouts.c), before
/// any allocation can take the inline path.
extension ManagedRuntime {
    /// The section whose data definitions declare external layouts.
    public static let layoutsSection = "keel_layouts"
    /// Its flags when the IL writes none: allocated, so the linker keeps it
    /// and defines `__start_keel_layouts`; writable, because the layout
    /// addresses are relocated in a position-independent executable.
    public static let layoutsSectionFlags = "aw"

    /// The flags to write for a section of `linkage` (nil: none).
    public static func sectionFlags(_ linkage: Linkage) -> String? {
        if linkage.sectionFlags == nil, linkage.section == layoutsSection { return layoutsSectionFlags }
        return linkage.sectionFlags
    }

    /// One triple of a `keel_layouts` definition.
    public struct LayoutDeclaration: Hashable, Sendable {
        public var layout: SymbolID
        public var header: LayoutHeader
        /// The index in `Module.data` of the definition declaring it.
        public var data: Int
    }

    /// Why a `keel_layouts` definition is not a list of declarations.
    public enum LayoutDeclarationProblem: Error, Hashable, Sendable {
        /// An item that is not `l` values (`z`, `r`, another type, a string).
        case notWords
        /// The number of `l` values is not a multiple of three.
        case incompleteTriple(values: Int)
        /// Triple `index` does not start with a symbol (offset 0).
        case notASymbol(index: Int)
        /// Triple `index` has a kind or word count that is not an integer constant.
        case notAnInteger(index: Int)
        /// Triple `index` has a kind outside 1-3.
        case kind(index: Int, Int64)
        /// Triple `index`: a RECORD's words outside 0..<2^32, or another kind's not 0.
        case words(index: Int, kind: Int64, Int64)
        /// Aligned to less than 8, or thread-local: the runtime reads one
        /// process-wide array of 8-byte words.
        case placement
    }

    /// The declarations of `d` (a definition in `layoutsSection`), or why it is malformed.
    public static func layoutDeclarations(of d: DataDefinition, index: Int)
        -> Result<[LayoutDeclaration], LayoutDeclarationProblem> {
        func fail(_ p: LayoutDeclarationProblem) -> Result<[LayoutDeclaration], LayoutDeclarationProblem> { .failure(p) }
        if d.linkage.thread || d.linkage.common || (d.alignment.map { $0 < 8 } ?? false) { return fail(.placement) }
        var values: [DataValue] = []
        for item in d.items {
            guard case .values(.l, let vs) = item, !vs.contains(where: { if case .string = $0 { true } else { false } })
            else { return fail(.notWords) }
            values += vs
        }
        guard values.count % 3 == 0 else { return fail(.incompleteTriple(values: values.count)) }
        var result: [LayoutDeclaration] = []
        for i in 0..<values.count / 3 {
            guard case .symbol(let s, 0) = values[3 * i] else { return fail(.notASymbol(index: i)) }
            guard case .integer(let kind) = values[3 * i + 1], case .integer(let words) = values[3 * i + 2] else {
                return fail(.notAnInteger(index: i))
            }
            guard (1...3).contains(kind) else { return fail(.kind(index: i, kind)) }
            let isRecord = UInt32(kind) == recordKind
            guard isRecord ? (0...Int64(UInt32.max)).contains(words) : words == 0 else {
                return fail(.words(index: i, kind: kind, words))
            }
            result.append(LayoutDeclaration(layout: s, header: LayoutHeader(magic: layoutMagic, kind: UInt32(kind),
                                                                              words: UInt32(words)), data: index))
        }
        return .success(result)
    }

    /// Per symbol of `module`: the header its well-formed declarations give
    /// it (the first one), nil when it is declared nowhere.
    public static func declaredLayouts(in module: Module) -> [LayoutHeader?] {
        var result = [LayoutHeader?](repeating: nil, count: module.symbols.count)
        for (i, d) in module.data.enumerated() where d.linkage.section == layoutsSection {
            guard case .success(let declarations) = layoutDeclarations(of: d, index: i) else { continue }
            for x in declarations where x.layout.int < result.count && result[x.layout.int] == nil {
                result[x.layout.int] = x.header
            }
        }
        return result
    }
}
