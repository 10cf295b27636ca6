// BitMatrix: a fixed number of `BitSet`-shaped rows in one flat word
// buffer — the per-block sets of every bit-vector dataflow (gen, kill,
// live-in, …) and interference matrices.
//
// Expects: rows in `0..<rowCount` and columns in `0..<columnCount` (checked:
// a bad column traps, and so does a bad row, through the array's own index
// check, whenever the matrix has columns; unlike `BitSet`, an out-of-range
// column is never silently ignored). Guarantees: row `r` occupies words
// `r * wordsPerRow ..< (r + 1) * wordsPerRow`, bit `c & 63` of word `c >> 6`
// for column `c` — the layout of a `BitSet` of capacity `columnCount`, so
// rows and sets combine word by word; bits past `columnCount` stay clear.
// A value type over one array, so copies are cheap until written. Every
// operation is `@inlinable` and inlined: whole-row operations are plain
// word loops that write (and so pay the array's uniqueness check) only
// when something changes — in a dataflow fixed point most visits change
// nothing — and nothing allocates once the matrix exists.
//
// Row iteration visits set columns in increasing order, copying nothing:
// `row(_:)` is a sequence holding the buffer (one retain), `forEach(inRow:)`
// reads it in place (no retain) but its closure may not modify the matrix.

/// Rows of bits, one flat buffer.
public struct BitMatrix: Hashable, Sendable {
    @usableFromInline var storage: [UInt64]
    public let rowCount: Int
    public let columnCount: Int
    /// 64-bit words per row.
    public let wordsPerRow: Int

    @inlinable
    public init(rows: Int, columns: Int) {
        rowCount = Swift.max(rows, 0)
        columnCount = Swift.max(columns, 0)
        wordsPerRow = BitSet.wordCount(columns)
        storage = [UInt64](repeating: 0, count: rowCount * wordsPerRow)
    }

    /// Word index of column `c` in row `r`. (A row out of range needs no
    /// check of its own: its words are outside the array, whose subscript traps.)
    @inlinable @inline(__always)
    func word(_ r: Int, _ c: Int) -> Int {
        precondition(UInt(bitPattern: c) < UInt(bitPattern: columnCount), "bit matrix column out of range")
        return r * wordsPerRow + c &>> 6
    }

    /// Index of row `r`'s first word (see `word`).
    @inlinable @inline(__always)
    func rowStart(_ r: Int) -> Int { r * wordsPerRow }

    // MARK: single bits

    @inlinable @inline(__always)
    public func contains(_ column: Int, inRow r: Int) -> Bool {
        storage[word(r, column)] & BitSet.mask(column) != 0
    }

    /// Sets one bit; returns whether it was clear.
    @discardableResult @inlinable @inline(__always)
    public mutating func insert(_ column: Int, inRow r: Int) -> Bool {
        let w = word(r, column), m = BitSet.mask(column)
        let old = storage[w]
        if old & m != 0 { return false }
        storage[w] = old | m
        return true
    }

    @inlinable @inline(__always)
    public mutating func remove(_ column: Int, inRow r: Int) {
        let w = word(r, column), m = BitSet.mask(column)
        let old = storage[w]
        if old & m != 0 { storage[w] = old & ~m }
    }

    // MARK: whole rows

    /// The set columns of row `r`, in increasing order.
    @inlinable @inline(__always)
    public func row(_ r: Int) -> BitIterator {
        let s = rowStart(r)
        return BitIterator(storage, from: s, to: s &+ wordsPerRow)
    }

    /// Calls `body` with each set column of row `r`, in increasing order.
    @inlinable @inline(__always)
    public func forEach<E: Error>(inRow r: Int, _ body: (Int) throws(E) -> Void) throws(E) {
        let s = rowStart(r)
        for k in 0..<wordsPerRow {
            var bits = storage[s &+ k]
            while bits != 0 {
                try body(k &<< 6 | bits.trailingZeroBitCount)
                bits &= bits &- 1
            }
        }
    }

    /// The smallest set column of row `r`, nil when the row is empty.
    @inlinable @inline(__always)
    public func firstColumn(inRow r: Int) -> Int? {
        let s = rowStart(r)
        for k in 0..<wordsPerRow where storage[s &+ k] != 0 {
            return k &<< 6 | storage[s &+ k].trailingZeroBitCount
        }
        return nil
    }

    /// Row `r` as a set of capacity `columnCount` (a copy).
    public func rowSet(_ r: Int) -> BitSet {
        let s = rowStart(r)
        return BitSet(capacity: columnCount, words: storage[s..<s + wordsPerRow])
    }

    @inlinable @inline(__always)
    public func rowIsEmpty(_ r: Int) -> Bool {
        let s = rowStart(r)
        var any: UInt64 = 0
        for k in 0..<wordsPerRow { any |= storage[s &+ k] }
        return any == 0
    }

    /// Whether row `r` holds exactly the elements of `set` (of capacity `columnCount`).
    @inlinable @inline(__always)
    public func row(_ r: Int, equals set: BitSet) -> Bool {
        let s = rowStart(r)
        precondition(set.storage.count == wordsPerRow, "set and row differ in width")
        for k in 0..<wordsPerRow where storage[s &+ k] != set.storage[k] { return false }
        return true
    }

    /// Clears row `r`.
    @inlinable @inline(__always)
    public mutating func clearRow(_ r: Int) {
        let s = rowStart(r)
        for k in 0..<wordsPerRow where storage[s &+ k] != 0 { storage[s &+ k] = 0 }
    }

