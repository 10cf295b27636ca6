// A toy second target, kept in the tests to prove that `Target`
// (KeelCodegen/Target.swift) is an interface and not x86-64 in disguise:
// `CodeGenerator<ToyILTarget>` compiles IL through the very same driver
// steps as `X64Target` (ABI lowering, selection, register allocation,
// spill-slot sharing, frame layout, the allocation checker, emission).
//
// The machine: integer registers r0–r5 (r0–r2 caller-saved, the argument
// registers in order, r0 also the result; r3–r5 callee-saved), float
// registers f0–f3 (f0, f1 caller-saved, f2, f3 callee-saved: no float
// instruction is selected, they give the register file its second class),
// one scratch register per class (rs, fs) that the allocator never hands out,
// and per call a frame of 8-byte cells: the spill cells, then one save cell
// per callee-saved register the function writes. Registers hold 64 bits; a
// `w` result is written zero-extended and a `w` operand is read from the low
// 32 bits, the reference interpreter's convention.
//
// This file: the register file, the instruction payload, ABI lowering, the
// frame and the `Target` conformance. Selection is ToyILSelector.swift, the
// listing ToyILWriter.swift, the machine that runs it ToyILExecutor.swift.
import KeelCodegen
import KeelIR

// MARK: registers

enum ToyILRegisters {
    static let r0 = PReg(0), r1 = PReg(1), r2 = PReg(2), r3 = PReg(3), r4 = PReg(4), r5 = PReg(5)
    static let integerScratch = PReg(6)
    static let f0 = PReg(7), f1 = PReg(8), f2 = PReg(9), f3 = PReg(10)
    static let floatScratch = PReg(11)

    static let names = ["r0", "r1", "r2", "r3", "r4", "r5", "rs", "f0", "f1", "f2", "f3", "fs"]
    static let count = names.count

    static let argumentRegisters = [r0, r1, r2]
    static let resultRegister = r0
    /// What a call may overwrite (its clobber set): the caller-saved registers and the scratch ones.
    static let callerSaved = RegSet([r0, r1, r2, integerScratch, f0, f1, floatScratch])
    static let calleeSaved = [r3, r4, r5, f2, f3]

    static let file = RegisterFile(
        allocatableByClass: [[r0, r1, r2, r3, r4, r5], [f0, f1, f2, f3]],
        callerSaved: callerSaved,
        classes: (0..<count).map { $0 < 7 ? .int : .float },
        names: names,
        scratchByClass: [integerScratch, floatScratch])
}

// MARK: the instruction set

/// The width an integer operation works in: `w` reads 32 bits and writes
/// them zero-extended, `l` all 64.
enum ToyWidth: String, Hashable, Sendable {
    case w, l

    init?(_ type: BaseType) {
        switch type {
        case .w: self = .w
        case .l: self = .l
        case .s, .d, .r: return nil
        }
    }
}

/// Two-operand integer operations, named as in the IL.
enum ToyBinaryOperation: String, Hashable, Sendable, CaseIterable {
    case add, sub, mul, div, udiv, rem, urem, and, or, xor, sar, shr, shl
}

/// Integer comparisons, named as in the IL without the leading `c` and the width.
enum ToyComparison: String, Hashable, Sendable, CaseIterable {
    case eq, ne, slt, sle, sgt, sge, ult, ule, ugt, uge

    /// `csltw` → (`.slt`, `.w`); nil for float comparisons (`clts`, `ceqd`, ...).
    static func of(_ op: Opcode) -> (ToyComparison, ToyWidth)? {
        let name = op.name
        guard op.isComparison, let last = name.last, let width = ToyWidth(rawValue: String(last)),
              let c = ToyComparison(rawValue: String(name.dropFirst().dropLast())) else { return nil }
        return (c, width)
    }
}

/// The IL's `ext*` conversions.
enum ToyExtension: String, Hashable, Sendable, CaseIterable {
    case extsb, extub, extsh, extuh, extsw, extuw
}

