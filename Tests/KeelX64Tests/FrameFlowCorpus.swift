// Contract: the emitted assembly of every IL program of the suite
// (Tests/Programs/il/*.ssa, through `FrontHalf` up to `.simplified`, then
// the whole x86-64 code generator), for the frame-flow tests.
import Foundation
import KeelAnalysis
import KeelDriver
import KeelIR
import KeelTestSupport
import KeelX64

enum FrameFlowCorpus {
    /// (program name, emitted text) for each IL program that compiles.
    static func assemblies() throws -> [(name: String, text: String)] {
        try ILPrograms.names().map { name in
            let source = try String(contentsOf: ILPrograms.directory.appendingPathComponent(name + ".ssa"), encoding: .utf8)
            var module = try Module(parsing: source, fileName: name + ".ssa")
            _ = try FrontHalf.run(&module, upTo: .simplified, options: VerifierOptions(strictCallSignatures: false))
            var generator = CodeGenerator(target: X64Target())
            let bytes = try generator.compile(module)
            return (name, String(decoding: bytes, as: UTF8.self))
        }
    }
}
