import Keel

/// `aget`, `aset` and `alength` inline on an array whose kind is claimed
/// (StaticTypes: a hint, or the `double-array`/`long-array` that made it).
/// The claim is checked: the array's layout, the index (a fixnum) and its
/// bounds are tested, and any failure calls the runtime's error report,
/// which names what was wrong. Unclaimed arrays use the runtime functions.
/// An array index: an unboxed long, or a KeelLisp value (tested to be a fixnum).
enum ArrayIndex {
    case long(Ref)
    case value(Ref)
}

/// What an array operand was read from, when that names it for good: a
/// local (bound once: a test of it holds for every later read, while each
/// read in a loop may be a new SSA value until the loop's header is
/// sealed), or a global that is defined once before any code runs.
enum ArraySource: Hashable {
    case local(Int)
    case global(String)
}

/// An array operand: its value, and its source.
struct ArrayValue {
    let ref: Ref
    let source: ArraySource?
}

/// An array known to be of a kind, in the code being generated: by source, or by value.
struct ArrayFact: Hashable {
    let source: ArraySource?
    let ref: Ref?
    let kind: StaticType

    init(_ a: ArrayValue, _ kind: StaticType) {
        (source, ref, self.kind) = (a.source, a.source == nil ? a.ref : nil, kind)
    }
}

extension CodeGenerator {
    static func arrayLayout(_ kind: StaticType) -> String {
        switch kind {
        case .doubles: return "kl_double_array_layout"
        case .bytes: return "kl_byte_array_layout"
        default: return "kl_long_array_layout"
        }
    }

    /// The length (an `l`) of array `a` of `kind`: a byte array's first
    /// word, the header's word count of the others.
    private mutating func loadLength(_ a: Ref, _ kind: StaticType) -> Ref {
        kind == .bytes ? b.emit(.loadl, .l, b.emit(.add, .l, a, b.integer(16)))
                       : b.emit(.loaduw, .l, b.emit(.add, .l, a, b.integer(8)))
    }

    /// The value of array operand `e`, with the local it reads if it is one.
    mutating func genArray(_ e: Expr) throws(LispError) -> ArrayValue? {
        guard let v = try gen(e) else { return nil }
        return ArrayValue(ref: v, source: arraySource(e))
    }

    /// The source of array operand `e`, if it names one for good.
    func arraySource(_ e: Expr) -> ArraySource? {
        switch e {
        case .local(let l): return .local(l)
        case .global(let name, _) where alwaysBound.contains(name): return .global(name)
        default: return nil
        }
    }

    /// An index as a KeelLisp value (an unboxed one boxed).
    mutating func indexValue(_ index: ArrayIndex) -> Ref {
        switch index {
        case .long(let n): return boxLong(n)
        case .value(let v): return v
        }
    }

    /// Continues in a new block when `condition` holds, else goes to `failed`.
    mutating func continueIf(_ condition: Ref, else failed: BlockID, _ label: String) {
        let next = b.createBlock(label)
        b.branch(condition, next, failed)
        b.sealBlock(next)
        b.switchTo(next)
    }

    /// The length (an `l`) of `a` in the block where `a` is an array of
    /// `kind`; the tests go to `failed`. Once tested, `a` is known to be one
    /// in the code that follows (facts), and is not tested again.
    /// With `verified` false, a prechecked length (0 for what is not such an
    /// array) will do: a bounds check against it fails for such a value.
    private mutating func checkedArray(_ array: ArrayValue, _ kind: StaticType, failed: BlockID,
                                       verified: Bool = false) -> Ref {
        if let fact = facts.arrays[ArrayFact(array, kind)], fact.verified || !verified { return fact.length }
        let a = array.ref
        continueIf(isObject(a), else: failed, "array")
        continueIf(b.emit(.ceql, .w, b.emit(.loadl, .l, a), symbol(Self.arrayLayout(kind))), else: failed, "array_kind")
        let length = loadLength(a, kind)
        facts.arrays[ArrayFact(array, kind)] = (length, true)
        return length
    }

