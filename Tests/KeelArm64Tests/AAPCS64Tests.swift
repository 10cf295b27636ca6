import KeelCodegen
import KeelIR
@testable import KeelArm64
import Testing

/// Where AAPCS64 (Linux) puts arguments: each class counts its own
/// registers, the rest take 8-byte stack slots in order; aggregates as
/// HFAs, integer parts, stack blocks or references.
struct AAPCS64Tests {
    static func abi(_ types: [AggregateType] = []) -> Arm64ModuleABI {
        var m = Module()
        m.types = types
        return Arm64ModuleABI(module: m)
    }

    static func type(_ fields: [ExtType], size: Int, align: Int) -> AggregateType {
        AggregateType(name: "t", explicitAlignment: nil, layout: .fields([fields.map { AggregateField(.scalar($0)) }]),
                      size: size, alignment: align)
    }

    @Test func classesCountTheirOwnRegisters() {
        let types: [ABIType] = [.base(.w), .base(.d), .base(.l), .base(.s), .sb]
        let a = AAPCS64.assign(types, returning: .base(.d), abi: Self.abi())
        #expect(a.arguments == [.register(Arm64Reg.x(0)), .register(Arm64Reg.v(0)), .register(Arm64Reg.x(1)),
                                .register(Arm64Reg.v(1)), .register(Arm64Reg.x(2))])
        #expect(a.stackSize == 0)
        #expect(a.returnLocation == .register(Arm64Reg.v(0)))
    }

    @Test func ninthIntegerGoesToTheStackWhileFloatsKeepRegisters() {
        let types: [ABIType] = Array(repeating: .base(.l), count: 10) + [.base(.d)]
        let a = AAPCS64.assign(types, returning: nil, abi: Self.abi())
        #expect(a.arguments[8] == .stack(0))
        #expect(a.arguments[9] == .stack(8))
        #expect(a.arguments[10] == .register(Arm64Reg.v(0)))
        #expect(a.stackSize == 16)
    }

    @Test func aggregatesByClass() {
        let abi = Self.abi([Self.type([.s, .s, .s], size: 12, align: 4),   // HFA
                            Self.type([.w, .w, .w], size: 12, align: 4),   // two x registers
                            Self.type([.l, .l, .l], size: 24, align: 8),   // by reference
                            Self.type([.d, .w], size: 16, align: 8)])      // mixed: integer
        let a = AAPCS64.assign([.aggregate(TypeID(0)), .aggregate(TypeID(1)), .aggregate(TypeID(2)), .aggregate(TypeID(3))],
                               returning: .aggregate(TypeID(2)), abi: abi)
        guard case .parts(let hfa) = a.arguments[0], case .parts(let ints) = a.arguments[1],
              case .parts(let mixed) = a.arguments[3] else {
            Issue.record("not in registers: \(a.arguments)")
            return
        }
        #expect(hfa.map(\.register) == [Arm64Reg.v(0), Arm64Reg.v(1), Arm64Reg.v(2)] && hfa.map(\.offset) == [0, 4, 8])
        #expect(ints.map(\.register) == [Arm64Reg.x(0), Arm64Reg.x(1)] && ints.map(\.size) == [8, 4])
        #expect(a.arguments[2] == .reference(.register(Arm64Reg.x(2))))
        #expect(mixed.map(\.register) == [Arm64Reg.x(3), Arm64Reg.x(4)])
        #expect(a.returnLocation == .memory)
    }

    @Test func threeDoublesAreAnHFANotAReference() {
        let abi = Self.abi([Self.type([.d, .d, .d], size: 24, align: 8)])
        let a = AAPCS64.assign([.aggregate(TypeID(0))], returning: .aggregate(TypeID(0)), abi: abi)
        #expect(a.arguments[0] == .parts((0..<3).map { Arm64Part(register: Arm64Reg.v($0), offset: 8 * $0, type: .d, size: 8) }))
        #expect(a.returnLocation == .parts((0..<3).map { Arm64Part(register: Arm64Reg.v($0), offset: 8 * $0, type: .d, size: 8) }))
    }

    @Test func anHFAThatDoesNotFitClosesTheFloatRegisters() {
        let abi = Self.abi([Self.type([.d, .d], size: 16, align: 8)])
        let a = AAPCS64.assign(Array(repeating: .aggregate(TypeID(0)), count: 5) + [.base(.d)], returning: nil, abi: abi)
        #expect(a.arguments[4] == .stackBlock(offset: 0, size: 16))
        #expect(a.arguments[5] == .stack(16))  // NSRN is 8 after the HFA went to the stack
        #expect(a.stackSize == 32)
    }
}
