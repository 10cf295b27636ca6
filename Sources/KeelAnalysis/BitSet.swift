// BitSet: the one dense set of small integers (one bit each, in 64-bit
// words) used by every analysis; `BitMatrix` (BitMatrix.swift) stores many
// such sets as rows of one buffer and shares its word layout, so rows and
// sets combine word by word.
//
// Expects: elements in `0..<capacity`; out-of-range elements are ignored by
// `insert`/`remove` and never contained. Guarantees: bits at or past
// `capacity` stay clear; iteration is in increasing order; a value type
// whose only storage is one array. Operations are `@inlinable` and inlined
// into clients in other modules, write a word only when it changes (a write
// costs the array's uniqueness check) and never allocate once the set
// exists.

/// A fixed-capacity dense set of small non-negative integers, one bit each,
/// stored in 64-bit words. Value type; no ARC beyond the one array.
public struct BitSet: Hashable, Sendable, Sequence, CustomStringConvertible {
    @usableFromInline var storage: [UInt64]
    /// Elements must be in `0..<capacity`.
    public let capacity: Int

    /// The words, bit `i & 63` of word `i >> 6` for element `i`.
    @inlinable public var words: [UInt64] { storage }

    @inlinable
    public init(capacity: Int) {
        self.capacity = Swift.max(capacity, 0)
        self.storage = [UInt64](repeating: 0, count: BitSet.wordCount(capacity))
    }

    /// A set over `words` (as laid out by `BitSet`); bits at or past `capacity` must be clear.
    public init<C: Collection>(capacity: Int, words: C) where C.Element == UInt64 {
        self.capacity = Swift.max(capacity, 0)
        var w = Array(words)
        let count = BitSet.wordCount(capacity)
        if w.count > count { w.removeLast(w.count - count) }
        while w.count < count { w.append(0) }
        self.storage = w
    }

    @inlinable @inline(__always)
    public static func wordCount(_ capacity: Int) -> Int { (Swift.max(capacity, 0) + 63) >> 6 }

    /// The mask of element `i` within its word.
    @inlinable @inline(__always)
    static func mask(_ i: Int) -> UInt64 { 1 << UInt64(truncatingIfNeeded: i & 63) }

    @inlinable @inline(__always)
    public func contains(_ i: Int) -> Bool {
        guard UInt(bitPattern: i) < UInt(bitPattern: capacity) else { return false }
        return storage[i &>> 6] & BitSet.mask(i) != 0
    }

    /// Adds `i`; returns whether it was new. Out-of-range elements are ignored.
    @discardableResult @inlinable @inline(__always)
    public mutating func insert(_ i: Int) -> Bool {
        guard UInt(bitPattern: i) < UInt(bitPattern: capacity) else { return false }
        let m = BitSet.mask(i)
        let old = storage[i &>> 6]
        if old & m != 0 { return false }
        storage[i &>> 6] = old | m
        return true
    }

    @inlinable @inline(__always)
    public mutating func remove(_ i: Int) {
        guard UInt(bitPattern: i) < UInt(bitPattern: capacity) else { return }
        let m = BitSet.mask(i)
        let old = storage[i &>> 6]
        if old & m != 0 { storage[i &>> 6] = old & ~m }
    }

    @inlinable @inline(__always)
    public mutating func removeAll() {
        for k in 0..<storage.count where storage[k] != 0 { storage[k] = 0 }
    }

    /// Adds every element of `other`; returns whether anything was added.
    @discardableResult @inlinable @inline(__always)
    public mutating func formUnion(_ other: BitSet) -> Bool {
        var grew = false
        for k in 0..<Swift.min(storage.count, other.storage.count) {
            let old = storage[k], new = old | other.storage[k]
            if new != old { storage[k] = new; grew = true }
        }
        return grew
    }

    @inlinable @inline(__always)
    public mutating func subtract(_ other: BitSet) {
        for k in 0..<Swift.min(storage.count, other.storage.count) {
            let old = storage[k], new = old & ~other.storage[k]
            if new != old { storage[k] = new }
        }
    }

    @inlinable @inline(__always)
    public mutating func formIntersection(_ other: BitSet) {
        for k in 0..<storage.count {
            let old = storage[k], new = old & (k < other.storage.count ? other.storage[k] : 0)
            if new != old { storage[k] = new }
        }
    }

    public var isEmpty: Bool { storage.allSatisfy { $0 == 0 } }
    public var count: Int { storage.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Calls `body` with each element in increasing order.
    @inlinable @inline(__always)
    public func forEach<E: Error>(_ body: (Int) throws(E) -> Void) throws(E) {
        for k in 0..<storage.count {
            var bits = storage[k]
            while bits != 0 {
                try body(k &<< 6 | bits.trailingZeroBitCount)
                bits &= bits &- 1
            }
        }
    }

    public typealias Iterator = BitIterator

    /// Elements in increasing order.
    @inlinable
    public func makeIterator() -> BitIterator { BitIterator(storage, from: 0, to: storage.count) }

    public var description: String { "{" + map(String.init).joined(separator: ", ") + "}" }
}

/// The set bits of a range of words, as element numbers counted from the
/// range's first word: the iterator behind `BitSet` and `BitMatrix` rows.
/// Holds the array (one retain), copies nothing.
public struct BitIterator: IteratorProtocol, Sequence {
    @usableFromInline let words: [UInt64]
    @usableFromInline let start: Int
    @usableFromInline let end: Int
    @usableFromInline var index: Int
    @usableFromInline var current: UInt64

    @inlinable
    init(_ words: [UInt64], from start: Int, to end: Int) {
        self.words = words
        self.start = start
        self.end = end
        self.index = start
        self.current = start < end ? words[start] : 0
    }

    @inlinable @inline(__always)
    public mutating func next() -> Int? {
        while current == 0 {
            index += 1
            guard index < end else { return nil }
            current = words[index]
        }
        let bit = current.trailingZeroBitCount
        current &= current &- 1
        return (index - start) << 6 | bit
    }
}
