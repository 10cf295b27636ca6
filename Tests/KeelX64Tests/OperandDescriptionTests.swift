// Contract: the operand descriptions of the x86-64 target agree with the
// code the emitter writes (issue 14, item 3). Every instruction the table
// (OperandCorpus.swift) selects, with its operands placed in distinct
// registers two ways, and every instruction of the table and of the IL
// program suite under the real register allocator, is emitted alone and
// compared with its declared uses, defs, positions, fixed registers and
// clobbers (OperandComparison.swift); calls' clobbers equal System V's
// caller-saved set. The table must produce every payload variant.
import Foundation
import KeelAnalysis
import KeelCodegen
import KeelIR
import KeelTestSupport
import Testing
@testable import KeelX64

struct OperandDescriptionTests {
    static let table: [(module: Module, function: X64Function)] = (try? OperandCorpus.selected()) ?? []

    static func variant(_ fn: X64Function, _ i: Int) -> String {
        let inst = fn.machine.instructions[i]
        return OperandCorpus.variant(inst.payload, operandCount: Int(inst.operandCount))
    }

    /// Compares every instruction of `fn` under `allocation`; returns how many were compared.
    @discardableResult
    static func expectAgreement(_ fn: X64Function, _ allocation: AllocationResult, module: Module, _ what: String) -> Int {
        let results = OperandPlacement.mismatches(fn, allocation, module: module)
        for r in results where !r.mismatches.isEmpty {
            Issue.record("""
                \(what) $\(fn.name) i\(r.instruction) [\(variant(fn, r.instruction))]:
                \(r.mismatches.map(\.description).joined(separator: "\n"))
                emitted:
                \(r.text)
                """)
        }
        return results.count
    }

    @Test func tableSelects() throws {
        _ = try OperandCorpus.selected()
        #expect(Self.table.count >= 15)
    }

    @Test func tableCoversEveryPayloadVariant() {
        var found = Set<String>()
        for (_, fn) in Self.table {
            for i in fn.machine.instructions.indices { found.insert(Self.variant(fn, i)) }
        }
        let missing = OperandCorpus.expectedVariants.subtracting(found).sorted()
        #expect(missing.isEmpty, "variants the table does not produce: \(missing)")
        #expect(OperandCorpus.expectedVariants.count > 300)
    }

    @Test(arguments: [false, true])
    func distinctRegistersAgreeWithEmittedText(reversed: Bool) {
        var compared = 0
        for (module, fn) in Self.table {
            let placement = OperandPlacement.distinct(fn.machine, reversed: reversed)
            compared += Self.expectAgreement(fn, placement, module: module, reversed ? "reversed" : "distinct")
        }
        #expect(compared > 400)
    }

    @Test func realAllocationsOfTheTableAgree() throws {
        var compared = 0
        for (module, fn) in Self.table {
            let a = try allocateRegisters(fn.machine, registers: X64Reg.sysV)
            compared += Self.expectAgreement(fn, a, module: module, "allocated")
        }
        #expect(compared > 400)
    }

    /// Every function of Tests/Programs/il, selected, allocated and placed as the table is.
    @Test func programSuiteAgrees() {
        var functions = 0, instructions = 0
        for name in ILPrograms.names() {
            let url = ILPrograms.directory.appendingPathComponent(name + ".ssa")
            guard let module = verifiedCorpusModule(at: url) else { continue }
            let abi = SysVABI(module: module)
            for f in module.functions {
                guard let fn = try? selectInstructions(f, in: module, abi: abi) else { continue }
                functions += 1
                instructions += Self.expectAgreement(fn, OperandPlacement.distinct(fn.machine), module: module, name)
                Self.expectAgreement(fn, OperandPlacement.distinct(fn.machine, reversed: true), module: module,
                                     name + " reversed")
                if let a = try? allocateRegisters(fn.machine, registers: X64Reg.sysV) {
                    Self.expectAgreement(fn, a, module: module, name + " allocated")
                }
            }
        }
        #expect(functions > 100 && instructions > 1000)
    }

    /// The declared clobbers of every call are exactly System V's caller-saved registers.
    @Test func callClobbersAreTheCallerSavedSet() {
        var calls = 0
        for (_, fn) in Self.table {
            for inst in fn.machine.instructions {
                guard case .call = inst.payload else { continue }
                calls += 1
                let declared = ModelRegisterSet(inst.clobbers)
                #expect(declared == SysVModel.callerSaved,
                        "\(inst.payload): missing \(SysVModel.callerSaved.subtracting(declared)), extra \(declared.subtracting(SysVModel.callerSaved))")
            }
        }
        #expect(calls >= 10)
    }
}
