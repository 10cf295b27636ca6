// Which constants arm64 instructions can encode directly (ARM ARM C6.2):
// add/sub take a 12-bit unsigned immediate, optionally shifted left by 12;
// and/orr/eor take a "bitmask immediate": a 2-, 4-, …, 64-bit element,
// repeated across the register, that is a rotated run of ones (never all
// zeros or all ones). Everything else goes through a register.
enum Arm64Immediate {
    /// `v` as an add/sub immediate (possibly `lsl #12`).
    static func isAddSub(_ v: Int64) -> Bool {
        v >= 0 && (v < 4096 || (v & 0xfff == 0 && v < 4096 << 12))
    }

    /// `v` (its low 32 bits when not `wide`) as a bitmask immediate.
    static func isLogical(_ v: Int64, wide: Bool) -> Bool {
        let width = wide ? 64 : 32
        var bits = UInt64(bitPattern: v)
        if !wide { bits &= 0xffff_ffff }
        let all: UInt64 = wide ? ~0 : 0xffff_ffff
        if bits == 0 || bits == all { return false }
        // The smallest element size whose repetition gives `bits`.
        var size = width
        while size > 2 {
            let half = size / 2
            let mask: UInt64 = (1 << UInt64(half)) - 1
            if (bits & mask) != ((bits >> UInt64(half)) & mask) { break }
            size = half
        }
        let mask: UInt64 = size == 64 ? ~0 : (1 << UInt64(size)) - 1
        let element = bits & mask
        // A rotated run of ones has exactly two places where neighbouring bits differ (cyclically).
        let rotated = ((element >> 1) | ((element & 1) << UInt64(size - 1))) & mask
        return (element ^ rotated).nonzeroBitCount == 2
    }

    /// Whether `offset` fits the scaled unsigned 12-bit offset of an access of `size` bytes.
    static func isScaledOffset(_ offset: Int64, size: Int) -> Bool {
        offset >= 0 && offset % Int64(size) == 0 && offset / Int64(size) < 4096
    }

    /// Whether `offset` fits the signed 9-bit unscaled offset of `ldur`/`stur`.
    static func isUnscaledOffset(_ offset: Int64) -> Bool { offset >= -256 && offset < 256 }
}
