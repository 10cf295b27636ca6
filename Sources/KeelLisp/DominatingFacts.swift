import Keel

/// What the code being generated knows from code that dominates it, so it
/// need not test or compute it again. Code is generated in an order where
/// what came before dominates what follows, except across an `if`: the
/// facts found in a branch are dropped at its join (CodeGenerator saves and
/// restores them), and a fn's facts are its own. Keys name locals (bound
/// once; a loop local's facts are found after its loop's header, so they
/// hold for the rest of that iteration) or SSA values.
struct DominatingFacts {
    /// Arrays tested to be of their claimed kind, with their lengths
    /// (`verified` false: prechecked, the length 0 when it is not one).
    var arrays: [ArrayFact: (length: Ref, verified: Bool)] = [:]
    /// Unboxed results of operations on locals and constants: a checked
    /// operation that reached here did not fail, so its value can be reused.
    var values: [PureOperation: Ref] = [:]
    /// Indices tested to be within an array's bounds.
    var indices: Set<IndexFact> = []
}

/// An operation on locals and numeric constants whose unboxed result
/// depends on nothing else.
struct PureOperation: Hashable {
    enum Operand: Hashable {
        case local(Int)
        case integer(Int64)
        case double(UInt64)
    }

    let name: String
    let operands: [Operand]
    let type: StaticType

    static let names: Set<String> = [
        "+", "-", "*", "/", "inc", "dec", "quot", "rem", "mod", "bit-and", "bit-or", "bit-xor", "bit-not",
        "bit-shift-left", "bit-shift-right", "unsigned-bit-shift-right", "unchecked-add", "unchecked-subtract",
        "unchecked-multiply", "unchecked-inc", "unchecked-dec", "unchecked-negate", "unchecked-byte",
        "Math/sqrt", "double", "long",
    ]

    init?(_ name: String, _ args: [Expr], _ type: StaticType) {
        guard Self.names.contains(name) else { return nil }
        var operands: [Operand] = []
        for x in args {
            switch x {
            case .local(let l): operands.append(.local(l))
            case .constant(let form):
                switch form.kind {
                case .integer(let n): operands.append(.integer(n))
                case .double(let d): operands.append(.double(d.bitPattern))
                default: return nil
                }
            default: return nil
            }
        }
        (self.name, self.operands, self.type) = (name, operands, type)
    }
}

/// An index tested to be within the bounds of an array.
struct IndexFact: Hashable {
    let array: ArrayFact
    let index: Ref
}
