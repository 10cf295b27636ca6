import Foundation
import KeelAnalysis
import KeelDriver
import KeelIR
@testable import KeelX64

/// The instruction lines of function `name` in the x86-64 assembly of the IL
/// `text` (labels and directives left out), compiled at `level` with every
/// check of the code generator on, as in all tests.
func functionAssemblyLines(_ text: String, function name: String = "f",
                           level: OptimizationLevel = .standard) throws -> [String] {
    var module = try Module(parsing: text)
    _ = try FrontHalf.run(&module, upTo: .simplified, level: level,
                          options: VerifierOptions(strictCallSignatures: false))
    var generator = CodeGenerator(target: X64Target())
    let asm = String(decoding: try generator.compile(module), as: UTF8.self)
    var out: [String] = []
    var inside = false
    for raw in asm.split(separator: "\n") {
        let line = raw.trimmingCharacters(in: .whitespaces)
        if line == name + ":" { inside = true; continue }
        if inside && line.hasPrefix(".size") { break }
        if inside && !line.hasSuffix(":") && !line.hasPrefix(".") { out.append(line) }
    }
    return out
}

/// The x86-64 assembly of the IL `text` as a file `t.ssa` (no IR passes).
func x64Assembly(_ il: String) throws -> String {
    let module = try Module(parsing: il, fileName: "t.ssa")
    var generator = CodeGenerator(target: X64Target())
    return String(decoding: try generator.compile(module), as: UTF8.self)
}
