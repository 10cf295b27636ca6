// Contract: the IL suite's copies never move a frame cell to a frame cell,
// so the emitter's push/pop path is exercised here on synthetic copies: a
// real suite function with two spill slots of a class in distinct cells gets
// its edits replaced by cell swaps, mixed cell/register cycles and chains
// (one copy per program point), emitted through the real emitter with the
// driver's sequencer: no failure; in edit order, the wrong ones are reported.
import KeelCodegen
import Testing
@testable import KeelX64

struct CopyTextCellTests {
    /// Synthetic copies over two slots of `cls` in distinct cells and two registers of that class.
    static func copies(_ f: CopyTextFunction, _ cls: RegClass, _ r0: Int, _ r1: Int) -> [[CopyTextCheck.Move]]? {
        let slots = f.alloc.spillSlotClasses.indices.filter { f.alloc.spillSlotClasses[$0] == cls }
        guard let a = slots.first,
              let b = slots.first(where: { f.frame.spillOffsets[$0] != f.frame.spillOffsets[a] }) else { return nil }
        let sa = Location.stack(SpillSlot(index: UInt32(a))), sb = Location.stack(SpillSlot(index: UInt32(b)))
        let x = Location.reg(PReg(r0)), y = Location.reg(PReg(r1))
        return [[(sa, sb), (sb, sa)],
                [(sa, sb), (sb, x), (x, sa)],
                [(sa, sb), (x, sa)],
                [(sa, sb), (sa, x), (y, sa), (x, y)],
                [(sb, sa)]]
    }

    static func run(_ cls: RegClass, _ r0: Int, _ r1: Int, sequencer: ((CopyTextFunction) -> ParallelCopySequencer))
        -> (checked: CopyTextCounts, failures: [EmittedCodeFailure], wrongInEditOrder: Int)? {
        for f in CopyTextCorpus.load().functions {
            guard let copies = copies(f, cls, r0, r1), f.fn.machine.instructions.count >= copies.count else { continue }
            var alloc = f.alloc
            alloc.edits = copies.enumerated().flatMap { k, moves in
                moves.map { Edit(at: ProgramPoint(before: MInst(index: UInt32(k))), from: $0.from, to: $0.to,
                                 vreg: VReg(index: 0)) }
            }
            let r = CopyTextCheck.run(f.fn, alloc, f.frame, module: f.module, sequencer: sequencer(f))
            for e in r.failures { print("  \(cls) cells: " + e.message(X64ReadBack.convention)) }
            return (r.counts, r.failures, copies.filter(CopyTextCheck.editOrderIsWrong).count)
        }
        return nil
    }

    @Test(arguments: [(RegClass.int, 0, 1), (RegClass.float, 16, 17)])
    func cellCopiesMeanTheirMoves(_ cls: RegClass, _ r0: Int, _ r1: Int) throws {
        let driver = try #require(Self.run(cls, r0, r1) {
            emitterCopySequencer(registers: X64Reg.sysV, spillSlotClasses: $0.alloc.spillSlotClasses)
        })
        #expect(driver.checked.copies == 5)
        #expect(driver.checked.mnemonics["pushq", default: 0] > 0)
        #expect(driver.failures.isEmpty)
        let editOrder = try #require(Self.run(cls, r0, r1) { _ in { _, moves in moves } })
        let reported = Set(editOrder.failures.compactMap(\.copyPoint)).count
        print("parallel-copy text, \(cls) cells, synthetic: \(driver.checked) pass; edit order: "
              + "\(reported) reported, \(editOrder.wrongInEditOrder) wrong by the oracle")
        #expect(reported == editOrder.wrongInEditOrder && reported > 0)
    }
}
