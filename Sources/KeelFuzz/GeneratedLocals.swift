// Local variables the way C front ends write them: `alloc` slots of the
// entry block whose address is only loaded from and stored to, so slot
// promotion turns them into SSA values (`-O1` and up) while `-O0` keeps
// them in memory. They put the promotion pass under pressure where it must
// be exact: stores and loads of several widths on one slot (`storew` then
// `loadsw`/`loaduw`, `storeb` then `loadub`/`loadsb`, `storel` then `loadw`,
// narrow stores merged into a wider value), floats read back as their bits,
// accesses through `copy` and `add 0` aliases, and read-modify-write inside
// loops (phis). One slot in eight is sometimes accessed at an offset, which
// keeps it in memory: the pass must leave such slots alone.
//
// Defined behaviour: each slot is written whole right after its `alloc`
// (a line marked `# init`, which the shrinker never removes), so every
// later load reads defined bytes natively too; float slots only ever hold
// bounded floats of their own kind, and are read as floats of that kind or
// as integers.
extension ProgramGenerator {
    /// A local slot: `%locN`, its size (4 or 8), and the float kind it holds (nil: integers).
    struct Local {
        var name: String
        var size: Int
        var floatKind: Kind?
        /// Sometimes accessed at an offset (then never promoted).
        var offsets: Bool
    }

    /// The shrinker keeps lines ending with this: they make memory defined.
    static let initMarker = "# init"

    /// Allocates and initializes 1 to 4 local slots.
    mutating func declareLocals() {
        locals = []
        for i in 0..<(1 + rng.below(4)) {
            let name = "%loc\(i)"
            let local: Local
            switch rng.below(6) {
            case 0: local = Local(name: name, size: 4, floatKind: .s, offsets: false)
            case 1: local = Local(name: name, size: 8, floatKind: .d, offsets: false)
            case 2: local = Local(name: name, size: 4, floatKind: nil, offsets: rng.chance(12))
            default: local = Local(name: name, size: 8, floatKind: nil, offsets: rng.chance(12))
            }
            emit("\(name) =l alloc\(local.size) \(local.size)")
            let initial: String
            switch local.floatKind {
            case .s?: initial = "stores \(floatConstant(.s, maxBound: 8).0)"
            case .d?: initial = "stored \(floatConstant(.d, maxBound: 8).0)"
            default: initial = local.size == 8 ? "storel \(intConstant(.l))" : "storew \(intConstant(.w))"
            }
            emit("\(initial), \(name) \(Self.initMarker)")
            locals.append(local)
        }
    }

    /// The address operand of an access of `width` bytes: the slot itself,
    /// or an alias of it the pass must see through, or (for slots that allow
    /// it) an offset that keeps the slot in memory.
    mutating func localAddress(_ local: Local, width: Int) -> String {
        switch rng.below(10) {
        case 0:
            let a = fresh()
            emit("\(a) =l copy \(local.name)")
            return a
        case 1:
            let a = fresh()
            emit("\(a) =l add \(local.name), 0")
            return a
        case 2 where local.offsets && width < local.size:
            let a = fresh()
            emit("\(a) =l add \(local.name), \(local.size - width)")
            return a
        default:
            return local.name
        }
    }

    /// A store to a local: an integer slot takes any width up to its size, a
    /// float slot a float of its kind.
    mutating func localStore() {
        guard let local = locals.randomElement(using: &rng) else { return store() }
        if let fk = local.floatKind {
            let (v, _) = floatOperand(fk, maxBound: 60)
            emit("store\(fk.name) \(v), \(localAddress(local, width: local.size))")
            return
        }
        let width = rng.pick(local.size == 8 ? [1, 2, 4, 8, 8] : [1, 2, 4, 4])
        let op = ["", "storeb", "storeh", "", "storew", "", "", "", "storel"][width]
        let v = intOperand(width == 8 ? .l : .w)
        emit("\(op) \(v), \(localAddress(local, width: width))")
    }

    /// `x = x OP e` on a local: a load, an operation and a store of one
    /// width (inside a loop the promoted value becomes a phi).
    mutating func localUpdate() {
        guard let local = locals.randomElement(using: &rng), local.floatKind == nil else { return localStore() }
        let kind: Kind = local.size == 8 && rng.chance(60) ? .l : .w
        let old = fresh(), new = fresh()
        emit("\(old) =\(kind.name) load\(kind == .l ? "l" : "w") \(localAddress(local, width: kind == .l ? 8 : 4))")
        let op = rng.pick(["add", "sub", "xor", "mul", "or"])
        emit("\(new) =\(kind.name) \(op) \(old), \(intOperand(kind))")
        emit("store\(kind.name) \(new), \(localAddress(local, width: kind == .l ? 8 : 4))")
    }

    /// Loads an integer of `kind` from a local into `dest` (any local: float
    /// slots are read as their bits). Returns false when there is none.
    mutating func localIntegerLoad(_ kind: Kind, dest: String) -> Bool {
        guard let local = locals.randomElement(using: &rng) else { return false }
        var ops: [(String, Int)] = [("loadsh", 2), ("loaduh", 2), ("loadsb", 1), ("loadub", 1)]
        if kind == .l {
            ops += [("loadsw", 4), ("loaduw", 4), ("loadsw", 4)]
            if local.size == 8 { ops += [("loadl", 8), ("loadl", 8), ("loadl", 8)] }
        } else {
            ops += [("loadw", 4), ("loadw", 4), ("loadw", 4)]
        }
        let (op, width) = rng.pick(ops)
        emit("\(dest) =\(kind.name) \(op) \(localAddress(local, width: width))")
        return true
    }

    /// Loads a float of `kind` from a local holding that kind into `dest`;
    /// returns its bound (60, what stores put there), or nil when there is none.
    mutating func localFloatLoad(_ kind: Kind, dest: String) -> Int? {
        guard let local = locals.filter({ $0.floatKind == kind }).randomElement(using: &rng) else { return nil }
        emit("\(dest) =\(kind.name) load\(kind.name) \(localAddress(local, width: local.size))")
        return 60
    }

    /// Mixes every local's whole contents into the digest `h`.
    mutating func mixLocals(into h: String) {
        for local in locals {
            let v = fresh()
            emit("\(v) =\(local.size == 8 ? "l" : "w") load\(local.size == 8 ? "l" : "w") \(local.name)")
            mix(into: h, Variable(name: v, kind: local.size == 8 ? .l : .w, bound: 0, mutable: false))
        }
    }
}
