import Foundation
import KeelAnalysis
import KeelCodegen
import KeelDriver
import KeelIR
import KeelTestSupport
import Testing
@testable import KeelX64

// The frame check catches a save list that leaves out a callee-saved
// register the allocation writes (the planted bug: r15 missing from the
// prologue/epilogue save order), on every function of the IL suite that
// uses one, reported at that function, while the real frames pass.
@Suite struct FrameCheckMutationTests {
    @Test func aSaveOrderMissingAUsedRegisterIsReported() throws {
        var mutations = 0, functions = 0
        for name in ILPrograms.names() {
            let text = try String(contentsOf: ILPrograms.directory.appendingPathComponent(name + ".ssa"), encoding: .utf8)
            var module = try Module(parsing: text, fileName: name + ".ssa")
            _ = try FrontHalf.run(&module, upTo: .simplified, options: VerifierOptions(strictCallSignatures: false))
            for f in module.functions {
                let s = try selectInstructions(f, in: module)
                let a = try allocateRegisters(s.machine, registers: X64Reg.sysV)
                functions += 1
                #expect(checkStackSlots(function: s, allocation: a, frame: X64Frame(function: s, allocation: a)).isEmpty)
                for r in X64Reg.calleeSaved where a.usedCalleeSaved.contains(r) {
                    let frame = FrameLayout(saveOrder: X64Reg.calleeSaved.filter { $0 != r }, allocation: a,
                                            spillSlots: SpillSlotSharing(function: s.machine, allocation: a),
                                            stackSlots: s.stackSlots, lifetimes: AllocSlotLifetimes(function: s))
                    let errors = checkStackSlots(function: s, allocation: a, frame: frame).map(\.message)
                    #expect(errors == ["$\(s.name): callee-saved register \(X64Reg.sysV.name(r)) is used but not saved"],
                            "\(name) $\(s.name) without \(X64Reg.sysV.name(r)): \(errors)")
                    mutations += 1
                }
            }
        }
        print("frame check: \(mutations) save lists missing a used register reported, over \(functions) functions")
        #expect(mutations > 50)
    }
}
