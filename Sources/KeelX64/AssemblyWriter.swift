/// A growing byte buffer that assembly text is written into.
///
/// Emission appends many short pieces per line; appending their bytes here
/// avoids building a String per piece (interpolation, small-string appends,
/// and the retain/release and allocation that come with them). Integers are
/// written as decimal digits directly, without an intermediate String.
struct AssemblyWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// The text written so far (for tests and String-returning APIs).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always) mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always) mutating func append(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    @inline(__always) mutating func append(byte: UInt8) { bytes.append(byte) }

    mutating func append(_ w: AssemblyWriter) { bytes.append(contentsOf: w.bytes) }

    /// `v` in decimal, with a leading `-` when negative.
    mutating func append<T: BinaryInteger>(decimal v: T) {
        if v < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendDigits(UInt64(truncatingIfNeeded: 0 &- Int64(truncatingIfNeeded: v)))
        } else {
            appendDigits(UInt64(truncatingIfNeeded: v))
        }
    }

    /// Counts the digits, reserves them at the end, then fills them right to left.
    private mutating func appendDigits(_ v: UInt64) {
        var count = 1
        var t = v
        while t >= 10 { t /= 10; count += 1 }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var n = v
        var i = start + count - 1
        while n >= 10 {
            bytes[i] = UInt8(ascii: "0") + UInt8(n % 10)
            n /= 10
            i -= 1
        }
        bytes[i] = UInt8(ascii: "0") + UInt8(n)
    }

    @inline(__always) mutating func newline() { bytes.append(UInt8(ascii: "\n")) }

    static func += (w: inout AssemblyWriter, s: String) { w.append(s) }
}