/// The toy target's machine instruction payload. Operands, in this order:
/// defs first, then uses (see each case).
enum ToyILInstruction: Hashable, Sendable {
    /// Defs: the parameters, each fixed to its argument register.
    case parameters
    /// Def: the constant (already truncated to its width).
    case loadImmediate(Int64)
    /// Def, use a, use b.
    case binary(ToyBinaryOperation, ToyWidth)
    /// Def, use a, use b; the width is the operands'; the result is 0 or 1.
    case compare(ToyComparison, ToyWidth)
    /// Def, use.
    case negate(ToyWidth)
    /// Def, use: the value truncated to the width.
    case copy(ToyWidth)
    /// Def, use; the width is the result's.
    case extend(ToyExtension, result: ToyWidth)
    /// Uses: the arguments fixed to the argument registers; def: the result
    /// fixed to r0, if used. Clobbers the caller-saved registers.
    case call(callee: String)
    /// Terminators: `jump` to the only successor; `branchIfNonZero` (use:
    /// a `w` condition) to the first successor or the second; `ret` (use: the
    /// result fixed to r0, if any); `halt` stops the program.
    case jump, branchIfNonZero, ret, halt
}

// MARK: ABI lowering

/// Module-wide facts: which symbols are functions of the module (the only
/// ones the toy machine can call).
struct ToyILModuleABI {
    var definedFunctions: Set<SymbolID>
}

/// Where one function's boundary values go: parameters and each call's
/// arguments in r0, r1, r2 in order, results in r0. There is no stack
/// passing: a fourth argument is a `SelectionError`.
struct ToyILBoundary {
    var parameterRegisters: [PReg]
    var returnWidth: ToyWidth?
    /// Indexed by `CallID`: the argument registers of each call.
    var callArgumentRegisters: [[PReg]]
}

func lowerToyABI(_ f: Function) throws(SelectionError) -> ToyILBoundary {
    func fail(_ position: SourcePosition, _ message: String) -> SelectionError {
        SelectionError(position: position, message: message)
    }
    func width(_ t: ABIType, _ what: String, at position: SourcePosition) throws(SelectionError) -> ToyWidth {
        guard case .base(let b) = t, let w = ToyWidth(b) else {
            throw fail(position, "the toy ABI passes only w and l values, not the \(what)'s type")
        }
        return w
    }
    func registers(count: Int, _ what: String, at position: SourcePosition) throws(SelectionError) -> [PReg] {
        let available = ToyILRegisters.argumentRegisters
        guard count <= available.count else {
            throw fail(position, "\(what) \(count) values: the toy ABI passes at most \(available.count), in registers (no stack arguments)")
        }
        return Array(available.prefix(count))
    }

    if f.isVariadic { throw fail(f.position, "the toy ABI has no variadic functions") }
    if f.env != nil { throw fail(f.position, "the toy ABI has no environment parameter") }
    for p in f.parameters { _ = try width(p.type, "parameter", at: p.position) }
    let parameters = try registers(count: f.parameters.count, "the function takes", at: f.position)
    let returnWidth = try f.returnType.map { (t) throws(SelectionError) in try width(t, "result", at: f.position) }

    // Call sites carry no position: find each one's instruction for it.
    var callRegisters = [[PReg]](repeating: [], count: f.calls.count)
    for block in f.blocks {
        for ins in block.instructions where ins.op == .call && Int(ins.extra) < f.calls.count {
            let site = f.calls[Int(ins.extra)]
            if site.variadicStart != nil { throw fail(ins.position, "the toy ABI has no variadic calls") }
            if !site.env.isNone { throw fail(ins.position, "the toy ABI has no environment argument") }
            for a in site.arguments { _ = try width(a.type, "argument", at: ins.position) }
            if let t = site.returnType { _ = try width(t, "result", at: ins.position) }
            callRegisters[Int(ins.extra)] = try registers(count: site.arguments.count, "the call passes",
                                                          at: ins.position)
        }
    }
    return ToyILBoundary(parameterRegisters: parameters, returnWidth: returnWidth,
                         callArgumentRegisters: callRegisters)
}

