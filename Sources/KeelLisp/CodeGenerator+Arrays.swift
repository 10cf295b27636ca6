import Keel

/// `aget`, `aset` and `alength` inline on an array whose kind is claimed
/// (StaticTypes: a hint, or the `double-array`/`long-array` that made it).
/// The claim is checked: the array's layout, the index (a fixnum) and its
/// bounds are tested, and any failure calls the runtime's error report,
/// which names what was wrong. Unclaimed arrays use the runtime functions.
extension CodeGenerator {
    static func arrayLayout(_ kind: StaticType) -> String {
        kind == .doubles ? "kl_double_array_layout" : "kl_long_array_layout"
    }

    /// Continues in a new block when `condition` holds, else goes to `failed`.
    mutating func continueIf(_ condition: Ref, else failed: BlockID, _ label: String) {
        let next = b.createBlock(label)
        b.branch(condition, next, failed)
        b.sealBlock(next)
        b.switchTo(next)
    }

    /// The address of element `i` of `a`, in the block where `a` is an
    /// array of `kind` and `i` a fixnum index within it; every test that
    /// fails goes to `failed`.
    private mutating func arrayElement(_ a: Ref, _ i: Ref, _ kind: StaticType, failed: BlockID) -> Ref {
        continueIf(isObject(a), else: failed, "array")
        continueIf(b.emit(.ceql, .w, b.emit(.loadl, .l, a), symbol(Self.arrayLayout(kind))), else: failed, "array_kind")
        if !knownFixnums.contains(i, in: b.function) {
            continueIf(b.emit(.and, .w, i, b.integer(1)), else: failed, "array_index")
        }
        let k = b.emit(.sar, .l, i, b.integer(1))
        let length = b.emit(.loaduw, .l, b.emit(.add, .l, a, b.integer(8)))
        continueIf(b.emit(.cultl, .w, k, length), else: failed, "in_bounds")
        return b.emit(.add, .l, b.emit(.add, .l, a, b.emit(.shl, .l, k, b.integer(3))), b.integer(16))
    }

    /// A cold block that reports why `operation` on `a` at `i` (claimed an
    /// array of `kind`) failed; generation goes on where it was.
    private mutating func arrayFailure(_ operation: String, _ a: Ref, _ i: Ref, _ kind: StaticType) -> BlockID {
        let failed = b.createBlock("array_error")
        b.markCold(failed)
        let here = b.currentBlock
        b.switchTo(failed)
        fail("kl_array_error", [CallArgument(type: .base(.l), value: symbol(cString(operation))), rArg(a), rArg(i),
                                CallArgument(type: .base(.l), value: symbol(Self.arrayLayout(kind)))])
        b.switchTo(here)
        return failed
    }

    /// The `d` of `(aget a i)` on a claimed double array.
    mutating func doubleArrayGet(_ a: Ref, _ i: Ref) -> Ref {
        let failed = arrayFailure("aget", a, i, .doubles)
        let p = arrayElement(a, i, .doubles, failed: failed)
        b.sealBlock(failed)
        return b.emit(.loadd, .d, p)
    }

    /// `(aget a i)` on a claimed long array: a fixnum, or a boxed long
    /// when the element is outside the fixnum range.
    mutating func longArrayGet(_ a: Ref, _ i: Ref) -> Ref {
        let failed = arrayFailure("aget", a, i, .longs)
        let p = arrayElement(a, i, .longs, failed: failed)
        b.sealBlock(failed)
        let n = b.emit(.loadl, .l, p)
        let doubled = b.emit(.shl, .l, n, b.integer(1))
        let fits = b.emit(.ceql, .w, b.emit(.sar, .l, doubled, b.integer(1)), n)
        return merged("element", at: "got") { g, result, join in
            let big = g.b.createBlock("big_long")
            g.b.markCold(big)
            g.b.write(result, g.b.emit(.tagr, .r, doubled))
            g.b.branch(fits, join, big)
            g.b.sealBlock(big)
            g.b.switchTo(big)
            g.b.write(result, g.b.call(g.symbol("kl_make_long"), returnType: .base(.r),
                                       arguments: [CallArgument(type: .base(.l), value: n)]))
            g.b.jump(join)
        }
    }

