// Contract: the emitted-code check runs on every function the driver
// compiles with checks on, and reports what the emitter wrote, not what it
// meant to write. A target identical to X64Target except that its writer
// plants a bug in the text it has just written — every epilogue restores
// %rbx's saved value into %rdx instead (same length, so nothing else of the
// read-back moves) — is driven through `CodeGenerator` over the IL suite:
// every function so altered, and no other, fails to compile, with a
// diagnostic naming it and the return where %rbx is not the caller's.
import Foundation
import KeelAnalysis
import KeelCodegen
import KeelDriver
import KeelIR
import KeelTestSupport
import Testing
@testable import KeelX64

struct PlantedEpilogueTarget: Target {
    let base = X64Target()
    var names: [String] { ["planted"] }
    var registers: RegisterFile { base.registers }
    func moduleABI(_ module: Module) -> SysVABI { base.moduleABI(module) }
    func lowerABI(_ f: Function, _ abi: SysVABI) -> SysVBoundary { base.lowerABI(f, abi) }
    func select(_ f: Function, in module: Module, abi: SysVABI, boundary: SysVBoundary) throws(SelectionError) -> X64Function {
        try base.select(f, in: module, abi: abi, boundary: boundary)
    }
    func layoutFrame(_ s: X64Function, _ a: AllocationResult, spillSlots: SpillSlotSharing) -> X64Frame {
        base.layoutFrame(s, a, spillSlots: spillSlots)
    }
    func checkFrame(_ s: X64Function, _ a: AllocationResult, _ frame: X64Frame) -> [String] { base.checkFrame(s, a, frame) }
    func makeWriter(for module: Module) -> PlantedEpilogueWriter { PlantedEpilogueWriter(inner: base.makeWriter(for: module)) }
}

struct PlantedEpilogueWriter: TargetWriter {
    var inner: X64Writer
    /// Functions whose text was altered.
    var altered: [String] = []

    mutating func file(_ name: String) { inner.file(name) }
    mutating func data(_ d: DataDefinition) { inner.data(d) }
    mutating func finish() -> [UInt8] { inner.finish() }
    func readBackLastFunction() -> (function: EmittedFunction, convention: EmittedConvention)? { inner.readBackLastFunction() }

    mutating func function(_ s: X64Function, _ a: AllocationResult, _ frame: X64Frame, sequencer: @escaping ParallelCopySequencer) {
        inner.function(s, a, frame, sequencer: sequencer)
        guard var last = inner.last else { return }
        var lines = last.text.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var changed = false
        for i in lines.indices where lines[i] == "\tleave" {
            var k = i - 1
            while k >= 0, lines[k].hasPrefix("\tmovq "), lines[k].contains("(%rbp), %r") {
                if lines[k].hasSuffix("(%rbp), %rbx") {
                    lines[k] = String(lines[k].dropLast(4)) + "%rdx"
                    changed = true
                }
                k -= 1
            }
        }
        guard changed else { return }
        var text = AssemblyWriter()
        text.append(lines.joined(separator: "\n"))
        last.text = text
        inner.last = last
        altered.append(s.machine.name)
    }
}

@Suite struct PlantedFrameBugTests {
    @Test func everyAlteredEpilogueFailsItsFunctionAndNoOther() throws {
        var altered = 0, reported = 0
        for name in ILPrograms.names() {
            let text = try String(contentsOf: ILPrograms.directory.appendingPathComponent(name + ".ssa"), encoding: .utf8)
            var module = try Module(parsing: text, fileName: name + ".ssa")
            _ = try FrontHalf.run(&module, upTo: .simplified, options: VerifierOptions(strictCallSignatures: false))
            // Which functions the writer alters: compile once without checks, keeping the writer.
            var writer = PlantedEpilogueTarget().makeWriter(for: module)
            var unchecked = CodeGenerator(target: PlantedEpilogueTarget(), options: CompileOptions(checkAllocation: false))
            for f in module.functions {
                let c = try unchecked.prepare(f, in: module, abi: SysVABI(module: module))
                writer.function(c.selected, c.allocation, c.frame, sequencer: c.sequencer)
            }
            var checked = CodeGenerator(target: PlantedEpilogueTarget(), options: CompileOptions(checkAllocation: true))
            var messages: [String] = []
            do { _ = try checked.compile(module) } catch { messages = error.diagnostics.map(\.message) }
            let failing = Set(messages.compactMap { m -> String? in
                guard let r = m.range(of: "emitted-code check failed in $") else { return nil }
                return String(m[r.upperBound...].prefix { $0 != "," })
            })
            #expect(failing == Set(writer.altered), "\(name): \(messages)")
            for m in messages {
                #expect(m.contains("return with callee-saved %rbx holding"), "\(name): \(m)")
            }
            altered += writer.altered.count
            reported += failing.count
        }
        print("planted epilogue bug: \(altered) functions altered, \(reported) reported by the driver's emitted-code check")
        #expect(altered > 20)
    }
}
