/// Physical registers as the target-independent machine layer sees them.
///
/// A target numbers its registers 0..<64: integer registers first, then
/// floating-point/vector registers. The allocator never interprets a number;
/// it only asks the `RegisterFile` which registers exist, in which class, in
/// which order to prefer them, and which ones a call clobbers.

/// The kind of register a virtual register needs.
public enum RegClass: UInt8, Hashable, Sendable, CaseIterable {
    case int, float
}

/// A physical register of the target.
public struct PReg: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var number: UInt8
    @inlinable public init(_ number: Int) { self.number = UInt8(number) }
    public static func < (a: PReg, b: PReg) -> Bool { a.number < b.number }
    public var description: String { "p\(number)" }
}

/// A set of physical registers: one bit per register number.
public struct RegSet: Hashable, Sendable, Sequence {
    public var bits: UInt64
    @inlinable
    public init(bits: UInt64 = 0) { self.bits = bits }
    @inlinable
    public init<S: Sequence>(_ regs: S) where S.Element == PReg {
        bits = 0
        for r in regs { insert(r) }
    }
    public static let empty = RegSet()

    @inlinable
    public func contains(_ r: PReg) -> Bool { bits & (1 << UInt64(r.number)) != 0 }
    @inlinable
    public mutating func insert(_ r: PReg) { bits |= 1 << UInt64(r.number) }
    @inlinable
    public mutating func remove(_ r: PReg) { bits &= ~(1 << UInt64(r.number)) }
    @inlinable
    public var isEmpty: Bool { bits == 0 }
    public var count: Int { bits.nonzeroBitCount }
    @inlinable
    public func union(_ o: RegSet) -> RegSet { RegSet(bits: bits | o.bits) }
    @inlinable
    public func intersection(_ o: RegSet) -> RegSet { RegSet(bits: bits & o.bits) }
    @inlinable
    public func subtracting(_ o: RegSet) -> RegSet { RegSet(bits: bits & ~o.bits) }

    public func makeIterator() -> AnyIterator<PReg> {
        var rest = bits
        return AnyIterator {
            guard rest != 0 else { return nil }
            let n = rest.trailingZeroBitCount
            rest &= rest - 1
            return PReg(n)
        }
    }
}

/// What the register allocator needs to know of a target's registers.
///
/// Per-class facts are stored in arrays indexed by `RegClass.rawValue`: a
/// dictionary keyed by `RegClass` would cost every process a runtime lookup
/// of `RegClass`'s `Hashable` conformance when its metadata is first built
/// (a scan of all conformance records, more than compiling a small function).
public struct RegisterFile: Sendable {
    /// Registers the allocator may assign, per class (index: `RegClass.rawValue`),
    /// most preferred first (targets list caller-saved registers first so
    /// short-lived values avoid callee-saved ones that would need saving in the prologue).
    public var allocatableByClass: [[PReg]]
    /// Registers a call may overwrite (the rest are preserved across calls).
    public var callerSaved: RegSet
    /// The class of every register number the target uses.
    public var classes: [RegClass]
    /// Assembly names, for printing and error messages.
    public var names: [String]
    /// One register per class (index: `RegClass.rawValue`) that is never
    /// allocated: the emitter uses it to break cycles in parallel copies and
    /// for memory-to-memory moves.
    public var scratchByClass: [PReg?]

    public init(allocatableByClass: [[PReg]], callerSaved: RegSet, classes: [RegClass], names: [String],
                scratchByClass: [PReg?]) {
        self.allocatableByClass = allocatableByClass
        self.callerSaved = callerSaved
        self.classes = classes
        self.names = names
        self.scratchByClass = scratchByClass
    }

    public init(allocatable: [RegClass: [PReg]], callerSaved: RegSet, classes: [RegClass], names: [String],
                scratch: [RegClass: PReg]) {
        self.init(allocatableByClass: RegClass.allCases.map { allocatable[$0] ?? [] }, callerSaved: callerSaved,
                  classes: classes, names: names, scratchByClass: RegClass.allCases.map { scratch[$0] })
    }

    /// `allocatableByClass` keyed by class.
    public var allocatable: [RegClass: [PReg]] {
        var d: [RegClass: [PReg]] = [:]
        for c in RegClass.allCases where Int(c.rawValue) < allocatableByClass.count {
            d[c] = allocatableByClass[Int(c.rawValue)]
        }
        return d
    }

    /// `scratchByClass` keyed by class.
    public var scratch: [RegClass: PReg] {
        var d: [RegClass: PReg] = [:]
        for c in RegClass.allCases where Int(c.rawValue) < scratchByClass.count {
            if let r = scratchByClass[Int(c.rawValue)] { d[c] = r }
        }
        return d
    }

    public func regClass(_ r: PReg) -> RegClass { classes[Int(r.number)] }
    public func name(_ r: PReg) -> String { names[Int(r.number)] }
    public var calleeSaved: RegSet {
        var all = RegSet()
        for regs in allocatableByClass { for r in regs { all.insert(r) } }
        return all.subtracting(callerSaved)
    }
}
