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
    private var slots: ProbedSlots
    private var entries: [Entry] = []

    init(capacity: Int = 64) { slots = ProbedSlots(capacity: capacity) }

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
        slots.find(hash: Self.hash(c)) { entries[$0].key == c }.map { entries[$0].value }
    }

    /// Records `value` for a constant known to be absent.
    mutating func insert(_ c: Constant, _ value: Ref) {
        if slots.isFull(count: entries.count) {
            slots.grow(count: entries.count, hashOf: { Self.hash(entries[$0].key) }, moved: { entries[$0].slot = $1 })
        }
        let slot = slots.place(entry: entries.count, hash: Self.hash(c))
        entries.append(Entry(key: c, value: value, slot: slot))
    }

    mutating func reset() {
        for entry in entries { slots.clear(slot: entry.slot) }
        entries.removeAll(keepingCapacity: true)
    }
}
