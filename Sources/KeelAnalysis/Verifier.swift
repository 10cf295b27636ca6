import KeelIR

/// The IR verifier: checks that a module is well formed and well typed.
///
/// Expects: any `Module`, however it was made (parsed, built through the API,
/// rewritten by a pass). Out-of-range indices are reported, never trapped on.
///
/// Guarantees: every error found is reported, not just the first, as a
/// `VerificationError` value (`errors`) or rendered to a `Diagnostic` at the
/// best position known (`verify`), sorted by file and position. An empty
/// result means:
/// - every instruction has a valid class for its opcode, a result exactly when
///   it defines a value, and operands of acceptable classes (QBE's subtyping:
///   `l` may be used as `w`; Keel's: `r` as `l` or `w`). Constants are untyped
///   bits: any numeric constant is accepted anywhere, a symbol only where an
///   integer or pointer is expected;
/// - every phi names each predecessor exactly once and nothing else;
/// - every block ends in a terminator that jumps inside the function (never to
///   the entry), returns no value from a function without return type and a
///   value of the right class otherwise (a missing value only with
///   `requireReturnValue`, as QBE accepts it), and branches on an integer;
/// - calls to functions of the module match their signature (a call to a
///   variadic function that passes no variadic argument may omit `...`, as
///   C compilers emit it);
/// - every temporary used is defined, and with `requireSSA`, defined once and
///   dominated by its definition (phi arguments at the end of their
///   predecessor). Uses inside unreachable blocks are not dominance-checked,
///   since nothing dominates them, but they are typed like any other.
///
/// Algorithm: per function, one pass collects definitions, a second checks
/// every instruction, phi and terminator; dominance queries are O(1) on the
/// `DominatorTree` (Cooper, Harvey, Kennedy), so the cost is linear in the
/// size of the function plus the tree construction.
public struct Verifier {
    /// Every error of `module` as a diagnostic, sorted by file, then position.
    public static func verify(_ module: Module, options: VerifierOptions = .init()) -> [Diagnostic] {
        let errors = self.errors(module, options: options)
        let keys = errors.map { e in (file: e.fileIndex(in: module), position: e.position(in: module)) }
        let order = errors.indices.sorted { x, y in
            let a = keys[x], b = keys[y]
            if a.file != b.file { return a.file < b.file }
            if a.position != b.position { return a.position < b.position }
            return x < y
        }
        return order.map { errors[$0].diagnostic(in: module, strictCallSignatures: options.strictCallSignatures) }
    }

    /// The errors of `module`, in the order they were found.
    public static func errors(_ module: Module, options: VerifierOptions = .init()) -> [VerificationError] {
        let context = ModuleContext(module, options: options)
        var errors = context.moduleErrors(module)
        for i in module.functions.indices {
            var checker = FunctionVerifier(module: module, function: i, context: context, options: options)
            checker.run()
            errors += checker.errors
        }
        return errors
    }

    /// The errors of one function of `module` (for checking between passes);
    /// module-level errors are left out.
    public static func errors(function index: Int, in module: Module,
                              options: VerifierOptions = .init()) -> [VerificationError] {
        guard module.functions.indices.contains(index) else { return [] }
        var checker = FunctionVerifier(module: module, function: index,
                                       context: ModuleContext(module, options: options), options: options)
        checker.run()
        return checker.errors
    }
}

public struct VerifierOptions: Sendable {
    /// Check SSA form: one definition per temporary, uses dominated by it.
    public var requireSSA = true
    /// When non-nil, a symbol used in code or data must be defined in the
    /// module or be in this set.
    public var knownExternals: Set<String>? = nil
    /// When true, a `ret` without value in a function with a return type is
    /// an error. QBE accepts it (the returned value is undefined), and C
    /// compilers emit it where control falls off the end of a non-void
    /// function or follows a call that does not return, so it is off by default.
    public var requireReturnValue = false
    /// When false, a call whose argument count, argument types or result type
    /// disagree with the definition of the function it calls is reported as a
    /// warning instead of an error (see `VerificationError.diagnostic`).
    public var strictCallSignatures = true

    public init(requireSSA: Bool = true, knownExternals: Set<String>? = nil, requireReturnValue: Bool = false,
                strictCallSignatures: Bool = true) {
        self.requireSSA = requireSSA
        self.knownExternals = knownExternals
        self.requireReturnValue = requireReturnValue
        self.strictCallSignatures = strictCallSignatures
    }
}