    /// `(aset a i v)` on an array claimed of `kind`: the stored value, a
    /// `d` (`unboxed`) when it was a double stored with no box; nil when
    /// control does not continue. A value the inline store cannot take (a boxed
    /// long, a long into a double array, a non-number) goes to the
    /// runtime's `kl_aset`, which converts it or reports the error.
    mutating func arraySet(_ kind: StaticType, _ args: [Expr]) throws(LispError) -> (value: Ref, unboxed: Bool)? {
        guard let a = try gen(args[0]), let i = try gen(args[1]) else { return nil }
        if kind == .doubles, staticTypes.of(args[2]) == .double {
            guard let v = try genDouble(args[2]) else { return nil }
            let failed = arrayFailure("aset", a, i, kind)
            let p = arrayElement(a, i, kind, failed: failed)
            b.sealBlock(failed)
            b.emit(.stored, .d, v, p)
            return (v, true)
        }
        guard let v = try gen(args[2]) else { return nil }
        let failed = arrayFailure("aset", a, i, kind)
        let p = arrayElement(a, i, kind, failed: failed)
        b.sealBlock(failed)
        let general = b.createBlock("aset_general"), done = b.createBlock("stored")
        b.markCold(general)
        if kind == .longs {
            continueIf(b.emit(.and, .w, v, b.integer(1)), else: general, "fixnum_value")
            b.emit(.storel, .l, b.emit(.sar, .l, v, b.integer(1)), p)
        } else {
            continueIf(isObject(v), else: general, "boxed")
            continueIf(b.emit(.ceql, .w, b.emit(.loadl, .l, v), symbol("kl_double_layout")), else: general, "boxed_double")
            b.emit(.stored, .d, unboxDouble(v), p)
        }
        b.jump(done)
        b.sealBlock(general)
        b.switchTo(general)
        _ = callR("kl_aset", [a, i, v])
        b.jump(done)
        b.sealBlock(done)
        b.switchTo(done)
        return (v, false)
    }

    /// `(alength a)` on an array claimed of `kind`, a fixnum.
    mutating func arrayLength(_ a: Ref, _ kind: StaticType) -> Ref {
        let zero = b.integer(Value.fixnum(0)!)
        let failed = arrayFailure("alength", a, zero, kind)
        continueIf(isObject(a), else: failed, "array")
        continueIf(b.emit(.ceql, .w, b.emit(.loadl, .l, a), symbol(Self.arrayLayout(kind))), else: failed, "array_kind")
        b.sealBlock(failed)
        let length = b.emit(.loaduw, .l, b.emit(.add, .l, a, b.integer(8)))
        return b.emit(.tagr, .r, b.emit(.shl, .l, length, b.integer(1)))
    }

    /// `aget`, `aset` or `alength` of an array whose kind is claimed, inline;
    /// nil (and nothing generated) when `e` is not one. The outer optional
    /// is nil when control does not continue.
    mutating func claimedArrayAccess(_ intrinsic: Intrinsic, _ args: [Expr]) throws(LispError) -> Ref?? {
        guard bailout == nil, ["aget", "aset", "alength"].contains(intrinsic.name),
              let kind = staticTypes.of(args[0]), kind != .double else { return .none }
        switch intrinsic.name {
        case "aget":
            if kind == .doubles {
                guard let d = try genDouble(.intrinsic(intrinsic, args, position)) else { return .some(nil) }
                return boxDouble(d)
            }
            guard let a = try gen(args[0]), let i = try gen(args[1]) else { return .some(nil) }
            return longArrayGet(a, i)
        case "aset":
            guard let (v, unboxed) = try arraySet(kind, args) else { return .some(nil) }
            return unboxed ? boxDouble(v) : v
        default:
            guard let a = try gen(args[0]) else { return .some(nil) }
            return arrayLength(a, kind)
        }
    }
}