    /// Tests once, where local `l` (claimed an array of `kind`) is bound,
    /// whether it is one, and keeps its length, or 0 when it is not: the
    /// accesses that follow need only their bounds check, whose failure
    /// reports what was wrong. Nothing fails here, as Clojure only casts
    /// where the array is used.
    mutating func precheckArray(_ source: ArraySource, _ kind: StaticType) {
        let a: Ref
        switch source {
        case .local(let l): a = readLocal(l)
        case .global(let name): a = b.emit(.loadr, .r, symbol(globalCell(name)))   // bound for good
        }
        let length = merged("length", at: "prechecked", type: .l) { g, result, join in
            let object = g.b.createBlock("array"), ofKind = g.b.createBlock("array_kind")
            g.b.write(result, g.b.integer(0))
            g.b.branch(g.isObject(a), object, join)
            g.b.sealBlock(object)
            g.b.switchTo(object)
            g.b.branch(g.b.emit(.ceql, .w, g.b.emit(.loadl, .l, a), g.symbol(Self.arrayLayout(kind))), ofKind, join)
            g.b.sealBlock(ofKind)
            g.b.switchTo(ofKind)
            g.b.write(result, g.loadLength(a, kind))
            g.b.jump(join)
        }
        facts.arrays[ArrayFact(ArrayValue(ref: a, source: source), kind)] = (length, false)
    }

    /// precheckArray for those of `locals` that are claimed arrays.
    mutating func precheckArrays(_ locals: [Int]) {
        guard bailout == nil else { return }
        for l in locals {
            if let kind = staticTypes.locals[l], kind.element != nil { precheckArray(.local(l), kind) }
        }
    }

    /// precheckArray for the claimed-array globals defined once that `body`
    /// reads (its fns' bodies aside), at the start of a fn's arity.
    mutating func precheckGlobalArrays(_ body: Expr) {
        guard bailout == nil else { return }
        var seen: Set<String> = []
        func walk(_ e: Expr) {
            if case .global(let name, _) = e, let kind = staticTypes.globals[name], alwaysBound.contains(name),
               seen.insert(name).inserted {
                precheckArray(.global(name), kind)
            }
            for x in e.children { walk(x) }
        }
        walk(body)
    }

    /// The address of element `i` of `a`, in the block where `a` is an
    /// array of `kind` and `i` a fixnum index within it; every test that
    /// fails goes to `failed`.
    private mutating func arrayElement(_ array: ArrayValue, _ index: ArrayIndex, _ kind: StaticType, failed: BlockID) -> Ref {
        let length = checkedArray(array, kind, failed: failed)
        let a = array.ref
        let k: Ref
        switch index {
        case .long(let n): k = n
        case .value(let i):
            if !knownFixnums.contains(i, in: b.function) {
                continueIf(b.emit(.and, .w, i, b.integer(1)), else: failed, "array_index")
            }
            k = b.emit(.sar, .l, i, b.integer(1))
        }
        if facts.indices.insert(IndexFact(array: ArrayFact(array, kind), index: k)).inserted {
            continueIf(b.emit(.cultl, .w, k, length), else: failed, "in_bounds")
        }
        if kind == .bytes { return b.emit(.add, .l, b.emit(.add, .l, a, k), b.integer(24)) }
        return b.emit(.add, .l, b.emit(.add, .l, a, b.emit(.shl, .l, k, b.integer(3))), b.integer(16))
    }

    /// A cold block that reports why `operation` on `a` at `i` (claimed an
    /// array of `kind`) failed; generation goes on where it was.
    private mutating func arrayFailure(_ operation: String, _ a: Ref, _ index: ArrayIndex, _ kind: StaticType) -> BlockID {
        let failed = b.createBlock("array_error")
        b.markCold(failed)
        let here = b.currentBlock
        b.switchTo(failed)
        let i = indexValue(index)
        fail("kl_array_error", [CallArgument(type: .base(.l), value: symbol(cString(operation))), rArg(a), rArg(i),
                                CallArgument(type: .base(.l), value: symbol(Self.arrayLayout(kind)))])
        b.switchTo(here)
        return failed
    }

    /// The unboxed element (a `d`, or an `l`) of `(aget a i)` on an array claimed of `kind`.
    mutating func arrayGet(_ a: ArrayValue, _ i: ArrayIndex, _ kind: StaticType) -> Ref {
        let failed = arrayFailure("aget", a.ref, i, kind)
        let p = arrayElement(a, i, kind, failed: failed)
        b.sealBlock(failed)
        switch kind {
        case .doubles: return b.emit(.loadd, .d, p)
        case .bytes: return b.emit(.loadsb, .l, p)
        default: return b.emit(.loadl, .l, p)
        }
    }

