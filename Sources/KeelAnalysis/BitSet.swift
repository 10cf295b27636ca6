/// A fixed-capacity dense set of small non-negative integers, one bit each,
/// stored in 64-bit words. Value type; no ARC beyond the one array.
public struct BitSet: Hashable, Sendable, Sequence, CustomStringConvertible {
    public private(set) var words: [UInt64]
    /// Elements must be in `0..<capacity`.
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = Swift.max(capacity, 0)
        self.words = [UInt64](repeating: 0, count: BitSet.wordCount(capacity))
    }

    /// A set over `words` (as laid out by `BitSet`); bits at or past `capacity` must be clear.
    public init<C: Collection>(capacity: Int, words: C) where C.Element == UInt64 {
        self.capacity = Swift.max(capacity, 0)
        self.words = Array(words)
    }

    @inline(__always)
    public static func wordCount(_ capacity: Int) -> Int { (Swift.max(capacity, 0) + 63) >> 6 }

    @inline(__always)
    public func contains(_ i: Int) -> Bool {
        guard i >= 0, i < capacity else { return false }
        return words[i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    /// Adds `i`; returns whether it was new. Out-of-range elements are ignored.
    @discardableResult @inline(__always)
    public mutating func insert(_ i: Int) -> Bool {
        guard i >= 0, i < capacity else { return false }
        let mask: UInt64 = 1 << UInt64(i & 63)
        let old = words[i >> 6]
        words[i >> 6] = old | mask
        return old & mask == 0
    }

    @inline(__always)
    public mutating func remove(_ i: Int) {
        guard i >= 0, i < capacity else { return }
        words[i >> 6] &= ~(1 << UInt64(i & 63))
    }

    public mutating func removeAll() {
        for w in words.indices { words[w] = 0 }
    }

    /// Adds every element of `other`; returns whether anything was added.
    @discardableResult
    public mutating func formUnion(_ other: BitSet) -> Bool {
        var changed = false
        for w in 0..<Swift.min(words.count, other.words.count) {
            let n = words[w] | other.words[w]
            if n != words[w] { changed = true; words[w] = n }
        }
        return changed
    }

    public mutating func subtract(_ other: BitSet) {
        for w in 0..<Swift.min(words.count, other.words.count) { words[w] &= ~other.words[w] }
    }

    public mutating func formIntersection(_ other: BitSet) {
        for w in words.indices { words[w] &= w < other.words.count ? other.words[w] : 0 }
    }

    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }
    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    public struct Iterator: IteratorProtocol {
        let words: [UInt64]
        var index: Int
        var current: UInt64
        public mutating func next() -> Int? {
            while current == 0 {
                index += 1
                guard index < words.count else { return nil }
                current = words[index]
            }
            let bit = current.trailingZeroBitCount
            current &= current - 1
            return index << 6 | bit
        }
    }

    /// Elements in increasing order.
    public func makeIterator() -> Iterator {
        Iterator(words: words, index: 0, current: words.first ?? 0)
    }

    public var description: String { "{" + map(String.init).joined(separator: ", ") + "}" }
}
