import KeelCodegen
import KeelTestSupport
import Testing
@testable import KeelX64

/// Sequentialized parallel copies must give every destination its source's
/// original value, using only the scratch register of the class.
struct ParallelCopyTests {
    let intScratch = Location.reg(X64Reg.intScratch)
    let floatScratch = Location.reg(X64Reg.floatScratch)

    func sequence(_ moves: [(Location, Location)]) -> [(from: Location, to: Location)] {
        sequentializeParallelCopy(moves.map { (from: $0.0, to: $0.1) },
                                  classOf: { l in
                                      if case .reg(let r) = l { return X64Reg.isFloat(r) ? .float : .int }
                                      return .int
                                  },
                                  scratch: { $0 == .int ? intScratch : floatScratch })
    }

    /// Runs the moves on a symbolic machine where every location starts with its own name.
    func simulate(_ seq: [(from: Location, to: Location)]) -> [Location: Location] {
        var contents: [Location: Location] = [:]
        func read(_ l: Location) -> Location { contents[l] ?? l }
        for m in seq { contents[m.to] = read(m.from) }
        return contents
    }

    func check(_ moves: [(Location, Location)]) {
        let seq = sequence(moves)
        let result = simulate(seq)
        for (from, to) in moves { #expect(result[to] ?? to == from, "\(to) should hold \(from), moves \(seq)") }
        for m in seq {
            let written = m.to
            #expect(moves.contains { $0.1 == written } || written == intScratch || written == floatScratch,
                    "writes \(written), which is not a destination")
        }
    }

    func r(_ n: Int) -> Location { .reg(PReg(n)) }

    @Test func swapUsesScratchOnce() {
        let seq = sequence([(r(0), r(1)), (r(1), r(0))])
        #expect(seq.count == 3)
        #expect(seq.contains { $0.to == intScratch })
        check([(r(0), r(1)), (r(1), r(0))])
    }

    @Test func threeCycleAndChain() {
        check([(r(0), r(1)), (r(1), r(2)), (r(2), r(0)), (r(2), r(3)), (r(3), r(6))])
    }

    @Test func fanOutWithoutCycleNeedsNoScratch() {
        let moves = [(r(0), r(1)), (r(0), r(2)), (r(1), r(3))]
        let seq = sequence(moves)
        #expect(!seq.contains { $0.to == intScratch })
        check(moves)
    }

    @Test func cyclesThroughSpillSlotsAndFloats() {
        let s0 = Location.stack(SpillSlot(0)), s1 = Location.stack(SpillSlot(1))
        check([(s0, r(0)), (r(0), s0), (r(16), r(17)), (r(17), r(16)), (s1, r(2))])
    }

    @Test func randomPermutations() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<200 {
            let n = Int(rng.next() % 8) + 1
            var regs = Array(0..<10).filter { $0 != 11 && $0 != 4 && $0 != 5 }
            for i in stride(from: regs.count - 1, to: 0, by: -1) {
                regs.swapAt(i, Int(rng.next() % UInt64(i + 1)))
            }
            let dsts = Array(regs.prefix(n))
            let moves = dsts.map { d in (r(regs[Int(rng.next() % UInt64(regs.count))]), r(d)) }
            check(moves)
        }
    }
}
