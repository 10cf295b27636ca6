import Keel

/// Nested `+ - * /` computed unboxed when their operands are doubles.
/// `(+ (* dx dx) (* dy dy))` lowered one operation at a time boxes every
/// intermediate result; as a tree it checks that each operand (a leaf) is a
/// boxed double, computes the whole tree in double registers and boxes the
/// result once. When a leaf is not a double (fixnums, an error to report)
/// the same leaf values go through the usual lowering, operation by
/// operation, so results and errors are unchanged.
///
/// Evaluating every leaf before any operation must not be observable: in
/// the written order an operation runs as soon as its operands are known,
/// and may fail before a later leaf is evaluated. So every leaf after the
/// first operation (in evaluation order) must be a local, a captured value
/// or a constant, which have no effects; the leaves before it are
/// evaluated first either way. Each operation has an operand that is not a
/// constant, so when the leaves are doubles every operation is one of
/// doubles (an integer constant is converted, as Clojure converts it).
indirect enum DoubleTree {
    case leaf(Int)           // index into the tree's leaves
    case constant(Double, Int)   // a numeric literal, and its leaf index for the general path
    case operation(String, Opcode, DoubleTree, DoubleTree)   // runtime function, IL op

    static var operations: [String: Opcode] { CodeGenerator.doubleOperations }

    /// The tree of `e` and its leaves in evaluation order, when `e` is an
    /// operation with at least one operation nested in it that qualifies.
    static func of(_ e: Expr) -> (tree: DoubleTree, leaves: [Expr])? {
        var leaves: [Expr] = []
        var operationCount = 0
        var pure = true
        func build(_ e: Expr) -> DoubleTree? {
            if case .intrinsic(let i, let args, _) = e, case .fold(let f, _, _) = i.shape,
               let op = operations[f], args.count >= 2 {
                guard var acc = build(args[0]) else { return nil }
                for x in args.dropFirst() {
                    guard let rhs = build(x) else { return nil }
                    if case .constant = acc, case .constant = rhs { return nil }
                    acc = .operation(f, op, acc, rhs)
                    operationCount += 1
                }
                return acc
            }
            switch e {
            case .constant(let form):
                leaves.append(e)
                switch form.kind {
                case .integer(let n): return .constant(Double(n), leaves.count - 1)
                case .double(let d): return .constant(d, leaves.count - 1)
                default: return nil
                }
            case .local, .captured:
                leaves.append(e)
                return .leaf(leaves.count - 1)
            default:
                if operationCount > 0 { pure = false }  // evaluated after an operation
                leaves.append(e)
                return .leaf(leaves.count - 1)
            }
        }
        guard let tree = build(e), pure, operationCount >= 2 else { return nil }
        return (tree, leaves)
    }
}

extension CodeGenerator {
    /// Generates `tree` over `leaves` (DoubleTree), nil when control does not continue.
    mutating func genDoubleTree(_ tree: DoubleTree, _ leaves: [Expr]) throws(LispError) -> Ref? {
        var values: [Ref] = []
        for x in leaves {
            guard let v = try gen(x) else { return nil }
            values.append(v)
        }
        return merged("num", at: "computed") { g, result, join in
            let doubles = g.b.createBlock("doubles"), general = g.b.createBlock("general")
            let layout = g.symbol("kl_double_layout")
            var checked: [Ref] = []
            for case .leaf(let k) in tree.leafNodes where !checked.contains(values[k]) {
                checked.append(values[k])
                let object = g.b.createBlock("object"), next = g.b.createBlock("double")
                g.b.branch(g.isObject(values[k]), object, general)
                g.b.sealBlock(object)
                g.b.switchTo(object)
                g.b.branch(g.b.emit(.ceql, .w, g.b.emit(.loadl, .l, values[k]), layout), next, general)
                g.b.sealBlock(next)
                g.b.switchTo(next)
            }
            g.b.jump(doubles)
            g.b.sealBlock(doubles)
            g.b.switchTo(doubles)
            g.b.write(result, g.boxDouble(g.unboxed(tree, values)))
            g.b.jump(join)
            g.b.sealBlock(general)
            g.b.switchTo(general)
            g.b.write(result, g.boxedTree(tree, values))
            g.b.jump(join)
        }
    }

    /// The tree in double registers (every leaf a boxed double).
    private mutating func unboxed(_ tree: DoubleTree, _ values: [Ref]) -> Ref {
        switch tree {
        case .leaf(let k): return unboxDouble(values[k])
        case .constant(let d, _): return b.constant(.double(d))
        case .operation(_, let op, let x, let y): return b.emit(op, .d, unboxed(x, values), unboxed(y, values))
        }
    }

    /// The tree one operation at a time, as `arithmetic` lowers it.
    private mutating func boxedTree(_ tree: DoubleTree, _ values: [Ref]) -> Ref {
        switch tree {
        case .leaf(let k), .constant(_, let k): return values[k]
        case .operation(let f, _, let x, let y):
            let a = boxedTree(x, values)
            return arithmetic(f, [a, boxedTree(y, values)])
        }
    }
}

extension DoubleTree {
    /// The leaf nodes (not constants), left to right.
    var leafNodes: [DoubleTree] {
        switch self {
        case .leaf: return [self]
        case .constant: return []
        case .operation(_, _, let x, let y): return x.leafNodes + y.leafNodes
        }
    }
}
