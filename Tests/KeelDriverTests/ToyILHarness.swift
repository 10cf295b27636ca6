// What every toy-target test does: IL text through FrontHalf, then either
// the reference interpreter or `CodeGenerator<ToyILTarget>` (allocation
// checker and frame check on) and the toy machine, and the two results of
// `$main` side by side. Also the driver's per-function steps without the
// check, for the tests that corrupt an allocation before checking it.
import KeelAnalysis
import KeelCodegen
import KeelDriver
import KeelIR
import KeelInterp
import Testing

enum ToyILHarness {
    /// Parsed, in SSA form, verified and simplified: what both the
    /// interpreter and every compilation take.
    static func module(_ source: String, file: String = "toy.ssa", level: OptimizationLevel = .standard) throws -> Module {
        var module = try Module(parsing: source, fileName: file)
        let warnings = try FrontHalf.run(&module, upTo: .simplified, level: level,
                                         options: VerifierOptions(knownExternals: Set(Interpreter.emulatedFunctions)))
        #expect(warnings.isEmpty, "\(file): \(warnings)")
        return module
    }

    /// The listing, through the driver with every check on; throws its diagnostics.
    static func compile(_ module: Module) throws(DiagnosticList) -> String {
        var generator = CodeGenerator(target: ToyILTarget(), options: CompileOptions(checkAllocation: true))
        return String(decoding: try generator.compile(module), as: UTF8.self)
    }

    /// `$main`'s result by the reference interpreter (its status: the low 32 bits).
    static func interpret(_ module: Module) throws -> Int32 {
        var interpreter = try Interpreter(module: module)
        interpreter.stepLimit = 50_000_000
        var output: [UInt8] = []
        let status = try interpreter.run(output: &output)
        #expect(output.isEmpty, "the toy programs print nothing")
        return status
    }

    /// `$main`'s result on the toy machine, low 32 bits as the interpreter reports it.
    static func execute(_ listing: String, garbageSeed: UInt64 = 0x70E,
                        stepLimit: Int = 50_000_000) throws(ToyMachineError) -> Int32 {
        var machine = ToyMachine(program: try ToyProgram(listing: listing), garbageSeed: garbageSeed)
        machine.stepLimit = stepLimit
        return Int32(truncatingIfNeeded: try machine.run("main"))
    }

    /// Compiles and runs `source` both ways; records an issue when they
    /// disagree or either fails. Returns the listing.
    @discardableResult
    static func expectSameResult(_ source: String, name: String,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        // At -O0 too: at the default level constant folding may leave little
        // of a program for the toy backend to compute.
        _ = try expectSameResult(source, name: name, level: .o0, sourceLocation: sourceLocation)
        return try expectSameResult(source, name: name, level: .standard, sourceLocation: sourceLocation)
    }

    static func expectSameResult(_ source: String, name: String, level: OptimizationLevel,
                                 sourceLocation: SourceLocation) throws -> String {
        let module = try module(source, file: name + ".ssa", level: level)
        let expected = try interpret(module)
        let listing: String
        do {
            listing = try compile(module)
        } catch {
            Issue.record("\(name): \(error)", sourceLocation: sourceLocation)
            return ""
        }
        do {
            let actual = try execute(listing)
            #expect(actual == expected, "\(name): toy machine \(actual), interpreter \(expected)\n\(listing)",
                    sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(name): \(error)\n\(listing)", sourceLocation: sourceLocation)
        }
        return listing
    }

    /// One function through the driver's steps (without the check), for
    /// tests that look at or tamper with the allocation before checking and emitting.
    typealias CompiledFunction = KeelDriver.CompiledFunction<ToyILTarget>

    /// Every function of `module` through `CodeGenerator.prepare`, checks off.
    static func compileSteps(_ module: Module) throws -> [CompiledFunction] {
        var generator = CodeGenerator(target: ToyILTarget(), options: CompileOptions(checkAllocation: false))
        let abi = generator.target.moduleABI(module)
        return try module.functions.map { f in try generator.prepare(f, in: module, abi: abi) }
    }

    /// The listing of already compiled functions, parallel copies in the driver's order.
    static func listing(_ functions: [CompiledFunction], of module: Module) -> String {
        let target = ToyILTarget()
        var writer = target.makeWriter(for: module)
        for f in functions {
            writer.function(f.selected, f.allocation, f.frame,
                            sequencer: emitterCopySequencer(registers: target.registers,
                                                            spillSlotClasses: f.allocation.spillSlotClasses))
        }
        return String(decoding: writer.finish(), as: UTF8.self)
    }
}