    /// Makes row `r` hold exactly the elements of `set` (of capacity `columnCount`).
    @inlinable @inline(__always)
    public mutating func setRow(_ r: Int, to set: BitSet) {
        let s = rowStart(r)
        precondition(set.storage.count == wordsPerRow, "set and row differ in width")
        for k in 0..<wordsPerRow where storage[s &+ k] != set.storage[k] { storage[s &+ k] = set.storage[k] }
    }

    /// Adds the elements of `set` to row `r`; returns whether the row grew.
    @discardableResult @inlinable @inline(__always)
    public mutating func formUnion(row r: Int, with set: BitSet) -> Bool {
        let s = rowStart(r)
        precondition(set.storage.count == wordsPerRow, "set and row differ in width")
        var grew = false
        for k in 0..<wordsPerRow {
            let old = storage[s &+ k], new = old | set.storage[k]
            if new != old { storage[s &+ k] = new; grew = true }
        }
        return grew
    }

    /// Adds row `source` of `other` (same width) to row `r`; returns whether the row grew.
    @discardableResult @inlinable @inline(__always)
    public mutating func formUnion(row r: Int, with other: BitMatrix, row source: Int) -> Bool {
        let s = rowStart(r), t = other.rowStart(source)
        precondition(other.wordsPerRow == wordsPerRow, "rows differ in width")
        var grew = false
        for k in 0..<wordsPerRow {
            let old = storage[s &+ k], new = old | other.storage[t &+ k]
            if new != old { storage[s &+ k] = new; grew = true }
        }
        return grew
    }

    /// Adds row `source` of this matrix to row `r`; returns whether row `r` grew.
    @discardableResult @inlinable @inline(__always)
    public mutating func formUnion(row r: Int, withRow source: Int) -> Bool {
        let s = rowStart(r), t = rowStart(source)
        var grew = false
        for k in 0..<wordsPerRow {
            let old = storage[s &+ k], new = old | storage[t &+ k]
            if new != old { storage[s &+ k] = new; grew = true }
        }
        return grew
    }

    /// The transfer function of a bit-vector dataflow problem:
    /// row `r` := `gen[r]` ∪ (`set` − `kill[r]`). Returns whether row `r` changed.
    /// `gen` and `kill` have this matrix's shape; `set` its row width.
    @discardableResult @inlinable @inline(__always)
    public mutating func setRow(_ r: Int, gen: BitMatrix, plus set: BitSet, minus kill: BitMatrix) -> Bool {
        let s = rowStart(r)
        precondition(set.storage.count == wordsPerRow && gen.wordsPerRow == wordsPerRow
                     && kill.wordsPerRow == wordsPerRow, "dataflow sets differ in shape")
        var changed = false
        for k in 0..<wordsPerRow {
            let new = gen.storage[s &+ k] | (set.storage[k] & ~kill.storage[s &+ k])
            if new != storage[s &+ k] { storage[s &+ k] = new; changed = true }
        }
        return changed
    }

    /// The same transfer function with the set given as row `r` of `out`:
    /// row `r` := `gen[r]` ∪ (`out[r]` − `kill[r]`). Returns whether row `r` changed.
    @discardableResult @inlinable @inline(__always)
    public mutating func setRow(_ r: Int, gen: BitMatrix, plus out: BitMatrix, minus kill: BitMatrix) -> Bool {
        let s = rowStart(r)
        precondition(gen.wordsPerRow == wordsPerRow && out.wordsPerRow == wordsPerRow
                     && kill.wordsPerRow == wordsPerRow, "dataflow sets differ in shape")
        var changed = false
        for k in s..<s &+ wordsPerRow {
            let new = gen.storage[k] | (out.storage[k] & ~kill.storage[k])
            if new != storage[k] { storage[k] = new; changed = true }
        }
        return changed
    }
}

extension BitSet {
    /// Makes this set hold exactly the elements of `other` (same capacity),
    /// reusing its storage (`a = b` would share it and copy on the next change).
    @inlinable @inline(__always)
    public mutating func setTo(_ other: BitSet) {
        precondition(storage.count == other.storage.count, "sets differ in width")
        for k in 0..<storage.count where storage[k] != other.storage[k] { storage[k] = other.storage[k] }
    }

    /// Makes this set (of capacity `m.columnCount`) hold exactly row `r` of `m`.
    @inlinable @inline(__always)
    public mutating func setToRow(_ r: Int, of m: BitMatrix) {
        let s = m.rowStart(r)
        precondition(storage.count == m.wordsPerRow, "set and row differ in width")
        for k in 0..<storage.count where storage[k] != m.storage[s &+ k] { storage[k] = m.storage[s &+ k] }
    }

    /// Adds row `r` of `m` (of width `capacity`); returns whether the set grew.
    @discardableResult @inlinable @inline(__always)
    public mutating func formUnion(row r: Int, of m: BitMatrix) -> Bool {
        let s = m.rowStart(r)
        precondition(storage.count == m.wordsPerRow, "set and row differ in width")
        var grew = false
        for k in 0..<storage.count {
            let old = storage[k], new = old | m.storage[s &+ k]
            if new != old { storage[k] = new; grew = true }
        }
        return grew
    }

    /// Keeps only the elements also in row `r` of `m`.
    @inlinable @inline(__always)
    public mutating func formIntersection(row r: Int, of m: BitMatrix) {
        let s = m.rowStart(r)
        precondition(storage.count == m.wordsPerRow, "set and row differ in width")
        for k in 0..<storage.count {
            let old = storage[k], new = old & m.storage[s &+ k]
            if new != old { storage[k] = new }
        }
    }
}
