/// Float-to-integer conversions with every input defined (Swift's
/// `Int32(someDouble)` traps when out of range; a program must never crash
/// the interpreter). Out-of-range and NaN inputs give the x86-64 "integer
/// indefinite" value (only the sign bit set), as `cvttsd2si` does.
enum Convert {
    static func toInt32(_ d: Double) -> UInt64 {
        guard !d.isNaN, d > -2147483649.0, d < 2147483648.0 else { return 0x8000_0000 }
        return UInt64(UInt32(bitPattern: Int32(d)))
    }

    static func toInt64(_ d: Double) -> UInt64 {
        guard !d.isNaN, d >= -9223372036854775808.0, d < 9223372036854775808.0 else { return 1 << 63 }
        return UInt64(bitPattern: Int64(d))
    }

    /// Unsigned 32-bit: the low 32 bits of the signed 64-bit conversion
    /// (what x86-64 compilers emit), so -1.0 gives 0xFFFFFFFF.
    static func toUInt32(_ d: Double) -> UInt64 { toInt64(d) & 0xFFFF_FFFF }

    /// Unsigned 64-bit: exact in [0, 2^64); negative values above -2^63 wrap
    /// as their signed conversion does; everything else gives 2^63.
    static func toUInt64(_ d: Double) -> UInt64 {
        if d.isNaN { return 1 << 63 }
        if d >= 0 && d < 18446744073709551616.0 { return UInt64(d) }
        if d < 0 { return toInt64(d) }
        return 1 << 63
    }
}

@inline(__always) func f32(_ v: UInt64) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: v)) }
@inline(__always) func f64(_ v: UInt64) -> Double { Double(bitPattern: v) }
@inline(__always) func bits(_ f: Float) -> UInt64 { UInt64(f.bitPattern) }
@inline(__always) func bits(_ d: Double) -> UInt64 { d.bitPattern }
@inline(__always) func i32(_ v: UInt64) -> Int32 { Int32(truncatingIfNeeded: v) }
@inline(__always) func u32(_ v: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: v) }
@inline(__always) func i64(_ v: UInt64) -> Int64 { Int64(bitPattern: v) }
/// A `w` result: its 32 bits, zero-extended in the 64-bit register.
@inline(__always) func w(_ v: Int32) -> UInt64 { UInt64(UInt32(bitPattern: v)) }
@inline(__always) func w(_ v: UInt32) -> UInt64 { UInt64(v) }
@inline(__always) func flag(_ b: Bool) -> UInt64 { b ? 1 : 0 }
