/// How a symbol operand is reached at run time.
public enum SymbolAccess: UInt8, Hashable, Sendable {
    /// `$name`: a link-time constant address.
    case direct
    /// `thread $name`: an address in thread-local storage.
    case thread
    /// `extern $name`: through the global offset table.
    case external
    /// `extern thread $name`: initial-exec thread-local.
    case externalThread
}

/// A constant operand. Constants are untyped 64-bit blobs in the IL; the
/// float forms remember that they were written `s_`/`d_` so printing keeps them
/// readable. Floats are stored as bits so equality is bitwise (NaN == NaN).
public enum Constant: Hashable, Sendable {
    case integer(Int64)
    case single(bits: UInt32)
    case double(bits: UInt64)
    case symbol(SymbolID, offset: Int64, access: SymbolAccess)

    public static func single(_ f: Float) -> Constant { .single(bits: f.bitPattern) }
    public static func double(_ d: Double) -> Constant { .double(bits: d.bitPattern) }

    /// The 64 bits a numeric constant stands for (symbols have none until link time).
    public var bits: UInt64? {
        switch self {
        case .integer(let v): return UInt64(bitPattern: v)
        case .single(let b): return UInt64(b)
        case .double(let b): return b
        case .symbol: return nil
        }
    }
}