/// Facts about the module computed once and shared by all function checks,
/// so no per-instruction string lookup is needed.
struct ModuleContext {
    /// For each symbol, the first function defining it, or -1.
    var functionOfSymbol: [Int32]
    /// For each symbol, the first data object defining it, or -1.
    var dataOfSymbol: [Int32]
    /// For each symbol, whether it is defined more than once (calls to it
    /// are not compared with a signature: which one is meant is unknown).
    var isAmbiguous: [Bool]
    /// For each symbol, whether a use of it is allowed; nil when unchecked.
    var symbolKnown: [Bool]?
    var typeCount: Int
    var duplicates: [VerificationError] = []
    /// For each symbol, whether a direct call to it is not a safepoint (`ManagedRuntime`).
    var neverCollects: [Bool]
    /// For each symbol, whether it is a runtime function returning a new object.
    var allocates: [Bool]
    /// For each symbol, whether it names data with reference cells (`r` items).
    var holdsReferenceCells: [Bool]
    /// For each symbol, the header a `keel_layouts` declaration gives it.
    var declaredLayout: [ManagedRuntime.LayoutHeader?]

    init(_ module: Module, options: VerifierOptions) {
        let n = module.symbols.count
        functionOfSymbol = Array(repeating: -1, count: n)
        dataOfSymbol = Array(repeating: -1, count: n)
        isAmbiguous = Array(repeating: false, count: n)
        typeCount = module.types.count
        neverCollects = ManagedRuntime.neverCollectingSymbols(in: module)
        allocates = module.symbols.names.map { ManagedRuntime.allocators.contains($0) }
        holdsReferenceCells = Array(repeating: false, count: n)
        declaredLayout = ManagedRuntime.declaredLayouts(in: module)
        for d in module.data where d.name.int < n && ManagedRuntime.hasReferenceCells(d) {
            holdsReferenceCells[d.name.int] = true
        }
        // Walk definitions in source order so "first" means first written.
        for item in module.items {
            let def: GlobalDefinition
            let symbol: SymbolID
            switch item {
            case .function(let i) where i >= 0 && i < module.functions.count:
                def = .function(i); symbol = module.functions[i].name
            case .data(let i) where i >= 0 && i < module.data.count:
                def = .data(i); symbol = module.data[i].name
            default: continue
            }
            guard symbol.int < n else { continue }
            let f = functionOfSymbol[symbol.int], d = dataOfSymbol[symbol.int]
            if f >= 0 || d >= 0 {
                let first: GlobalDefinition = f >= 0 ? .function(Int(f)) : .data(Int(d))
                duplicates.append(.duplicateDefinition(symbol, first: first, second: def))
                isAmbiguous[symbol.int] = true
            } else if case .function(let i) = def {
                functionOfSymbol[symbol.int] = Int32(i)
            } else if case .data(let i) = def {
                dataOfSymbol[symbol.int] = Int32(i)
            }
        }
        // Functions and data added without an item still define their names.
        for (i, fn) in module.functions.enumerated() where fn.name.int < n && functionOfSymbol[fn.name.int] < 0
            && dataOfSymbol[fn.name.int] < 0 {
            functionOfSymbol[fn.name.int] = Int32(i)
        }
        for (i, d) in module.data.enumerated() where d.name.int < n && functionOfSymbol[d.name.int] < 0
            && dataOfSymbol[d.name.int] < 0 {
            dataOfSymbol[d.name.int] = Int32(i)
        }
        if let externals = options.knownExternals {
            var known = Array(repeating: false, count: n)
            for s in 0..<n {
                known[s] = functionOfSymbol[s] >= 0 || dataOfSymbol[s] >= 0
                    || externals.contains(module.symbols.names[s])
            }
            symbolKnown = known
        }
    }

    /// Errors that concern the module as a whole: duplicate names, types
    /// naming undefined types, data naming unknown symbols.
    func moduleErrors(_ module: Module) -> [VerificationError] {
        var errors = duplicates + layoutDeclarationErrors(module)
        for (t, type) in module.types.enumerated() {
            guard case .fields(let variants) = type.layout else { continue }
            for field in variants.joined() {
                if case .aggregate(let id) = field.kind, id.int >= typeCount {
                    errors.append(.undefinedTypeInType(TypeID(t), field: id))
                }
            }
        }
        for (d, data) in module.data.enumerated() {
            if ManagedRuntime.hasReferenceCells(data) {
                let cells = ManagedRuntime.referenceCells(of: data)
                if data.linkage.thread { errors.append(.referenceCellThreadLocal(data: d)) }
                if let a = data.alignment, a < 8 { errors.append(.referenceCellMisaligned(data: d, offset: cells[0])) }
                else if let bad = cells.first(where: { $0 % 8 != 0 }) { errors.append(.referenceCellMisaligned(data: d, offset: bad)) }
            }
            for item in data.items {
                guard case .values(_, let values) = item else { continue }
                for case .symbol(let s, _) in values {
                    if s.int >= functionOfSymbol.count {
                        errors.append(.symbolOutOfRangeInData(data: d, symbol: s))
                    } else if let known = symbolKnown, !known[s.int] {
                        errors.append(.undefinedSymbolInData(data: d, symbol: s))
                    }
                }
            }
        }
        return errors
    }
}
