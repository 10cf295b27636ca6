@testable import KeelArm64
import Testing

/// The encodability rules of Arm64Immediates.swift, against values the
/// ARM ARM's examples and gas accept or reject.
struct Arm64ImmediateTests {
    @Test func addSubImmediates() {
        for v: Int64 in [0, 1, 4095, 4096, 0xfff000, 8192] { #expect(Arm64Immediate.isAddSub(v), "\(v)") }
        for v: Int64 in [-1, 4097, 0x1000001, 0x1000000, Int64.min] { #expect(!Arm64Immediate.isAddSub(v), "\(v)") }
    }

    @Test func bitmaskImmediates() {
        let good: [(Int64, Bool)] = [(1, true), (0xff, true), (0xff00, true), (-16, true), (0x5555_5555_5555_5555, true),
                                     (0x0f0f_0f0f_0f0f_0f0f, true), (Int64(bitPattern: 0x8000_0000_0000_0001), true),
                                     (0xffff_fff0, false), (0x7fff_ffff, false), (0x0001_0001, false)]
        for (v, wide) in good { #expect(Arm64Immediate.isLogical(v, wide: wide), "\(v) wide \(wide)") }
        let bad: [(Int64, Bool)] = [(0, true), (-1, true), (0xffff_ffff, false), (5, true), (0x1234, true),
                                    (0x0000_0001_0000_0003, true), (0, false)]
        for (v, wide) in bad { #expect(!Arm64Immediate.isLogical(v, wide: wide), "\(v) wide \(wide)") }
    }

    @Test func memoryOffsets() {
        #expect(Arm64Immediate.isScaledOffset(32760, size: 8))
        #expect(!Arm64Immediate.isScaledOffset(32768, size: 8))
        #expect(!Arm64Immediate.isScaledOffset(4, size: 8))
        #expect(Arm64Immediate.isScaledOffset(4095, size: 1))
        #expect(Arm64Immediate.isUnscaledOffset(-256) && !Arm64Immediate.isUnscaledOffset(-257))
    }
}
