import Foundation
import KeelIR
import KeelTestSupport
import Testing
@testable import KeelX64

/// Randomly generated aggregate shapes (nested structs, unions, arrays of all
/// field types) whose passing gcc 13 was observed to use: a C program passed
/// each as the only argument to an assembly stub that recorded rdi, rsi,
/// xmm0, xmm1 and the stack, and matched the struct's bytes against them.
/// Tests/Programs/sysv/gcc-shapes.ssa holds the IL types; gcc-shapes.expected
/// one line per passed shape: its name and, per eightbyte, I (integer
/// register) or S (SSE register), or M (memory).
struct GccShapeTests {
    static let directory = KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/sysv")

    @Test func classificationMatchesGcc() throws {
        let source = try String(contentsOf: Self.directory.appendingPathComponent("gcc-shapes.ssa"), encoding: .utf8)
        let expected = try String(contentsOf: Self.directory.appendingPathComponent("gcc-shapes.expected"), encoding: .utf8)
        let module = try Module(parsing: source, fileName: "gcc-shapes.ssa")
        let abi = SysVABI(module: module)
        var checked = 0
        for line in expected.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            try #require(words.count == 2, "bad line: \(line)")
            let id = try #require(module.types.firstIndex { $0.name == words[0] }, "no type \(words[0])")
            let observed: String
            switch try abi.assign([.aggregate(TypeID(id))], returnType: nil, hasEnvironment: false,
                                  variadic: false).arguments[0] {
            case .stack: observed = "M"
            case .registers(let parts):
                observed = String(parts.map { $0.register.number >= 16 ? "S" : "I" })
            }
            #expect(observed == words[1], "\(words[0])")
            checked += 1
        }
        #expect(checked >= 100)
    }
}