// MARK: frame

/// One activation's cells: the spill cells (`SpillSlotSharing`'s colouring,
/// slots never live at once share one), then a save cell for each
/// callee-saved register the function writes.
struct ToyILFrame: Sendable {
    var cellOfSpillSlot: [Int32]
    var spillCellCount: Int
    var savedRegisters: [PReg]

    var cellCount: Int { spillCellCount + savedRegisters.count }
    func saveCell(_ k: Int) -> Int { spillCellCount + k }

    init(allocation: AllocationResult, spillSlots: SpillSlotSharing) {
        cellOfSpillSlot = spillSlots.cellOfSlot
        spillCellCount = spillSlots.cellCount
        savedRegisters = ToyILRegisters.calleeSaved.filter { allocation.usedCalleeSaved.contains($0) }
    }

    /// What the allocation checker does not see: each spill slot has a cell
    /// inside the frame, and every callee-saved register the function writes
    /// (by a def or a move) has a save cell, so the
    /// caller finds it unchanged. One message per failure.
    func check(_ machine: MachineFunction<ToyILInstruction>, _ allocation: AllocationResult) -> [String] {
        var failures: [String] = []
        for slot in 0..<allocation.spillSlotClasses.count {
            let cell = slot < cellOfSpillSlot.count ? Int(cellOfSpillSlot[slot]) : -1
            if !(0..<spillCellCount).contains(cell) {
                failures.append("frame check failed in $\(machine.name): spill slot ss\(slot) has no cell")
            }
        }
        var written = RegSet()
        for (k, op) in machine.operands.enumerated() where op.kind == .def {
            if case .reg(let r) = allocation.operandLocations[k] { written.insert(r) }
        }
        for e in allocation.edits { if case .reg(let r) = e.to { written.insert(r) } }
        for r in ToyILRegisters.calleeSaved where written.contains(r) && !savedRegisters.contains(r) {
            failures.append("frame check failed in $\(machine.name): callee-saved \(ToyILRegisters.names[Int(r.number)]) is written but not saved")
        }
        return failures
    }
}

// MARK: the target

/// A selected toy function.
struct ToyILFunction: SelectedFunction {
    var machine: MachineFunction<ToyILInstruction>
    var name: String
}

struct ToyILTarget: Target {
    var names: [String] { ["toy"] }
    var registers: RegisterFile { ToyILRegisters.file }

    func moduleABI(_ module: Module) -> ToyILModuleABI {
        ToyILModuleABI(definedFunctions: Set(module.functions.map(\.name)))
    }

    func lowerABI(_ f: Function, _ abi: ToyILModuleABI) throws(SelectionError) -> ToyILBoundary {
        try lowerToyABI(f)
    }

    func select(_ f: Function, in module: Module, abi: ToyILModuleABI, boundary: ToyILBoundary)
        throws(SelectionError) -> ToyILFunction {
        var selector = ToyILSelector(f, in: module, abi: abi, boundary: boundary)
        return try selector.run()
    }

    func layoutFrame(_ s: ToyILFunction, _ allocation: AllocationResult, spillSlots: SpillSlotSharing) -> ToyILFrame {
        ToyILFrame(allocation: allocation, spillSlots: spillSlots)
    }

    func spillCells(_ frame: ToyILFrame) -> [Int32] { frame.cellOfSpillSlot }

    func checkFrame(_ s: ToyILFunction, _ allocation: AllocationResult, _ frame: ToyILFrame) -> [String] {
        frame.check(s.machine, allocation)
    }

    func makeWriter(for module: Module) -> ToyILWriter { ToyILWriter(module: module) }
}
