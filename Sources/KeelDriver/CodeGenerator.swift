import KeelAnalysis
import KeelCodegen
import KeelIR
import KeelSystem

// The back half, target-independent: once per module, then for every
// function, these named steps in this order, on any `Target`:
//
//   module-abi   module-wide ABI facts                   (target)
//   lower-abi    where the boundary's values go          (target)
//   select       IR → machine instructions over vregs    (target)
//   allocate     registers and spill slots               (KeelCodegen)
//   spill-slots  which spill slots may share a cell      (KeelCodegen)
//   frame        the stack frame                         (target)
//   check        allocation checker + stack-slot check   (KeelCodegen + target; debug builds, --check-alloc)
//   emit         assembly text                           (target)
//   check-emitted  the text read back, frames and copies judged (KeelCodegen + target's reader; with `check`)
//
// Data and `dbgfile` items are written in source order between functions.
// A failing step becomes a diagnostic naming the function; the remaining
// functions are still compiled, so every error is reported at once.

/// Choices that change how a module is compiled, not what it means.
public struct CompileOptions: Sendable {
    /// Run the allocation checker and the stack-slot check on every function
    /// after frame layout; a failure is a diagnostic.
    public var checkAllocation: Bool
    /// Run the verifier after every IR pass (and the checkers after allocation).
    public var verifyEach: Bool
    /// The level the module was optimized at (`FrontHalf.run`); the back
    /// half does not read it yet: it is here for steps that will differ by level.
    public var level: OptimizationLevel

    /// The checks are on by default in debug builds (and so in every test), off in release builds.
    public static let checksByDefault: Bool = {
        #if DEBUG
        return true
        #else
        return false
        #endif
    }()

    public init(checkAllocation: Bool = CompileOptions.checksByDefault, verifyEach: Bool = false,
                level: OptimizationLevel = .standard) {
        self.checkAllocation = checkAllocation || verifyEach
        self.verifyEach = verifyEach
        self.level = level
    }
}

/// Time spent in each named step, summed over functions, in first-run order.
public struct StepTimes: Sendable {
    public private(set) var steps: [(name: String, seconds: Double)] = []
    public init() {}

    public mutating func add(_ name: String, _ seconds: Double) {
        if let i = steps.firstIndex(where: { $0.name == name }) { steps[i].seconds += seconds } else { steps.append((name, seconds)) }
    }
}

public struct CodeGenerator<T: Target> {
    public let target: T
    public var options: CompileOptions
    public var times = StepTimes()
    /// Measure steps (off: no clock reads).
    public var timed = false

    public init(target: T, options: CompileOptions = CompileOptions()) {
        self.target = target
        self.options = options
    }

