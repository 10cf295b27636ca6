import Foundation
import KeelIR
import KeelTestSupport
import Testing
@testable import KeelX64

/// Randomly generated aggregate shapes (nested structs, unions, arrays of all
/// field types) whose passing gcc 12.2 was observed to use: a C program passed
/// each as the only argument to an assembly stub that recorded rdi, rsi,
/// xmm0, xmm1 and the stack, and matched the struct's bytes against them.
/// Tests/Programs/sysv/gcc-shapes.ssa holds the IL types; gcc-shapes.expected
/// one line per passed shape: its name and, per eightbyte, I (integer
/// register) or S (SSE register), or M (memory).
/// gcc-calls.expected holds 200 random argument lists (scalars of every ABI
/// type mixed with those shapes) and where gcc put each argument: `rN` with N
/// the register number (16+ for xmm), eightbytes joined by `+`, or `mOFFSET`
/// in the outgoing stack area. gcc-returns.expected: each shape returned by a
/// gcc-compiled function, `rN+rM` per eightbyte or `mem` (through the hidden
/// pointer, returned in rax). scripts/sysv-gcc-shapes.py regenerates all three.
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

    @Test func argumentListsMatchGcc() throws {
        let source = try String(contentsOf: Self.directory.appendingPathComponent("gcc-shapes.ssa"), encoding: .utf8)
        let expected = try String(contentsOf: Self.directory.appendingPathComponent("gcc-calls.expected"), encoding: .utf8)
        let module = try Module(parsing: source, fileName: "gcc-shapes.ssa")
        let abi = SysVABI(module: module)
        let scalars: [String: ABIType] = ["w": .base(.w), "l": .base(.l), "s": .base(.s), "d": .base(.d),
                                          "sb": .sb, "ub": .ub, "sh": .sh, "uh": .uh]
        var checked = 0
        for line in expected.split(separator: "\n") {
            let halves = line.split(separator: "=>").map { $0.split(separator: " ").map(String.init) }
            try #require(halves.count == 2, "bad line: \(line)")
            let types = try halves[0].map { word -> ABIType in
                if word.hasPrefix(":") {
                    let id = try #require(module.types.firstIndex { $0.name == word.dropFirst() }, "no type \(word)")
                    return .aggregate(TypeID(id))
                }
                return try #require(scalars[word], "bad type \(word)")
            }
            let assignment = try abi.assign(types, returnType: nil, hasEnvironment: false, variadic: false)
            let observed = assignment.arguments.map { location -> String in
                switch location {
                case .stack(let offset, _): return "m\(offset)"
                case .registers(let parts): return parts.map { "r\($0.register.number)" }.joined(separator: "+")
                }
            }
            #expect(observed == halves[1], "\(line)")
            checked += 1
        }
        #expect(checked == 200)
    }

    @Test func returnsMatchGcc() throws {
        let source = try String(contentsOf: Self.directory.appendingPathComponent("gcc-shapes.ssa"), encoding: .utf8)
        let expected = try String(contentsOf: Self.directory.appendingPathComponent("gcc-returns.expected"), encoding: .utf8)
        let module = try Module(parsing: source, fileName: "gcc-shapes.ssa")
        let abi = SysVABI(module: module)
        var checked = 0
        for line in expected.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            try #require(words.count == 2, "bad line: \(line)")
            let id = try #require(module.types.firstIndex { $0.name == words[0] }, "no type \(words[0])")
            let observed: String
            switch abi.assignReturn(.aggregate(TypeID(id))) {
            case .none: observed = "none"
            case .hiddenPointer: observed = "mem"
            case .registers(let parts): observed = parts.map { "r\($0.register.number)" }.joined(separator: "+")
            }
            #expect(observed == words[1], "\(line)")
            checked += 1
        }
        #expect(checked >= 300)
    }
}
