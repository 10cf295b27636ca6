import KeelIR

// Constants added by passes (folded values, identities) go through one
// pool per function so a value used many times is one constant.

/// Interns constants into a function's pool: each distinct constant is
/// added once, and constants already in the pool are reused.
struct ConstantPool {
    private var index: [Constant: Ref] = [:]
    private var indexed = 0

    /// The operand for `c` in `f`, added to the pool if absent.
    mutating func ref(_ c: Constant, in f: inout Function) -> Ref {
        while indexed < f.constants.count {
            let k = f.constants[indexed]
            if index[k] == nil { index[k] = .const(ConstID(indexed)) }
            indexed += 1
        }
        if let r = index[c] { return r }
        let r = f.addConstant(c)
        index[c] = r
        indexed = f.constants.count
        return r
    }
}
