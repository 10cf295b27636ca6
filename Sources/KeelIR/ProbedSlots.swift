/// The slot array shared by the parser's interning tables (NameTable,
/// ConstantTable): open addressing with linear probing, kept at most half
/// full. Each slot holds the index of an entry in the owner's entry array, or
/// -1. The owner keeps its entries and their hashes and remembers each
/// entry's slot, so `clear(slot:)` over the used entries empties the table in
/// O(entries), not O(capacity): one table serves many small functions after a
/// large one.
struct ProbedSlots {
    private var slots: [Int32]

    init(capacity: Int) {
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        slots = Array(repeating: -1, count: c)
    }

    /// The index of the first entry on `hash`'s probe sequence for which
    /// `matches` holds, or nil when an empty slot comes first.
    @inline(__always)
    func find(hash: Int, where matches: (Int) -> Bool) -> Int? {
        let mask = slots.count - 1
        var i = hash & mask
        while true {
            let e = Int(slots[i])
            if e < 0 { return nil }
            if matches(e) { return e }
            i = (i + 1) & mask
        }
    }

    /// Whether a table of `count` entries must `grow` before one more insertion.
    @inline(__always)
    func isFull(count: Int) -> Bool { (count + 1) * 2 > slots.count }

    /// Places entry `entry` at the first free slot of `hash`'s probe sequence; returns that slot.
    @inline(__always)
    mutating func place(entry: Int, hash: Int) -> Int32 {
        let mask = slots.count - 1
        var i = hash & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = Int32(entry)
        return Int32(i)
    }

    mutating func clear(slot: Int32) { slots[Int(slot)] = -1 }

    /// Doubles the capacity and re-places entries 0..<count, whose hashes
    /// `hashOf` gives; `moved(entry, slot)` tells the owner each new slot.
    mutating func grow(count: Int, hashOf: (Int) -> Int, moved: (Int, Int32) -> Void) {
        slots = Array(repeating: -1, count: slots.count * 2)
        for e in 0..<count { moved(e, place(entry: e, hash: hashOf(e))) }
    }
}
