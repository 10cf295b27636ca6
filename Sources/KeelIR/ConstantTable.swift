/// An interning table from constants to their operand in the function being
/// parsed, used by the IL parser in place of a `Dictionary`.
///
/// Contract: `lookup` finds what `insert` stored since the last `reset`.
/// Open addressing with linear probing, kept at most half full; the hash is a
/// cheap mix of the constant's fields (SplitMix64's finalizer) instead of
/// `Hasher`'s SipHash: a file crafted to collide only makes parsing slower.
/// `reset()` costs O(entries), not O(capacity), so one table serves many
/// small functions after a large one.
struct ConstantTable {
    private struct Entry {
        var key: Constant
        var value: Ref
        var slot: Int32
    }
    private var slots: [Int32]
    private var entries: [Entry] = []

    init(capacity: Int = 64) {
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        slots = Array(repeating: -1, count: c)
    }

    @inline(__always)
    private static func hash(_ c: Constant) -> Int {
        var x: UInt64
        switch c {
        case .integer(let v): x = UInt64(bitPattern: v)
        case .single(let b): x = UInt64(b) ^ 0x5555_0000_0000_0000
        case .double(let b): x = b ^ 0x3333_3333_3333_3333
        case .symbol(let s, let offset, let access):
            x = UInt64(truncatingIfNeeded: s.int) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: offset) &+ UInt64(access.rawValue)
        }
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: x ^ (x >> 31))
    }

    /// The operand stored for `c`, or `nil`.
    @inline(__always)
    func lookup(_ c: Constant) -> Ref? {
        let mask = slots.count - 1
        var i = Self.hash(c) & mask
        while true {
            let e = Int(slots[i])
            if e < 0 { return nil }
            if entries[e].key == c { return entries[e].value }
            i = (i + 1) & mask
        }
    }

    /// Records `value` for a constant known to be absent.
    mutating func insert(_ c: Constant, _ value: Ref) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var i = Self.hash(c) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = Int32(entries.count)
        entries.append(Entry(key: c, value: value, slot: Int32(i)))
    }

    mutating func reset() {
        for entry in entries { slots[Int(entry.slot)] = -1 }
        entries.removeAll(keepingCapacity: true)
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for e in entries.indices {
            var i = Self.hash(entries[e].key) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(e)
            entries[e].slot = Int32(i)
        }
    }
}
