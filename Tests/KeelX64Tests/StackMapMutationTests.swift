import Foundation
import KeelAnalysis
import KeelCodegen
import KeelDriver
import KeelIR
import KeelTestSupport
import Testing
@testable import KeelX64

// The stack-map check (KeelCodegen/StackMapCheck.swift) on every function of
// Tests/Programs/gc as the driver compiles it: the real maps and allocations
// pass; each planted corruption is reported at the safepoint it breaks (a
// slot dropped from a map, a map entry for a slot that holds no live
// reference there), and an allocation made as if calls were not safepoints
// (references left in callee-saved registers across them) is reported.
@Suite struct StackMapMutationTests {
    struct Compiled {
        var program: String
        var function: X64Function
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
            for f in module.functions {
                let s = try selectInstructions(f, in: module)
                let a = try allocateRegisters(s.machine, registers: X64Reg.sysV)
                let cells = SpillSlotSharing(function: s.machine, allocation: a).cellOfSlot.map { Int($0) }
                out.append(Compiled(program: name, function: s, allocation: a, cells: cells))
            }
        }
        return out
    }

    static func check(_ c: Compiled, _ a: AllocationResult, machine: MachineFunction<X64Inst>? = nil) -> [AllocationCheckError] {
        let cells = a.spillSlotClasses.count == c.cells.count ? c.cells
            : SpillSlotSharing(function: machine ?? c.function.machine, allocation: a).cellOfSlot.map { Int($0) }
        return checkAllocation(machine ?? c.function.machine, a, registers: X64Reg.sysV, slotCells: cells,
                               sequentialize: emitterCopySequencer(registers: X64Reg.sysV,
                                                                   spillSlotClasses: a.spillSlotClasses))
    }

    @Test func corruptedMapsAreReportedAtTheirSafepoint() throws {
        var dropped = 0, dead = 0, safepoints = 0, functions = 0
        for c in try Self.compiled() {
            let where_ = "\(c.program) $\(c.function.name)"
            #expect(Self.check(c, c.allocation).isEmpty, "\(where_): \(Self.check(c, c.allocation))")
            let maps = c.allocation.safepointMaps
            if !maps.isEmpty { functions += 1 }
            for (k, map) in maps.enumerated() {
                safepoints += 1
                // A slot dropped from the map: its reference is reported missing, at this safepoint only.
                for j in map.slots.indices {
                    var a = c.allocation
                    a.safepointMaps[k].slots.remove(at: j)
                    let errors = Self.check(c, a)
                    let ok = errors.count == 1 && errors[0].instruction == map.instruction
                        && { if case .referenceNotInMap = errors[0].kind { return true } else { return false } }()
                    #expect(ok, "\(where_): \(map.slots[j]) dropped from the map of \(map.instruction): \(errors)")
                    dropped += 1
                }
                // A slot not in the map, in a cell no listed slot uses, added to it.
                let listedCells = Set(map.slots.map { c.cells[$0.int] })
                if let extra = c.allocation.spillSlotClasses.indices.first(where: { !listedCells.contains(c.cells[$0]) }) {
                    var a = c.allocation
                    a.safepointMaps[k].slots.append(SpillSlot(extra))
                    let errors = Self.check(c, a)
                    let ok = errors.count == 1 && errors[0].instruction == map.instruction && {
                        switch errors[0].kind {
                        case .mapListsDeadValue, .mapListsNonReference: return true
                        default: return false
                        }
                    }()
                    #expect(ok, "\(where_): ss\(extra) added to the map of \(map.instruction): \(errors)")
                    dead += 1
                }
            }
        }
        print("stack-map check: \(dropped) dropped slots and \(dead) dead entries reported, "
              + "over \(safepoints) safepoints of \(functions) functions")
        #expect(dropped > 50)
        #expect(dead > 50)
    }

    @Test func referencesLeftInRegistersAcrossSafepointsAreReported() throws {
        var reported = 0, stale = 0, kept = 0
        // Functions where some reference lives across some safepoint.
        for c in try Self.compiled() where c.allocation.safepointMaps.contains(where: { !$0.slots.isEmpty }) {
            // The allocation an allocator without the safepoint discipline makes.
            var plain = c.function.machine
            for i in plain.instructions.indices { plain.instructions[i].isSafepoint = false }
            var a = try allocateRegisters(plain, registers: X64Reg.sysV)
            // Such an allocator knows no maps: an empty one per safepoint.
            a.safepointMaps = c.allocation.safepointMaps.map { SafepointMap(instruction: $0.instruction, slots: []) }
            let errors = Self.check(c, a)
            // Did that allocation keep a reference in a callee-saved register across a safepoint?
            let differs = a.usedCalleeSaved != c.allocation.usedCalleeSaved || a.edits != c.allocation.edits
            if differs { kept += 1 }
            if !errors.isEmpty { reported += 1 }
            stale += errors.filter {
                switch $0.kind {
                case .useReadsWrongValue(_, _, _, .stale, _), .editReadsWrongValue(_, .stale): return true
                default: return false
                }
            }.count
            #expect(!errors.isEmpty, "\(c.program) $\(c.function.name): an allocation ignoring safepoints passed")
        }
        print("stack-map check: \(reported) allocations ignoring safepoints reported (\(kept) differ), "
              + "\(stale) stale register copies used")
        #expect(stale > 0)
    }
}
