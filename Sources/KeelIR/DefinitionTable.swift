/// The current definition of each (block, variable) pair: an open-addressing
/// hash table with linear probing and a multiplicative hash.
///
/// It replaces `[UInt64: Ref]` in the SSA resolver's hottest path: the
/// standard dictionary's seeded SipHash costs more than the rest of a lookup.
/// Entries are never removed.
struct DefinitionTable {
    private static let empty = UInt64.max
    private var keys: [UInt64]
    private var values: [Ref]
    private var count = 0
    private var mask: Int

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: DefinitionTable.empty, count: size)
        values = Array(repeating: .none, count: size)
        mask = size - 1
    }

    @inline(__always)
    static func key(_ b: BlockID, _ v: Int) -> UInt64 {
        UInt64(b.index) << 32 | UInt64(UInt32(truncatingIfNeeded: v))
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        // Fibonacci hashing: the high bits of the product are well mixed.
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    subscript(key: UInt64) -> Ref? {
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return values[i] }
            if k == DefinitionTable.empty { return nil }
            i = (i + 1) & mask
        }
    }

    mutating func set(_ key: UInt64, _ value: Ref) {
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key {
                values[i] = value
                return
            }
            if k == DefinitionTable.empty { break }
            i = (i + 1) & mask
        }
        keys[i] = key
        values[i] = value
        count += 1
        if count * 2 > keys.count { grow() }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: DefinitionTable.empty, count: oldKeys.count * 2)
        values = Array(repeating: .none, count: oldKeys.count * 2)
        mask = keys.count - 1
        for (k, v) in zip(oldKeys, oldValues) where k != DefinitionTable.empty {
            var i = slot(k)
            while keys[i] != DefinitionTable.empty { i = (i + 1) & mask }
            keys[i] = k
            values[i] = v
        }
    }
}
