/// SplitMix64 (Steele, Lea, Flood 2014): a tiny deterministic generator, so
/// every randomized test, generated program and input mutation reproduces
/// from its seed. Its own target so that the fuzzer (shipped in keel) and the
/// tests (through KeelTestSupport) share it without the fuzzer depending on
/// test support.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform-enough number in 0..<n (n > 0).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// True with probability `percent`/100.
    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// The seed of the `index`-th item of a campaign started at `seed`.
    public static func derive(_ seed: UInt64, _ index: Int) -> UInt64 {
        var r = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        return r.next()
    }
}
