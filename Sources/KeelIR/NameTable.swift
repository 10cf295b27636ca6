/// An interning table from names written in a source buffer to small integers,
/// used by the IL parser for temporaries, labels and symbols.
///
/// Keys are byte ranges of the buffer being parsed (with their precomputed
/// FNV-1a hash), so looking a name up allocates nothing; a `String` is made
/// only the first time a name is seen, by the caller. Open addressing with
/// linear probing, kept at most half full. `reset()` costs O(entries), not
/// O(capacity), so one table serves many small functions after a large one.
struct NameTable {
    /// One name: where it is in the buffer, its hash, its value and its slot.
    /// Kept in one array so an insertion is a single append.
    private struct Entry {
        var start: Int
        var length: Int
        var hash: UInt32
        var value: Int32
        var slot: Int32
    }
    private var slots: ProbedSlots
    private var entries: [Entry] = []

    init(capacity: Int = 64) { slots = ProbedSlots(capacity: capacity) }

    var count: Int { entries.count }

    /// The value stored for the name `buf[start..<end]`, or `nil`.
    @inline(__always)
    func lookup(hash: UInt32, start: Int, end: Int, in buf: UnsafeBufferPointer<UInt8>) -> Int32? {
        let length = end - start
        let found = slots.find(hash: Int(hash)) { e in
            let entry = entries[e]
            guard entry.hash == hash && entry.length == length else { return false }
            let s = entry.start
            var k = 0
            while k < length && buf[s + k] == buf[start + k] { k += 1 }
            return k == length
        }
        return found.map { entries[$0].value }
    }

    /// Records `value` for a name known to be absent.
    mutating func insert(hash: UInt32, start: Int, end: Int, value: Int32) {
        if slots.isFull(count: entries.count) {
            slots.grow(count: entries.count, hashOf: { Int(entries[$0].hash) }, moved: { entries[$0].slot = $1 })
        }
        let slot = slots.place(entry: entries.count, hash: Int(hash))
        entries.append(Entry(start: start, length: end - start, hash: hash, value: value, slot: slot))
    }

    mutating func reset() {
        for entry in entries { slots.clear(slot: entry.slot) }
        entries.removeAll(keepingCapacity: true)
    }
}
