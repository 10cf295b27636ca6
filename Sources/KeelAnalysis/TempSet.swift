import KeelIR

/// A dense set of a function's temporaries: a `BitSet` indexed by `Temp`.
public struct TempSet: Hashable, Sendable, Sequence, CustomStringConvertible {
    public var bits: BitSet

    /// An empty set able to hold temps `0..<capacity` (usually `Function.temps.count`).
    public init(capacity: Int) { bits = BitSet(capacity: capacity) }
    public init(_ bits: BitSet) { self.bits = bits }
    public init<S: Sequence>(capacity: Int, _ temps: S) where S.Element == Temp {
        bits = BitSet(capacity: capacity)
        for t in temps { bits.insert(t.int) }
    }

    public func contains(_ t: Temp) -> Bool { bits.contains(t.int) }
    @discardableResult public mutating func insert(_ t: Temp) -> Bool { bits.insert(t.int) }
    public mutating func remove(_ t: Temp) { bits.remove(t.int) }
    @discardableResult public mutating func formUnion(_ o: TempSet) -> Bool { bits.formUnion(o.bits) }
    public mutating func subtract(_ o: TempSet) { bits.subtract(o.bits) }
    public var isEmpty: Bool { bits.isEmpty }
    public var count: Int { bits.count }

    public struct Iterator: IteratorProtocol {
        var base: BitSet.Iterator
        public mutating func next() -> Temp? { base.next().map(Temp.init) }
    }
    /// Temps in increasing index order.
    public func makeIterator() -> Iterator { Iterator(base: bits.makeIterator()) }

    public var description: String { "{" + map { "%\($0)" }.joined(separator: ", ") + "}" }
}
