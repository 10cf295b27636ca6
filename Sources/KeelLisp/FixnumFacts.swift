import Keel

/// The values of one function known to be fixnums, so that inline fixnum
/// code does not test them again: results of inline fixnum code in an
/// inlined body (whose other outcomes bail out), and results of operations
/// that are fixnums whichever path computed them (alwaysFixnum). The facts
/// belong to the function they were found in (SSA values are per function).
struct FixnumFacts {
    private var function: SymbolID? = nil
    private var values: Set<Ref> = []

    func contains(_ v: Ref, in f: Function) -> Bool { function == f.name && values.contains(v) }

    mutating func insert(_ v: Ref, in f: Function) {
        if function != f.name { (function, values) = (f.name, []) }
        values.insert(v)
    }

    /// Whether runtime function `f` of `args` returns a fixnum whenever it
    /// returns (its errors aside): `bit-and` with a non-negative constant
    /// mask is within the mask; a right shift of a long by a constant 1 to 63
    /// leaves a 63-bit signed value, an unsigned one by 2 to 63 a 62-bit one.
    static func alwaysFixnum(_ f: String, _ args: [Ref], in function: Function) -> Bool {
        let constants = args.map { r -> Int64? in
            guard case .integer(let word)? = function.constant(r), word & 1 == 1 else { return nil }
            return word >> 1
        }
        switch f {
        case "kl_bit_and": return constants.contains { ($0 ?? -1) >= 0 }
        case "kl_bit_shift_right", "kl_unsigned_bit_shift_right":
            guard args.count == 2, let n = constants[1] else { return false }
            return ((f == "kl_bit_shift_right" ? 1 : 2)...63).contains(n)
        default: return false
        }
    }
}
