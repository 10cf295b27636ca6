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
    private var slots: [Int32]
    private var entries: [Entry] = []

    init(capacity: Int = 64) {
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        slots = Array(repeating: -1, count: c)
    }

    var count: Int { entries.count }

    /// The value stored for the name `buf[start..<end]`, or `nil`.
    @inline(__always)
    func lookup(hash: UInt32, start: Int, end: Int, in buf: UnsafeBufferPointer<UInt8>) -> Int32? {
        let mask = slots.count - 1
        var i = Int(hash) & mask
        let length = end - start
        while true {
            let e = Int(slots[i])
            if e < 0 { return nil }
            let entry = entries[e]
            if entry.hash == hash && entry.length == length {
                let s = entry.start
                var k = 0
                while k < length && buf[s + k] == buf[start + k] { k += 1 }
                if k == length { return entry.value }
            }
            i = (i + 1) & mask
        }
    }

    /// Records `value` for a name known to be absent.
    mutating func insert(hash: UInt32, start: Int, end: Int, value: Int32) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var i = Int(hash) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = Int32(entries.count)
        entries.append(Entry(start: start, length: end - start, hash: hash,
                             value: value, slot: Int32(i)))
    }

    mutating func reset() {
        for entry in entries { slots[Int(entry.slot)] = -1 }
        entries.removeAll(keepingCapacity: true)
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for e in entries.indices {
            var i = Int(entries[e].hash) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(e)
            entries[e].slot = Int32(i)
        }
    }
}
