// Contract: register placements for checking operand descriptions, and the
// text the real emitter prints for each machine instruction on its own.
//
// `distinct` places every operand of every instruction in its own register:
// a fixed operand in its register, a reuse def in its use's register, any
// other operand in a register of its class that no other operand of the same
// instruction holds (never rsp, rbp or the scratch registers r11/xmm15). It
// is a placement per instruction, not an allocation of the function (values
// are not carried between instructions): the emitter reads only the
// operands' registers, and distinct registers make every read and write of
// the text attributable to one operand. `reversed` takes the pools from the
// other end, for a second, different placement.
//
// `texts` prints each instruction through `X64Emitter.emitInstruction`
// alone: no prologue, no allocator moves, no callee-saved restores (the
// frame is item 2's business), `.loc` with file number 1.
import KeelCodegen
import KeelIR
@testable import KeelX64

enum OperandPlacement {
    /// Allocatable registers per class (encoding numbers), without rsp, rbp, r11, xmm15.
    static let intPool: [PReg] = [0, 1, 2, 3, 6, 7, 8, 9, 10, 12, 13, 14, 15].map { PReg($0) }
    static let floatPool: [PReg] = (16..<31).map { PReg($0) }

    static func distinct(_ mf: MachineFunction<X64Inst>, reversed: Bool = false) -> AllocationResult {
        var locations = [Location](repeating: .reg(intPool[0]), count: mf.operands.count)
        for inst in mf.instructions {
            let range = inst.operandRange
            var taken = Set<PReg>()
            var placed = [PReg?](repeating: nil, count: range.count)
            for (k, n) in range.enumerated() {
                if case .fixed(let r) = mf.operands[n].constraint {
                    placed[k] = r
                    taken.insert(r)
                }
            }
            for (k, n) in range.enumerated() where placed[k] == nil {
                if case .reuse = mf.operands[n].constraint { continue }
                let pool = mf.vregClasses[mf.operands[n].vreg.int] == .float ? floatPool : intPool
                let r = (reversed ? pool.reversed() : pool).first { !taken.contains($0) }!
                placed[k] = r
                taken.insert(r)
            }
            for (k, n) in range.enumerated() {
                if case .reuse(let u) = mf.operands[n].constraint { placed[k] = placed[u] }
                locations[n] = .reg(placed[k]!)
            }
        }
        return AllocationResult(operandLocations: locations,
                                blockParamLocations: mf.blocks.map { $0.params.map { _ in .reg(intPool[0]) } },
                                edits: [], spillSlotClasses: [], usedCalleeSaved: .empty)
    }

    /// The text of every instruction of `fn` (indexed like `fn.machine.instructions`).
    static func texts(_ fn: X64Function, _ allocation: AllocationResult, module: Module) -> [String] {
        var a = allocation
        a.usedCalleeSaved = .empty
        var e = X64Emitter(fn: fn, alloc: a, frame: X64Frame(function: fn, allocation: a), module: module,
                           id: 0, fileNumber: 1)
        var texts = [String](repeating: "", count: fn.machine.instructions.count)
        for (b, block) in fn.machine.blocks.enumerated() {
            for i in block.instructions {
                e.out = AssemblyWriter()
                e.emitInstruction(i, block: b)
                texts[i] = e.out.text
            }
        }
        return texts
    }

    /// Every instruction of `fn` under `allocation`, compared with its emitted text.
    static func mismatches(_ fn: X64Function, _ allocation: AllocationResult, module: Module)
        -> [(instruction: Int, text: String, mismatches: [OperandMismatch])] {
        let texts = texts(fn, allocation, module: module)
        return fn.machine.instructions.indices.map { i in
            (i, texts[i], compareOperands(DeclaredInstruction(fn.machine, allocation, instruction: i), emitted: texts[i]))
        }
    }
}
