// Classification of aggregate types for AAPCS64 (§5.9.5, §6.8.2 rules B–C).
//
// Contract: takes an `AggregateType` of a module (by `TypeID`, nested
// aggregates through the module's type table) and says how a value of it
// travels. Pure; never traps, whatever the table holds (cycles end the
// walk and make the type "not an HFA").
//
// - A homogeneous floating-point aggregate (HFA): every scalar field of
//   every union variant, nested aggregates flattened, has the same float
//   type (`s` or `d`), and the size is 1 to 4 of them: it travels in
//   consecutive v registers, one member each.
// - Otherwise an aggregate of at most 16 bytes travels as its bytes rounded
//   up to 8, in consecutive x registers (starting at an even one when its
//   alignment is 16).
// - Other larger aggregates (and empty ones) are copied by the caller, and the
//   copy's address travels as a pointer argument (B.4).
// - Opaque types of at most 16 bytes are integer data (as for C structs of
//   that size); larger ones are copied.
import KeelIR

enum Arm64AggregateClass: Hashable {
    case hfa(BaseType, count: Int)
    /// `words` 8-byte integer registers; `even` when the first must be even-numbered.
    case integer(words: Int, even: Bool)
    case reference
}

enum AAPCS64Aggregates {
    static func classify(_ id: TypeID, types: [AggregateType]) -> Arm64AggregateClass {
        guard id.int < types.count else { return .reference }
        let t = types[id.int]
        var base: BaseType? = nil
        // An HFA may be larger than 16 bytes (up to four doubles).
        if t.size > 0, homogeneous(id, types: types, base: &base, depth: 0), let b = base, t.size % b.size == 0,
           (1...4).contains(t.size / b.size) {
            return .hfa(b, count: t.size / b.size)
        }
        if t.size <= 0 || t.size > 16 { return .reference }
        return .integer(words: (t.size + 7) / 8, even: t.alignment >= 16)
    }

    /// Whether every scalar field of `id` is the float type `base` (set by the first one).
    static func homogeneous(_ id: TypeID, types: [AggregateType], base: inout BaseType?, depth: Int) -> Bool {
        guard id.int < types.count, depth < 32, case .fields(let variants) = types[id.int].layout else { return false }
        for variant in variants {
            for field in variant where field.count > 0 {
                switch field.kind {
                case .scalar(let e):
                    let b: BaseType
                    switch e {
                    case .s: b = .s
                    case .d: b = .d
                    default: return false
                    }
                    if let known = base, known != b { return false }
                    base = b
                case .aggregate(let inner):
                    if !homogeneous(inner, types: types, base: &base, depth: depth + 1) { return false }
                }
            }
        }
        return base != nil
    }
}