    /// Stores unboxed `v` of `kind`'s element type at `p`, continuing where
    /// it is stored; a long outside a byte's range goes to `general`.
    private mutating func storeElement(_ v: Ref, _ p: Ref, _ kind: StaticType, general: BlockID) {
        switch kind {
        case .doubles: b.emit(.stored, .d, v, p)
        case .bytes:
            // -128...127: v + 128 is below 256, unsigned.
            continueIf(b.emit(.cultl, .w, b.emit(.add, .l, v, b.integer(128)), b.integer(256)), else: general, "in_byte_range")
            b.emit(.storeb, .w, v, p)
        default: b.emit(.storel, .l, v, p)
        }
    }

    /// `(aset a i v)` on an array claimed of `kind`: the stored value, a
    /// `d` (`unboxed`) when it was a double stored with no box; nil when
    /// control does not continue. A value the inline store cannot take (a boxed
    /// long, a long into a double array, a non-number) goes to the
    /// runtime's `kl_aset`, which converts it or reports the error.
    mutating func arraySet(_ kind: StaticType, _ args: [Expr]) throws(LispError) -> (value: Ref, unboxed: StaticType?)? {
        guard let a = try genArray(args[0]), let i = try genIndex(args[1]), let element = kind.element else { return nil }
        let typed = staticTypes.of(args[2]) == element
        let v: Ref
        if typed {
            guard let u = try genUnboxed(args[2], element) else { return nil }
            v = u
        } else {
            guard let r = try gen(args[2]) else { return nil }
            v = r
        }
        let failed = arrayFailure("aset", a.ref, i, kind)
        let p = arrayElement(a, i, kind, failed: failed)
        b.sealBlock(failed)
        let general = b.createBlock("aset_general"), done = b.createBlock("stored")
        b.markCold(general)
        if typed {
            storeElement(v, p, kind, general: general)
        } else if element == .long {
            continueIf(b.emit(.and, .w, v, b.integer(1)), else: general, "fixnum_value")
            storeElement(b.emit(.sar, .l, v, b.integer(1)), p, kind, general: general)
        } else {
            continueIf(isObject(v), else: general, "boxed")
            continueIf(b.emit(.ceql, .w, b.emit(.loadl, .l, v), symbol("kl_double_layout")), else: general, "boxed_double")
            storeElement(unboxDouble(v), p, kind, general: general)
        }
        b.jump(done)
        b.sealBlock(general)
        b.switchTo(general)
        // The runtime converts what it can (a long into a double array) and reports the rest.
        _ = callR("kl_aset", [a.ref, indexValue(i), typed ? boxed(v, element) : v])
        b.jump(done)
        b.sealBlock(done)
        b.switchTo(done)
        return (v, typed ? element : nil)
    }

    /// `(alength a)` on an array claimed of `kind`, a fixnum.
    mutating func arrayLength(_ a: ArrayValue, _ kind: StaticType) -> Ref {
        let failed = arrayFailure("alength", a.ref, .value(b.integer(Value.fixnum(0)!)), kind)
        let length = checkedArray(a, kind, failed: failed, verified: true)
        b.sealBlock(failed)
        return b.emit(.tagr, .r, b.emit(.shl, .l, length, b.integer(1)))
    }

    /// `aget`, `aset` or `alength` of an array whose kind is claimed, inline;
    /// nil (and nothing generated) when `e` is not one. The outer optional
    /// is nil when control does not continue.
    mutating func claimedArrayAccess(_ intrinsic: Intrinsic, _ args: [Expr]) throws(LispError) -> Ref?? {
        guard bailout == nil, ["aget", "aset", "alength"].contains(intrinsic.name),
              let kind = staticTypes.of(args[0]), !kind.isUnboxed else { return .none }
        switch intrinsic.name {
        case "aget":
            guard let element = kind.element,
                  let v = try genUnboxed(.intrinsic(intrinsic, args, position), element) else { return .some(nil) }
            return boxed(v, element)
        case "aset":
            guard let (v, unboxed) = try arraySet(kind, args) else { return .some(nil) }
            return unboxed.map { boxed(v, $0) } ?? v
        default:
            guard let a = try genArray(args[0]) else { return .some(nil) }
            return arrayLength(a, kind)
        }
    }
}
