// Corrupted allocations: the driver's steps run by hand up to the frame
// (ToyILHarness.compileSteps), one thing broken, then `CodeGenerator.check`
// (the allocation checker plus the toy frame check) and the toy machine both
// look at the result. The checker must report every corruption that makes
// the machine compute a wrong answer — and nearly every corruption at all,
// since the allocator makes few moves that do not matter.
import KeelCodegen
import KeelDriver
import KeelIR
import Testing

struct ToyILMutationTests {
    /// Mutated programs may loop or recurse forever; the correct ones need far fewer steps.
    static let stepLimit = 2_000_000

    static let programNames = ["loop_phis", "nested_conditionals", "fib", "many_live_across_calls",
                               "callee_saved_pressure", "widths_and_bits", "argument_shuffles", "collatz"]

    struct Tally {
        var mutations = 0
        var reported = 0
        var wrongAnswers = 0
    }

    /// Applies each mutation `mutate(function, k)` for k in `0..<count(function)`
    /// to each function of the program in turn; records an issue for a
    /// wrong answer the checker did not report.
    func tally(_ programName: String, count: (ToyILHarness.CompiledFunction) -> Int,
               mutate: (inout ToyILHarness.CompiledFunction, Int) -> Void) throws -> Tally {
        let program = try #require(ToyILProgramTests.programs.first { $0.name == programName })
        // At -O0: the allocator's work is what is corrupted, and at the
        // default level constant folding computes some programs
        // (widths_and_bits) entirely at compile time.
        let module = try ToyILHarness.module(program.source, level: .o0)
        let expected = try ToyILHarness.interpret(module)
        let functions = try ToyILHarness.compileSteps(module)
        let generator = CodeGenerator(target: ToyILTarget(), options: CompileOptions(checkAllocation: true))
        for f in functions { #expect(generator.check(f.selected, f.allocation, f.frame) == []) }
        #expect(try ToyILHarness.execute(ToyILHarness.listing(functions, of: module)) == expected)

        var tally = Tally()
        for (i, f) in functions.enumerated() {
            for k in 0..<count(f) {
                var mutated = functions
                mutate(&mutated[i], k)
                let report = generator.check(mutated[i].selected, mutated[i].allocation, mutated[i].frame)
                let listing = ToyILHarness.listing(mutated, of: module)
                var wrong = true
                do { wrong = try ToyILHarness.execute(listing, stepLimit: Self.stepLimit) != expected } catch {}
                tally.mutations += 1
                if !report.isEmpty { tally.reported += 1 }
                if wrong { tally.wrongAnswers += 1 }
                if wrong && report.isEmpty {
                    Issue.record("\(programName), $\(f.selected.name), mutation \(k): wrong answer, no report\n\(listing)")
                }
            }
        }
        return tally
    }

    @Test(arguments: ToyILMutationTests.programNames)
    func droppingOneMoveIsReported(_ programName: String) throws {
        let t = try tally(programName, count: { $0.allocation.edits.count },
                          mutate: { f, k in f.allocation.edits.remove(at: k) })
        #expect(t.mutations > 0)
        // One allocator move in these programs is redundant (a value stored
        // again into the spill slot that already holds it), so "nearly all".
        #expect(t.reported * 10 >= t.mutations * 9, "\(programName): \(t)")
    }

    /// A use operand that reads another register than the allocator chose.
    @Test(arguments: ToyILMutationTests.programNames)
    func redirectingOneUseIsReported(_ programName: String) throws {
        let registers = ToyILRegisters.file.allocatableByClass[Int(RegClass.int.rawValue)]
        func uses(_ f: ToyILHarness.CompiledFunction) -> [Int] {
            f.selected.machine.operands.indices.filter { f.selected.machine.operands[$0].kind == .use }
        }
        let t = try tally(programName, count: { uses($0).count }, mutate: { f, k in
            let operand = uses(f)[k]
            guard case .reg(let r) = f.allocation.operandLocations[operand],
                  let at = registers.firstIndex(of: r) else { return }
            f.allocation.operandLocations[operand] = .reg(registers[(at + 1) % registers.count])
        })
        #expect(t.reported * 10 >= t.mutations * 9, "\(programName): \(t)")
    }

    /// An allocation that does not admit using callee-saved registers: no
    /// save cells, so callers find their registers changed. The checker and
    /// the frame check both say so, and the machine refuses the return.
    @Test func forgettingCalleeSavedRegistersIsReported() throws {
        let program = try #require(ToyILProgramTests.programs.first { $0.name == "callee_saved_pressure" })
        let module = try ToyILHarness.module(program.source)
        var functions = try ToyILHarness.compileSteps(module)
        let walk = try #require(functions.firstIndex { $0.selected.name == "walk" })
        #expect(!functions[walk].allocation.usedCalleeSaved.isEmpty)
        functions[walk].allocation.usedCalleeSaved = .empty
        functions[walk].frame = ToyILTarget().layoutFrame(
            functions[walk].selected, functions[walk].allocation,
            spillSlots: SpillSlotSharing(function: functions[walk].selected.machine,
                                         allocation: functions[walk].allocation))

        let generator = CodeGenerator(target: ToyILTarget(), options: CompileOptions(checkAllocation: true))
        let report = generator.check(functions[walk].selected, functions[walk].allocation, functions[walk].frame)
        #expect(report.contains { $0.hasPrefix("allocation check failed in $walk") })
        #expect(report.contains { $0.hasPrefix("frame check failed in $walk: callee-saved") })
        #expect(throws: ToyMachineError.self) {
            try ToyILHarness.execute(ToyILHarness.listing(functions, of: module), stepLimit: Self.stepLimit)
        }
    }
}
