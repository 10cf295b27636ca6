/// The names by which IL reaches Keel's managed runtime (docs/il-extensions.md,
/// "Allocation, fields, safepoints and handles"), in one place for the
/// verifier, the interpreter and the backend.
///
/// Every call is a safepoint (the collector may run and move objects) unless
/// its callee is a symbol that never collects: one of the runtime's own
/// non-collecting functions, or a symbol listed in a data definition of the
/// section `keel_nocollect`.
public enum ManagedRuntime {
    /// `void *keel_alloc(const KeelLayout *layout, uint64_t nwords)`.
    public static let allocate = "keel_alloc"
    /// Runtime functions whose result is a new object (it must be an `r`).
    public static let allocators: Set<String> = ["keel_alloc", "keel_handle_new"]
    /// Runtime functions that never collect (no entry stub: runtime.md).
    public static let neverCollecting: Set<String> = [
        "keel_handle_resource", "keel_handle_close", "keel_handle_count", "keel_heap_size", "keel_init",
    ]
    /// The section whose data definitions list callees declared never to collect.
    public static let noCollectSection = "keel_nocollect"
    /// The section the backend fills with the address of every global
    /// reference cell (docs/stack-maps.md, "Global references").
    public static let globalsSection = "keel_globals"

    /// Byte offsets of the reference cells (`r` items) of `d`, in order.
    public static func referenceCells(of d: DataDefinition) -> [Int] {
        var offsets: [Int] = []
        var at = 0
        for item in d.items {
            switch item {
            case .zero(let n): at += n
            case .values(let t, let values):
                for v in values {
                    if case .string(let bytes) = v { at += bytes.count } else { at += t.size }
                }
            case .references(let cells):
                for _ in cells {
                    offsets.append(at)
                    at += 8
                }
            }
        }
        return offsets
    }

    /// Whether `d` has reference cells.
    public static func hasReferenceCells(_ d: DataDefinition) -> Bool {
        d.items.contains { if case .references(let cells) = $0 { !cells.isEmpty } else { false } }
    }

    /// Whether `v` may be the initial value of a reference cell: 0 or an
    /// immediate (low three bits not all 0), which the collector skips.
    public static func isImmediateOrZero(_ v: Int64) -> Bool { v == 0 || v & 7 != 0 }

    /// Per symbol of `module`: whether a direct call to it is not a safepoint.
    public static func neverCollectingSymbols(in module: Module) -> [Bool] {
        var result = module.symbols.names.map { neverCollecting.contains($0) }
        for d in module.data where d.linkage.section == noCollectSection {
            for item in d.items {
                guard case .values(_, let values) = item else { continue }
                for case .symbol(let s, 0) in values where s.int < result.count { result[s.int] = true }
            }
        }
        return result
    }

    /// Per data definition of `module`: whether it only declares callees
    /// never to collect (section `keel_nocollect`, not exported, its symbol
    /// named by no function and no other data), so the backend writes nothing
    /// for it: the declaration is for the compiler, not the program.
    public static func compileTimeOnlyData(in module: Module) -> [Bool] {
        let declarations = module.data.map { $0.linkage.section == noCollectSection && !$0.linkage.export }
        guard declarations.contains(true) else { return declarations }
        var named = Array(repeating: false, count: module.symbols.count)
        for f in module.functions {
            for case .symbol(let s, _, _) in f.constants where s.int < named.count { named[s.int] = true }
        }
        for (i, d) in module.data.enumerated() where !declarations[i] {
            for case .values(_, let values) in d.items {
                for case .symbol(let s, _) in values where s.int < named.count { named[s.int] = true }
            }
        }
        return module.data.enumerated().map { i, d in declarations[i] && !(d.name.int < named.count && named[d.name.int]) }
    }

    /// The first words of a `KeelLayout` written as data: magic, kind, payload words.
    public struct LayoutHeader: Hashable, Sendable {
        public var magic: UInt32
        public var kind: UInt32
        public var words: UInt32
    }

    public static let layoutMagic: UInt32 = 0x4b4c_4159
    /// Layout kinds a program may use (RECORD, REFS, BYTES).
    public static let programLayoutKinds: ClosedRange<UInt32> = 1...3
    public static let recordKind: UInt32 = 1

