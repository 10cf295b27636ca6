import KeelIR

extension Function {
    /// The function's call sites, with the aggregate return type filled in
    /// where a direct call ignores the result of a function of the module
    /// that returns an aggregate (`returns`, by name): the callee still writes
    /// its result through a buffer, so the call must pass one (QBE passes
    /// none, and the callee writes through a stale register).
    public func callSites(withDefinedAggregateReturns returns: [SymbolID: ABIType]) -> [CallSite] {
        var sites = calls
        guard !returns.isEmpty else { return sites }
        for b in blocks {
            for ins in b.instructions {
                guard let id = ins.callID, id.int < sites.count, sites[id.int].returnType == nil,
                      let c = constant(ins.a), case .symbol(let callee, 0, .direct) = c,
                      let rt = returns[callee] else { continue }
                sites[id.int].returnType = rt
            }
        }
        return sites
    }
}
