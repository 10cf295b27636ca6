import Foundation
import KeelAnalysis
import KeelCodegen
import KeelDriver
import KeelIR
import KeelTestSupport
import Testing
@testable import KeelArm64

// The stack-map check (KeelCodegen/StackMapCheck.swift) on every function of
// Tests/Programs/gc as arm64 selects and allocates it: the real maps pass,
// and each slot dropped from a map is reported, at that safepoint only, as a
// reference missing from it — the proof the collector relies on holds for
// arm64's register file and its calls as it does for x86-64's.
@Suite struct Arm64StackMapMutationTests {
    struct Compiled {
        var program: String
        var function: Arm64Function
        var allocation: AllocationResult
        var cells: [Int]
    }

    static func compiled() throws -> [Compiled] {
        var out: [Compiled] = []
        let directory = ILPrograms.suite("gc")
        for name in ILPrograms.names(in: directory) {
            let text = try String(contentsOf: directory.appendingPathComponent(name + ".ssa"), encoding: .utf8)
            var module = try Module(parsing: text, fileName: name + ".ssa")
            _ = try FrontHalf.run(&module, upTo: .simplified, options: VerifierOptions(strictCallSignatures: false))
            let abi = Arm64ModuleABI(module: module)
            for f in module.functions {
                let s = try selectArm64(f, in: module, boundary: AAPCS64.lower(f, abi: abi), safepoints: abi.safepoints)
                let a = try allocateRegisters(s.machine, registers: Arm64Reg.aapcs64)
                let cells = SpillSlotSharing(function: s.machine, allocation: a).cellOfSlot.map { Int($0) }
                out.append(Compiled(program: name, function: s, allocation: a, cells: cells))
            }
        }
        return out
    }

    static func check(_ c: Compiled, _ a: AllocationResult) -> [AllocationCheckError] {
        checkAllocation(c.function.machine, a, registers: Arm64Reg.aapcs64, slotCells: c.cells,
                        sequentialize: emitterCopySequencer(registers: Arm64Reg.aapcs64,
                                                            spillSlotClasses: a.spillSlotClasses))
    }

    @Test func droppedSlotsAreReportedAtTheirSafepoint() throws {
        var dropped = 0, safepoints = 0
        for c in try Self.compiled() {
            let where_ = "\(c.program) $\(c.function.name)"
            #expect(Self.check(c, c.allocation).isEmpty, "\(where_): \(Self.check(c, c.allocation))")
            for (k, map) in c.allocation.safepointMaps.enumerated() {
                safepoints += 1
                for j in map.slots.indices {
                    var a = c.allocation
                    a.safepointMaps[k].slots.remove(at: j)
                    let errors = Self.check(c, a)
                    let ok = errors.count == 1 && errors[0].instruction == map.instruction
                        && { if case .referenceNotInMap = errors[0].kind { return true } else { return false } }()
                    #expect(ok, "\(where_): \(map.slots[j]) dropped from the map of \(map.instruction): \(errors)")
                    dropped += 1
                }
            }
        }
        print("arm64 stack-map check: \(dropped) dropped slots reported over \(safepoints) safepoints")
        #expect(safepoints > 100)
        #expect(dropped > 50)
    }
}