    /// Compiles a verified, SSA-form module; throws every diagnostic when any function fails.
    public mutating func compile(_ module: Module) throws(DiagnosticList) -> [UInt8] {
        let target = self.target  // closures below read it, while `step` mutates `times`
        var writer = target.makeWriter(for: module)
        let abi = step("module-abi") { target.moduleABI(module) }
        var diagnostics: [Diagnostic] = []
        let compileTimeOnly = ManagedRuntime.compileTimeOnlyData(in: module)
        for item in module.items {
            switch item {
            case .type:
                break
            case .dbgfile(let name):
                writer.file(name)
            case .data(let i):
                if !compileTimeOnly[i] { writer.data(module.data[i]) }
            case .function(let i):
                do {
                    let compiled = try prepare(module.functions[i], in: module, abi: abi)
                    step("emit") { writer.function(compiled.selected, compiled.allocation, compiled.frame,
                                                   sequencer: compiled.sequencer) }
                    if options.checkAllocation { try checkEmitted(writer, module.functions[i], in: module) }
                } catch {
                    diagnostics += error.diagnostics
                }
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticList(diagnostics) }
        return step("emit") { writer.finish() }
    }

    /// The emitted-code checks on the function `writer` wrote last: its text
    /// read back by the target's model and judged (frames, parallel copies).
    mutating func checkEmitted(_ writer: T.Writer, _ f: Function, in module: Module) throws(DiagnosticList) {
        let failures = step("check-emitted") { () -> [String] in
            guard let (emitted, convention) = writer.readBackLastFunction() else { return [] }
            return checkEmittedCode(emitted, convention: convention).failures.map {
                "emitted-code check failed in $\(emitted.name), " + $0.message(convention)
            }
        }
        if !failures.isEmpty {
            let file = f.file < module.files.count ? module.files[f.file] : "<input>"
            throw DiagnosticList(failures.map { Diagnostic(file: file, position: f.position, message: $0) })
        }
    }

    /// The steps of one function up to emission (`check` included when the
    /// options ask for it); throws its diagnostics.
    public mutating func prepare(_ f: Function, in module: Module, abi: T.ModuleABI)
        throws(DiagnosticList) -> CompiledFunction<T> {
        do throws(StepFailure) {
            return try steps(f, in: module, abi: abi)
        } catch {
            let file = f.file < module.files.count ? module.files[f.file] : "<input>"
            throw DiagnosticList(error.messages.map { Diagnostic(file: file, position: error.position ?? f.position, message: $0) })
        }
    }

    mutating func steps(_ f: Function, in module: Module, abi: T.ModuleABI) throws(StepFailure) -> CompiledFunction<T> {
        let target = self.target
        let boundary = try step("lower-abi") { () throws(StepFailure) in
            do throws(SelectionError) { return try target.lowerABI(f, abi) } catch { throw StepFailure(error) }
        }
        let selected = try step("select") { () throws(StepFailure) in
            do throws(SelectionError) {
                return try target.select(f, in: module, abi: abi, boundary: boundary)
            } catch {
                throw StepFailure(error)
            }
        }
        let allocation = try step("allocate") { () throws(StepFailure) in
            do throws(AllocationError) {
                return try allocateRegisters(selected.machine, registers: target.registers)
            } catch {
                throw StepFailure(["register allocation failed in $\(selected.machine.name): \(error)"])
            }
        }
        let spillSlots = step("spill-slots") { SpillSlotSharing(function: selected.machine, allocation: allocation) }
        let frame = step("frame") { target.layoutFrame(selected, allocation, spillSlots: spillSlots) }
        let sequencer = emitterCopySequencer(registers: target.registers, spillSlotClasses: allocation.spillSlotClasses)
        if options.checkAllocation {
            let failures = step("check") { Self.check(target, selected, allocation, frame, sequencer: sequencer) }
            if !failures.isEmpty { throw StepFailure(failures) }
        }
        return CompiledFunction(selected: selected, allocation: allocation, frame: frame, sequencer: sequencer)
    }

    /// The allocation checker and the target's stack-slot check on one
    /// function, as it will be emitted: spill slots in the frame's cells and
    /// parallel copies in the emitter's order. One message per failure.
    public func check(_ selected: T.Selected, _ allocation: AllocationResult, _ frame: T.Frame) -> [String] {
        Self.check(target, selected, allocation, frame, sequencer: nil)
    }

    static func check(_ target: T, _ selected: T.Selected, _ allocation: AllocationResult, _ frame: T.Frame,
                      sequencer: ParallelCopySequencer?) -> [String] {
        let name = selected.machine.name
        let cells = target.spillCells(frame).map { Int($0) }
        guard cells.count == allocation.spillSlotClasses.count else {
            return ["frame check failed in $\(name): the frame has \(cells.count) spill cells for "
                    + "\(allocation.spillSlotClasses.count) spill slots"]
        }
        let allocationErrors = checkAllocation(selected.machine, allocation, registers: target.registers,
                                               slotCells: cells,
                                               sequentialize: sequencer ?? emitterCopySequencer(
                                                   registers: target.registers,
                                                   spillSlotClasses: allocation.spillSlotClasses),
                                               maxErrors: 10)
        return allocationErrors.map { "allocation check failed in $\(name): " + $0.message(registers: target.registers) }
            + target.checkFrame(selected, allocation, frame)
    }

    @inline(__always)
    mutating func step<R, E: Error>(_ name: String, _ body: () throws(E) -> R) throws(E) -> R {
        guard timed else { return try body() }
        let start = FileIO.monotonicNanoseconds()
        defer { times.add(name, Double(FileIO.monotonicNanoseconds() - start) / 1e9) }
        return try body()
    }
}

/// One function through the driver's steps, ready to be written.
public struct CompiledFunction<T: Target> {
    public var selected: T.Selected
    public var allocation: AllocationResult
    public var frame: T.Frame
    /// The order of each parallel copy's moves, as checked and as to be emitted.
    public var sequencer: ParallelCopySequencer
}

/// Why one function's compilation stopped.
struct StepFailure: Error {
    var messages: [String]
    var position: SourcePosition?
    init(_ messages: [String]) { self.messages = messages }
    init(_ e: SelectionError) {
        messages = [e.message]
        position = e.position
    }
}
