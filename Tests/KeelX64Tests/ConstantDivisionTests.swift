import KeelCodegen
import KeelIR
import KeelRandom
import Testing
@testable import KeelX64

// Division by a constant without `div`: the plan's arithmetic, carried out
// here exactly as the selected instructions do it, must give the quotient of
// every dividend; and the selection must use no divide where a plan exists.
@Suite struct ConstantDivisionTests {
    /// The quotient the plan computes for the N-bit pattern `x`, as the machine code does.
    static func quotient(_ plan: DivisionPlan, _ x: UInt64, bits: Int, signed: Bool) -> UInt64 {
        let mask: UInt64 = bits == 64 ? .max : (1 << bits) - 1
        let sx: Int64 = bits == 64 ? Int64(bitPattern: x) : Int64(Int32(truncatingIfNeeded: x))
        let signBit: Int64 = sx < 0 ? -1 : 0
        switch plan {
        case .identity:
            return x & mask
        case .shift(let k):
            if !signed { return (x & mask) >> k }
            let bias = Int64(UInt64(bitPattern: signBit) & mask >> (bits - k))
            return UInt64(bitPattern: (sx + bias) >> k) & mask
        case .widened(let m, let s):
            if !signed { return ((x & mask) &* m) >> s }
            return UInt64(bitPattern: (sx &* Int64(m)) >> s &- signBit) & mask
        case .high(let m, let s, let plus):
            if !signed {
                let wide = x & mask
                let t = UInt64((UInt128(wide) * UInt128(m)) >> 64)
                if plus { return ((wide &- t) >> 1 &+ t) >> (s - 65) }
                return t >> (s - 64)
            }
            var t = Int64((Int128(sx) * Int128(Int64(bitPattern: m))) >> 64)
            if plus { t = t &+ sx }
            return UInt64(bitPattern: (t >> (s - 64)) &- signBit) & mask
        }
    }

    static func dividends(bits: Int, _ rng: inout SplitMix64) -> [UInt64] {
        let mask: UInt64 = bits == 64 ? .max : (1 << bits) - 1
        var xs: [UInt64] = [0, 1, 2, 3, 7, 8, 9, 100, 999, 1000, 1001]
        let top = UInt64(1) << (bits - 1)
        xs += [top - 1, top, top + 1, mask, mask - 1, mask - 6]
        for _ in 0..<200 { xs.append(rng.next() & mask >> (rng.next() % UInt64(bits))) }
        return xs.map { $0 & mask }
    }

    static func divisors(bits: Int, _ rng: inout SplitMix64) -> [UInt64] {
        var ds: [UInt64] = Array(1...70) + [100, 641, 1000, 4096, 65537, 1_000_000_007, 0x7fff_ffff]
        for _ in 0..<150 { ds.append(rng.next() >> (rng.next() % UInt64(64 - bits + 62) + UInt64(64 - bits) + 1) | 1) }
        let limit = UInt64(1) << (bits - 1)
        return ds.filter { $0 > 0 && $0 < limit }
    }

    @Test(arguments: [32, 64])
    func unsignedPlansGiveEveryQuotient(bits: Int) throws {
        var rng = SplitMix64(seed: UInt64(bits))
        let xs = Self.dividends(bits: bits, &rng)
        for d in Self.divisors(bits: bits, &rng) {
            let plan = try #require(DivisionPlan(unsignedBy: d, bits: bits), "no plan for \(d)")
            for x in xs {
                let got = Self.quotient(plan, x, bits: bits, signed: false)
                #expect(got == x / d, "\(bits)-bit \(x) / \(d) with \(plan): \(got)")
            }
        }
    }

    @Test(arguments: [32, 64])
    func signedPlansGiveEveryQuotient(bits: Int) throws {
        var rng = SplitMix64(seed: UInt64(bits) + 1)
        let xs = Self.dividends(bits: bits, &rng)
        let mask: UInt64 = bits == 64 ? .max : (1 << bits) - 1
        for d in Self.divisors(bits: bits, &rng) {
            let plan = try #require(DivisionPlan(signedBy: d, bits: bits), "no plan for \(d)")
            for x in xs {
                let sx = bits == 64 ? Int64(bitPattern: x) : Int64(Int32(truncatingIfNeeded: x))
                let want = UInt64(bitPattern: sx / Int64(d)) & mask
                let got = Self.quotient(plan, x, bits: bits, signed: true)
                #expect(got == want, "\(bits)-bit \(sx) / \(d) with \(plan): \(got)")
            }
        }
    }

    /// Which divisions keep the hardware divide.
    @Test func divisorsLeftToDivide() {
        #expect(DivisionPlan(unsignedBy: 3_000_000_000, bits: 32) == nil)
        #expect(DivisionPlan(unsignedBy: 1 << 31, bits: 32) == .shift(31))
        #expect(DivisionPlan(unsignedBy: 7, bits: 64) != nil)
        #expect(DivisionPlan(signedBy: 1_000_000_007, bits: 64) != nil)
    }

    func divides(_ op: String, _ cls: String, _ divisor: String) throws -> Bool {
        let text = "export function \(cls) $f(\(cls) %x) {\n@s\n\t%r =\(cls) \(op) %x, \(divisor)\n\tret %r\n}\n"
        return try MachineFormTests().lines(text).contains { $0.hasPrefix("div") || $0.hasPrefix("idiv") }
    }

    @Test func selectionUsesNoDivideWhereAPlanExists() throws {
        for op in ["div", "rem", "udiv", "urem"] {
            for (cls, d) in [("w", "7"), ("w", "16"), ("l", "7"), ("l", "1000000007"), ("l", "4294967296")] {
                #expect(try !divides(op, cls, d), "\(cls) \(op) by \(d) divides")
            }
            // Negative divisors are signed ones (unsigned, they are at least 2^(N−1)).
            if !op.hasPrefix("u") {
                for (cls, d) in [("w", "-1000"), ("l", "-3"), ("l", "-1000000007")] {
                    #expect(try !divides(op, cls, d), "\(cls) \(op) by \(d) divides")
                }
            }
            // Left to the hardware: by 0 and −1 (whose traps are the program's), and by a register.
            #expect(try divides(op, "w", "0"))
            #expect(try divides(op, "l", "%x"))
        }
        #expect(try divides("div", "w", "-1"))
        #expect(try divides("urem", "w", "3000000000"))
    }
}
