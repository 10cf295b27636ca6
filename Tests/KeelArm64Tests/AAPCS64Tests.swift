import KeelCodegen
import KeelIR
@testable import KeelArm64
import Testing

/// Where AAPCS64 (Linux) puts scalar arguments: each class counts its own
/// registers, the rest take 8-byte stack slots in order.
struct AAPCS64Tests {
    @Test func classesCountTheirOwnRegisters() throws {
        let types: [ABIType] = [.base(.w), .base(.d), .base(.l), .base(.s), .sb]
        let a = try AAPCS64.assign(types, position: .unknown, what: "arguments").get()
        #expect(a.arguments == [.register(Arm64Reg.x(0)), .register(Arm64Reg.v(0)), .register(Arm64Reg.x(1)),
                                .register(Arm64Reg.v(1)), .register(Arm64Reg.x(2))])
        #expect(a.stackSize == 0)
    }

    @Test func ninthIntegerGoesToTheStackWhileFloatsKeepRegisters() throws {
        let types: [ABIType] = Array(repeating: .base(.l), count: 10) + [.base(.d)]
        let a = try AAPCS64.assign(types, position: .unknown, what: "arguments").get()
        #expect(a.arguments[8] == .stack(0))
        #expect(a.arguments[9] == .stack(8))
        #expect(a.arguments[10] == .register(Arm64Reg.v(0)))
        #expect(a.stackSize == 16)
    }

    @Test func stackAreaIsRoundedTo16() throws {
        let a = try AAPCS64.assign(Array(repeating: .base(.w), count: 9), position: .unknown, what: "arguments").get()
        #expect(a.arguments[8] == .stack(0))
        #expect(a.stackSize == 16)
    }

    @Test func aggregatesAreRejectedClearly() {
        guard case .failure(let e) = AAPCS64.assign([.aggregate(TypeID(0))], position: .unknown, what: "arguments") else {
            Issue.record("an aggregate was assigned")
            return
        }
        #expect(e.message.contains("not yet supported on arm64"))
    }
}
