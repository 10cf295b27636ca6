/// An interning table from names written in a source buffer to small integers,
/// used by the IL parser for temporaries, labels and symbols.
///
/// Keys are byte ranges of the buffer being parsed (with their precomputed
/// FNV-1a hash), so looking a name up allocates nothing; a `String` is made
/// only the first time a name is seen, by the caller. Open addressing with
/// linear probing, kept at most half full. `reset()` costs O(entries), not
/// O(capacity), so one table serves many small functions after a large one.
struct NameTable {
    private var slots: [Int32]
    private var hashes: [UInt32] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var values: [Int32] = []
    private var slotOf: [Int32] = []

    init(capacity: Int = 64) {
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        slots = Array(repeating: -1, count: c)
    }

    var count: Int { values.count }

    /// The value stored for the name `buf[start..<end]`, or `nil`.
    @inline(__always)
    func lookup(hash: UInt32, start: Int, end: Int, in buf: UnsafeBufferPointer<UInt8>) -> Int32? {
        let mask = slots.count - 1
        var i = Int(hash) & mask
        let length = end - start
        while true {
            let e = Int(slots[i])
            if e < 0 { return nil }
            if hashes[e] == hash && lengths[e] == length {
                let s = starts[e]
                var k = 0
                while k < length && buf[s + k] == buf[start + k] { k += 1 }
                if k == length { return values[e] }
            }
            i = (i + 1) & mask
        }
    }

    /// Records `value` for a name known to be absent.
    mutating func insert(hash: UInt32, start: Int, end: Int, value: Int32) {
        if (values.count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var i = Int(hash) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = Int32(values.count)
        slotOf.append(Int32(i))
        hashes.append(hash)
        starts.append(start)
        lengths.append(end - start)
        values.append(value)
    }

    mutating func reset() {
        for s in slotOf { slots[Int(s)] = -1 }
        slotOf.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for e in 0..<values.count {
            var i = Int(hashes[e]) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(e)
            slotOf[e] = Int32(i)
        }
    }
}
