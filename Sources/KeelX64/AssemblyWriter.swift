/// A growing byte buffer that assembly text is written into.
///
/// Emission appends many short pieces per line; appending their bytes here
/// avoids building a String per piece (interpolation, small-string appends,
/// and the retain/release and allocation that come with them). Mnemonics are
/// `StaticString`s, register names come from a byte table, and integers are
/// written as decimal digits directly, without an intermediate String.
import KeelCodegen

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
    @inline(__always) mutating func append<T: BinaryInteger>(decimal v: T) {
        if v < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendDigits(UInt64(truncatingIfNeeded: 0 &- Int64(truncatingIfNeeded: v)))
        } else {
            appendDigits(UInt64(truncatingIfNeeded: v))
        }
    }

    /// Writes the digits right to left into a 20-byte stack buffer, then appends them.
    private mutating func appendDigits(_ v: UInt64) {
        if v < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes, enough for 2^64
        withUnsafeMutableBytes(of: &digits) { buffer in
            var n = v
            var i = buffer.count
            while n != 0 {
                i -= 1
                buffer[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: n % 10)
                n /= 10
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[i...]))
        }
    }

    /// The AT&T name of register `r` (with `%`) accessed with `size` bytes;
    /// xmm registers ignore the size.
    @inline(__always) mutating func append(register r: PReg, size: Int = 8) {
        let n = Int(r.number)
        let row: Int
        if n >= 16 {
            row = n < 32 ? 64 + n - 16 : 80
        } else {
            switch size {
            case 1: row = n
            case 2: row = 16 + n
            case 4: row = 32 + n
            default: row = 48 + n
            }
        }
        registerNameTable.withUnsafeBufferPointer { t in
            let start = row * registerNameStride
            let count = Int(t[start])
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: t[start + 1 ..< start + 1 + count]))
        }
    }

    @inline(__always) mutating func newline() { bytes.append(UInt8(ascii: "\n")) }

    static func += (w: inout AssemblyWriter, s: String) { w.append(s) }
}

private let registerNameStride = 8

/// Register names, `registerNameStride` bytes per row (a length byte, then
/// the name): rows 0–15 byte, 16–31 word, 32–47 long, 48–63 quad names of
/// the integer registers, 64–79 xmm0–15, 80 a placeholder for a bad number.
private let registerNameTable: [UInt8] = {
    let names8 = ["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
                  "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"]
    let names16 = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
                   "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"]
    let names32 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                   "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"]
    let names64 = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                   "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"]
    let xmm = (0..<16).map { "xmm\($0)" }
    var table: [UInt8] = []
    for name in names8 + names16 + names32 + names64 + xmm + ["?"] {
        let bytes = Array(("%" + name).utf8)
        table.append(UInt8(bytes.count))
        table += bytes
        table += repeatElement(0, count: registerNameStride - 1 - bytes.count)
    }
    return table
}()
