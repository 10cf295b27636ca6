// Contract: the operand-description check catches wrong declarations, not
// only agrees with right ones. Each test takes a real selected instruction
// of the table, alters what it declares as a selector bug would (a call's
// clobber set without r10, without xmm13 and xmm14; a def claimed late that
// the emitter writes before reading a use; a fixed register moved), places
// and emits it as OperandDescriptionTests does, and expects a report that
// names that instruction's payload, register and operand. The unaltered
// instruction is compared too and must agree.
import KeelCodegen
import KeelIR
import Testing
@testable import KeelX64

struct OperandDescriptionMutationTests {
    /// The first instruction of the table whose payload satisfies `pick`.
    func find(_ pick: (X64Inst) -> Bool) throws -> (module: Module, function: X64Function, instruction: Int) {
        for (module, fn) in try OperandCorpus.selected() {
            if let i = fn.machine.instructions.firstIndex(where: { pick($0.payload) }) { return (module, fn, i) }
        }
        throw CorpusLacks()
    }

    struct CorpusLacks: Error {}

    /// Instruction `i` of `fn` compared with its emitted text after `alter` changed the function's declarations.
    func compare(_ found: (module: Module, function: X64Function, instruction: Int), reversed: Bool = false,
                 alter: (inout MachineFunction<X64Inst>, MachineInstruction<X64Inst>) -> Void = { _, _ in })
        -> [OperandMismatch] {
        var fn = found.function
        alter(&fn.machine, fn.machine.instructions[found.instruction])
        let placement = OperandPlacement.distinct(fn.machine, reversed: reversed)
        let text = OperandPlacement.texts(fn, placement, module: found.module)[found.instruction]
        return compareOperands(DeclaredInstruction(fn.machine, placement, instruction: found.instruction), emitted: text)
    }

    func isCall(_ p: X64Inst) -> Bool { if case .call(.some) = p { return true } else { return false } }

    @Test func callClobbersWithoutR10AreReported() throws {
        let found = try find(isCall)
        #expect(compare(found).isEmpty)
        let report = compare(found) { mf, inst in
            mf.instructions[found.instruction].clobbers = inst.clobbers.subtracting(RegSet([X64Reg.r10]))
        }
        let payload = found.function.machine.instructions[found.instruction].payload
        #expect(report.contains { if case .callClobberMissing(payload, .r10, _) = $0 { return true } else { return false } })
        #expect(report.contains { if case .writeNotDeclared(payload, .r10, _) = $0 { return true } else { return false } })
        #expect(report.allSatisfy { $0.payload == payload })
        #expect(report.allSatisfy { $0.description.hasPrefix("call(") && $0.description.contains("%r10") })
        #expect(report.count == 2, "\(report)")
    }

    @Test func callClobbersWithoutXmm13AndXmm14AreReported() throws {
        let found = try find(isCall)
        let report = compare(found) { mf, inst in
            mf.instructions[found.instruction].clobbers = inst.clobbers.subtracting(RegSet([X64Reg.xmm(13), X64Reg.xmm(14)]))
        }
        let missing = report.compactMap { m -> ModelRegister? in
            if case .callClobberMissing(_, let r, let at) = m, at.text.hasPrefix("call ") { return r }
            return nil
        }
        #expect(missing == [.xmm(13), .xmm(14)], "\(report)")
        let unwritten = report.compactMap { m -> ModelRegister? in
            if case .writeNotDeclared(_, let r, _) = m { return r } else { return nil }
        }
        #expect(Set(unwritten) == [.xmm(13), .xmm(14)])
    }

    @Test func extraCalleeSavedClobberIsReported() throws {
        let found = try find(isCall)
        let report = compare(found) { mf, inst in
            mf.instructions[found.instruction].clobbers = inst.clobbers.union(RegSet([X64Reg.rbx]))
        }
        #expect(report.contains { if case .callClobberExtra(_, .rbx, _) = $0 { return true } else { return false } }, "\(report)")
    }