    /// The header of the layout descriptor `d`, or nil when its first 12
    /// bytes are not all integer constants (a symbol, or too short).
    public static func layoutHeader(of d: DataDefinition) -> LayoutHeader? {
        var bytes: [UInt8] = []
        loop: for item in d.items {
            switch item {
            case .zero(let n): bytes += repeatElement(0, count: max(0, min(n, 12)))
            case .values(let t, let values):
                for v in values {
                    switch v {
                    case .integer(let i):
                        for k in 0..<t.size { bytes.append(UInt8(truncatingIfNeeded: UInt64(bitPattern: i) >> (8 * UInt64(k)))) }
                    case .string(let s): bytes += s
                    case .single, .double, .symbol: break loop
                    }
                    if bytes.count >= 12 { break loop }
                }
            case .references: break loop
            }
            if bytes.count >= 12 { break }
        }
        guard bytes.count >= 12 else { return nil }
        func word(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) } }
        return LayoutHeader(magic: word(0), kind: word(4), words: word(8))
    }
}

/// Which calls of a module are safepoints, decided once per module.
///
/// A module that never touches the managed runtime (no `r` temporary, no
/// call of an allocating runtime function, no `keel_nocollect` declaration,
/// no reference cell in its data)
/// has no safepoints at all: plain QBE IL compiles exactly as before and
/// carries no stack maps. In a managed module every call is a safepoint
/// unless its callee is a symbol that never collects (`ManagedRuntime`).
public struct SafepointPolicy: Sendable {
    /// Whether the module uses the managed runtime at all.
    public var managed: Bool
    /// Per symbol: a direct call to it is not a safepoint.
    public var neverCollects: [Bool]
    /// Per symbol: data of the module whose header is a layout a program may
    /// allocate (magic, kind 1-3), or an external layout declared in the
    /// section `keel_layouts`: a `keel_alloc` of it may be inlined.
    public var isLayout: [Bool] = []
    /// The symbol `keel_alloc`, when the module names it.
    public var allocate: SymbolID? = nil

    /// The largest payload (in words) the inline allocation path handles
    /// (8 KiB with the header, as the runtime's `keel_alloc_fast`).
    public static let inlineAllocationWords: Int64 = 1022

    public init(module: Module) {
        neverCollects = ManagedRuntime.neverCollectingSymbols(in: module)
        var uses = module.data.contains {
            $0.linkage.section == ManagedRuntime.noCollectSection || $0.linkage.section == ManagedRuntime.layoutsSection
                || ManagedRuntime.hasReferenceCells($0)
        }
            || module.symbols.names.contains { ManagedRuntime.allocators.contains($0) || $0 == "keel_collect" }
        if !uses {
            uses = module.functions.contains { f in
                f.temps.contains { $0.type == .r } || f.parameters.contains { $0.type == .base(.r) }
                    || f.returnType == .base(.r)
            }
        }
        managed = uses
        isLayout = Array(repeating: false, count: module.symbols.names.count)
        var defined = isLayout
        for d in module.data where d.name.int < isLayout.count {
            defined[d.name.int] = true
            if let h = ManagedRuntime.layoutHeader(of: d), h.magic == ManagedRuntime.layoutMagic,
               ManagedRuntime.programLayoutKinds.contains(h.kind) { isLayout[d.name.int] = true }
        }
        // A declared layout the module does not define: the runtime checks
        // the declaration at start-up, before any inline allocation runs.
        // One it defines is judged by its data (the verifier compares both).
        for (s, header) in ManagedRuntime.declaredLayouts(in: module).enumerated() where header != nil && !defined[s] {
            isLayout[s] = true
        }
        if let k = module.symbols.names.firstIndex(of: ManagedRuntime.allocate) { allocate = SymbolID(k) }
    }

    /// Whether `call $keel_alloc(l layout, l words)` may take the inline
    /// bump-pointer path: a layout defined or declared in the module and a
    /// constant size the fast path handles.
    public func inlinesAllocation(callee: SymbolID?, layout: SymbolID?, words: Int64?) -> Bool {
        guard managed, let callee, callee == allocate, let layout, let words else { return false }
        return layout.int < isLayout.count && isLayout[layout.int] && (0...Self.inlineAllocationWords).contains(words)
    }

    /// No safepoints (a module that does not use the runtime).
    public static let none = SafepointPolicy(managed: false, neverCollects: [])

    public init(managed: Bool, neverCollects: [Bool]) {
        self.managed = managed
        self.neverCollects = neverCollects
    }

    /// Whether a call to `callee` (nil: an indirect call) is a safepoint.
    public func isSafepoint(callee: SymbolID?) -> Bool {
        guard managed else { return false }
        guard let callee else { return true }
        return !(callee.int < neverCollects.count && neverCollects[callee.int])
    }
}
