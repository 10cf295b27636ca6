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
}