    /// The planted bug: the `vaarg` temporary declared late instead of early.
    @Test func vaArgTemporaryDeclaredLateIsReported() throws {
        let found = try find { if case .vaArg = $0 { return true } else { return false } }
        #expect(compare(found).isEmpty)
        let report = compare(found) { mf, inst in mf.operands[Int(inst.operandStart) + 2].position = .late }
        // The temporary (operand 2) is written before the va_list pointer (operand 0) is read again.
        #expect(report.contains {
            if case .lateDefWrittenBeforeUse(.vaArg, def: 2, _, _, use: 0, _, _) = $0 { return true } else { return false }
        }, "\(report)")
        #expect(report.allSatisfy { if case .lateDefWrittenBeforeUse = $0 { return true } else { return false } })
        #expect(report.first?.description.hasPrefix("vaArg(") == true)
    }

    @Test func ultofTemporaryDeclaredLateIsReported() throws {
        let found = try find { if case .convert(.ultof, _, _) = $0 { return true } else { return false } }
        #expect(compare(found).isEmpty)
        let report = compare(found) { mf, inst in mf.operands[Int(inst.operandStart) + 2].position = .late }
        #expect(report.contains {
            if case .lateDefWrittenBeforeUse(.convert(.ultof, _, _), def: 2, _, _, use: 0, _, _) = $0 { return true }
            return false
        }, "\(report)")
    }

    /// cqto writes rdx before idiv reads the divisor: the remainder def must stay early.
    @Test func divisionRemainderDeclaredLateIsReported() throws {
        let found = try find { if case .div(signed: true, size: 8) = $0 { return true } else { return false } }
        #expect(compare(found).isEmpty)
        let report = compare(found) { mf, inst in
            for n in inst.operandRange where mf.operands[n].constraint == .fixed(X64Reg.rdx) { mf.operands[n].position = .late }
        }
        #expect(report.contains {
            if case .lateDefWrittenBeforeUse(.div, _, .rdx, let w, use: 1, _, _) = $0 { return w.text == "cqto" }
            return false
        }, "\(report)")
    }

    @Test func remainderNotFixedToRdxIsReported() throws {
        let found = try find { if case .div(signed: false, size: 4) = $0 { return true } else { return false } }
        // Reversed pools: the freed remainder is not placed in rdx by chance.
        let report = compare(found, reversed: true) { mf, inst in
            for n in inst.operandRange where mf.operands[n].constraint == .fixed(X64Reg.rdx) { mf.operands[n].constraint = .reg }
        }
        #expect(report.contains { if case .writeNotDeclared(.div, .rdx, _) = $0 { return true } else { return false } }, "\(report)")
        #expect(report.contains { if case .defNeverWritten(.div, def: 3, _) = $0 { return true } else { return false } }, "\(report)")
    }

    @Test func shiftCountInAnotherRegisterIsReported() throws {
        let found = try find { if case .shift = $0 { return true } else { return false } }
        let report = compare(found) { mf, inst in mf.operands[Int(inst.operandStart) + 1].constraint = .fixed(X64Reg.rdx) }
        #expect(report.contains { if case .readNotDeclared(.shift, .rcx, _) = $0 { return true } else { return false } }, "\(report)")
        #expect(report.contains { if case .useNeverRead(.shift, use: 1, .rdx) = $0 { return true } else { return false } }, "\(report)")
    }

    @Test func twoAddressDefWithoutReuseIsReported() throws {
        let found = try find { if case .alu(.sub, size: 8) = $0 { return true } else { return false } }
        let report = compare(found) { mf, inst in mf.operands[Int(inst.operandStart) + 2].constraint = .reg }
        // `subq b, d` now reads d, which holds no use, and never reads use a.
        #expect(report.contains { if case .readNotDeclared(.alu, _, _) = $0 { return true } else { return false } }, "\(report)")
        #expect(report.contains { if case .useNeverRead(.alu, use: 0, _) = $0 { return true } else { return false } }, "\(report)")
    }
}
