/// The interpreter's byte-addressed memory: a table of regions, each a
/// separate byte array, addressed through a fake 64-bit pointer encoding.
///
/// Contract:
/// - A pointer is `region << 32 | (0x10000 + offset)`. Region 0 is never
///   allocated, so null and every small integer (< 2^32) are invalid
///   addresses. A region's bytes start at a 64 KiB-aligned address, so any
///   alignment a program asks for (data `align`, `alloc16`, masking a
///   pointer) is satisfied; and the low 32 bits of a valid pointer are never
///   zero, so a pointer used as a `w` (e.g. `jnz %p`) is non-zero, as with
///   real addresses. Stepping below a region's start is caught as offset < 0.
/// - Pointers are plain integers: programs may add, subtract, compare and
///   store them. An access is valid only if it falls entirely inside a live
///   region; otherwise `describeFault` explains why (null, out of bounds,
///   freed heap block, alloc slot of a returned function, code address).
/// - Region numbers are never reused, so a dangling pointer is always caught.
///   Freed regions drop their bytes; only a small header remains.
/// - Little-endian, as on every target Keel supports.
struct Memory {
    enum Kind: UInt8 {
        case data, alloc, heap, function, external, varargs, argv
        /// A garbage-collected object from `keel_alloc` or `keel_handle_new`
        /// (see `ManagedHeap`): never freed, never moved.
        case object
    }

    struct Region {
        var bytes: [UInt8]
        var kind: Kind
        var alive: Bool
        /// Data, function, external: the symbol's name index; alloc and
        /// varargs: index of the owning function; otherwise unused.
        var owner: Int32
        /// Size when allocated (kept after freeing, for messages).
        var size: Int
    }

    static let offsetBits: UInt64 = 32
    static let offsetMask: UInt64 = (1 << 32) - 1
    static let baseOffset = 0x10000
    /// Largest single region; larger `malloc` requests return null.
    static let maxRegionSize = 1 << 31

    var regions: [Region] = [Region(bytes: [], kind: .data, alive: false, owner: -1, size: 0)]

    @inline(__always) static func address(region: Int, offset: Int) -> UInt64 {
        UInt64(region) << offsetBits | UInt64(baseOffset + offset)
    }

    @inline(__always) static func region(of address: UInt64) -> Int { Int(truncatingIfNeeded: address >> offsetBits) }
    /// Offset from the region's first byte; negative below it.
    @inline(__always) static func offset(of address: UInt64) -> Int { Int(address & offsetMask) - baseOffset }

    /// Adds a region and returns its base address.
    mutating func allocate(size: Int, kind: Kind, owner: Int32, alive: Bool = true) -> UInt64 {
        regions.append(Region(bytes: [UInt8](repeating: 0, count: size), kind: kind, alive: alive,
                              owner: owner, size: size))
        return Memory.address(region: regions.count - 1, offset: 0)
    }

    mutating func release(region r: Int) {
        regions[r].alive = false
        regions[r].bytes = []
    }

    /// The region index if `[address, address+width)` is inside a live region.
    @inline(__always) func check(_ address: UInt64, _ width: Int) -> Int? {
        let r = Memory.region(of: address)
        let off = Memory.offset(of: address)
        guard r > 0, r < regions.count, off >= 0 else { return nil }
        // A freed region has no bytes, so the bounds test also rejects it.
        guard off + width <= regions[r].bytes.count else { return nil }
        return r
    }

    @inline(__always) func load(_ address: UInt64, width: Int) -> UInt64? {
        guard let r = check(address, width) else { return nil }
        let off = Memory.offset(of: address)
        return regions[r].bytes.withUnsafeBytes { p -> UInt64 in
            switch width {
            case 1: return UInt64(p[off])
            case 2: return UInt64(p.loadUnaligned(fromByteOffset: off, as: UInt16.self))
            case 4: return UInt64(p.loadUnaligned(fromByteOffset: off, as: UInt32.self))
            default: return p.loadUnaligned(fromByteOffset: off, as: UInt64.self)
            }
        }
    }

    @inline(__always) mutating func store(_ address: UInt64, width: Int, value: UInt64) -> Bool {
        guard let r = check(address, width) else { return false }
        let off = Memory.offset(of: address)
        regions[r].bytes.withUnsafeMutableBytes { p in
            switch width {
            case 1: p[off] = UInt8(truncatingIfNeeded: value)
            case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: value), toByteOffset: off, as: UInt16.self)
            case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: value), toByteOffset: off, as: UInt32.self)
            default: p.storeBytes(of: value, toByteOffset: off, as: UInt64.self)
            }
        }
        return true
    }

    /// Reads `count` bytes, or nil if the range is not inside one live region.
    func read(_ address: UInt64, count: Int) -> [UInt8]? {
        if count == 0 { return [] }
        guard count > 0, let r = check(address, count) else { return nil }
        let off = Memory.offset(of: address)
        return Array(regions[r].bytes[off..<off + count])
    }

    mutating func write(_ address: UInt64, bytes: [UInt8]) -> Bool {
        if bytes.isEmpty { return true }
        guard let r = check(address, bytes.count) else { return false }
        let off = Memory.offset(of: address)
        regions[r].bytes.replaceSubrange(off..<off + bytes.count, with: bytes)
        return true
    }

    /// The bytes of a NUL-terminated string (without the NUL), or nil if it
    /// runs off its region before a NUL. `limit` caps how many bytes are read.
    func cString(_ address: UInt64, limit: Int = Int.max) -> [UInt8]? {
        let r = Memory.region(of: address)
        let off = Memory.offset(of: address)
        guard r > 0, r < regions.count, off >= 0 else { return nil }
        let bytes = regions[r].bytes
        var end = off
        while end < bytes.count, end - off < limit, bytes[end] != 0 { end += 1 }
        if end - off < limit && end >= bytes.count { return nil }
        return Array(bytes[off..<end])
    }

    /// Why an access of `width` bytes at `address` is invalid, in words.
    /// `names` gives symbol names, `functions` function names by index.
    func describeFault(_ address: UInt64, width: Int, access: String,
                       symbolName: (Int32) -> String, functionName: (Int32) -> String) -> String {
        let what = "\(access) of \(width) byte\(width == 1 ? "" : "s") at \(hex(address))"
        let r = Memory.region(of: address)
        let off = Memory.offset(of: address)
        if r == 0 {
            return address == 0 ? "\(what): null pointer dereference"
                                : "\(what): not a valid address (null page)"
        }
        guard r > 0, r < regions.count else { return "\(what): not a valid address" }
        let region = regions[r]
        let name: String
        switch region.kind {
        case .data: name = "data $\(symbolName(region.owner)) of \(region.size) bytes"
        case .alloc: name = "alloc slot of \(region.size) bytes in $\(functionName(region.owner))"
        case .heap: name = "heap block of \(region.size) bytes"
        case .varargs: name = "variadic argument area of $\(functionName(region.owner))"
        case .argv: name = "argument vector"
        case .object: name = "GC object of \(region.size) bytes"
        case .function: return "\(what): address of function $\(symbolName(region.owner)) is code, not data"
        case .external:
            return "\(what): $\(symbolName(region.owner)) is an undefined external symbol, its memory cannot be accessed"
        }
        if !region.alive {
            switch region.kind {
            case .alloc: return "\(what): \(name) used after its function returned"
            case .heap: return "\(what): \(name) used after free"
            default: return "\(what): \(name) used after it was released"
            }
        }
        return "\(what) is out of bounds of \(name) (offset \(off))"
    }
}

func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
