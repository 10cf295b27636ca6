// Contract: checks the text the real emitter writes for each parallel copy
// of an allocated function against the copy's meaning. Each program point
// with edits is emitted alone (`X64Emitter.emitParallelCopy` on a fresh
// writer, with the sequencer given), read by `CopyTextMachine`, and judged:
// every destination must end holding its source's original symbol, and every
// place the text wrote that is not a destination must end unchanged, except
// the scratch registers r11 and xmm15 and rsp; the private push/pop stack
// must end empty. Spill slots are frame cells through `frame.spillOffsets`
// (slots sharing a cell are one place). Also classifies copies (2+ moves,
// cycles) and decides, on the abstract moves alone, whether running a copy
// in edit order would be wrong — the mutation test's independent oracle.
import KeelCodegen
import KeelIR
@testable import KeelX64

struct CopyTextCounts: CustomStringConvertible {
    var copies = 0, multiMove = 0, cyclic = 0
    /// Lines of the emitted copies by mnemonic.
    var mnemonics: [String: Int] = [:]
    var description: String {
        let lines = mnemonics.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "\(copies) copies (\(multiMove) with 2+ moves, \(cyclic) with cycles; lines: \(lines))"
    }

    mutating func add(_ o: CopyTextCounts) {
        copies += o.copies
        multiMove += o.multiMove
        cyclic += o.cyclic
        mnemonics.merge(o.mnemonics, uniquingKeysWith: +)
    }
}

enum CopyTextCheck {
    typealias Move = (from: Location, to: Location)

    /// Places a copy may overwrite without being asked to.
    static let exempt: Set<CopyPlace> = [.reg(.r11), .reg(.xmm(15)), .reg(.rsp)]

    static func place(_ l: Location, _ spillOffsets: [Int32]) -> CopyPlace {
        switch l {
        case .reg(let r): return .reg(ModelRegister(r))
        case .stack(let s): return .cell(Int(spillOffsets[Int(s.index)]))
        }
    }

    /// The moves of each program point with edits, in edit order (edits are sorted by point).
    static func copies(_ edits: [Edit]) -> [(point: ProgramPoint, first: Int, moves: [Move])] {
        var out: [(point: ProgramPoint, first: Int, moves: [Move])] = []
        for (i, e) in edits.enumerated() {
            if let last = out.last, last.point == e.point {
                out[out.count - 1].moves.append((e.from, e.to))
            } else {
                out.append((e.point, i, [(e.from, e.to)]))
            }
        }
        return out
    }

    /// The emitted text of one copy judged against its moves.
    static func judge(text: String, moves: [Move], spillOffsets: [Int32], function: String,
                      point: ProgramPoint) -> [CopyTextFailure] {
        var expected: [CopyPlace: CopySymbol] = [:]
        for m in moves {
            let to = place(m.to, spillOffsets), want = CopySymbol(origin: place(m.from, spillOffsets))
            if let other = expected[to], other != want {
                return [.conflictingDestinations(function: function, point: point, place: to,
                                                 sources: [other.origin, want.origin])]
            }
            expected[to] = want
        }
        var machine = CopyTextMachine()
        for line in text.split(separator: "\n") where !line.allSatisfy(\.isWhitespace) {
            if !machine.run(String(line)) {
                return [.unreadableLine(function: function, point: point, line: String(line))]
            }
        }
        var failures: [CopyTextFailure] = []
        if !machine.stack.isEmpty {
            failures.append(.unbalancedStack(function: function, point: point, pending: machine.stack.count))
        }
        for (p, want) in expected.sorted(by: { $0.key < $1.key }) where machine.value(p) != want {
            failures.append(.wrongDestination(function: function, point: point, place: p, expected: want,
                                              found: machine.value(p)))
        }
        for p in machine.written.sorted() where expected[p] == nil && !exempt.contains(p) {
            let keep = CopySymbol(origin: p)
            if machine.value(p) != keep {
                failures.append(.clobbered(function: function, point: point, place: p, expected: keep,
                                           found: machine.value(p)))
            }
        }
        return failures
    }

    /// Emits every copy of `fn` alone with `sequencer` and judges its text.
    static func run(_ fn: X64Function, _ alloc: AllocationResult, _ frame: X64Frame, module: Module,
                    sequencer: @escaping ParallelCopySequencer)
        -> (failures: [CopyTextFailure], counts: CopyTextCounts, points: [ProgramPoint: [Move]]) {
        var emitter = X64Emitter(fn: fn, alloc: alloc, frame: frame, module: module, id: 0, fileNumber: 0,
                                 sequencer: sequencer)
        var failures: [CopyTextFailure] = []
        var counts = CopyTextCounts()
        var points: [ProgramPoint: [Move]] = [:]
        for copy in copies(alloc.edits) {
            emitter.out = AssemblyWriter()
            let next = emitter.emitParallelCopy(alloc.edits, from: copy.first)
            precondition(next == copy.first + copy.moves.count, "emitParallelCopy consumed a different group")
            failures += judge(text: emitter.out.text, moves: copy.moves, spillOffsets: frame.spillOffsets,
                              function: fn.name,
                              point: copy.point)
            for line in emitter.out.text.split(separator: "\n") {
                if let m = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first {
                    counts.mnemonics[String(m), default: 0] += 1
                }
            }
            counts.copies += 1
            if copy.moves.count >= 2 { counts.multiMove += 1 }
            if hasCycle(copy.moves) { counts.cyclic += 1 }
            points[copy.point] = copy.moves
        }
        return (failures, counts, points)
    }

    /// Whether the copy's moves (self-moves aside) form a cycle: removing, as
    /// long as one exists, a move whose destination no remaining move reads
    /// leaves moves behind.
    static func hasCycle(_ moves: [Move]) -> Bool {
        var rest = moves.filter { $0.from != $0.to }
        while let k = rest.firstIndex(where: { m in !rest.contains { $0.from == m.to } }) { rest.remove(at: k) }
        return !rest.isEmpty
    }

    /// Whether running the moves one after another in edit order leaves a
    /// destination without its source's original value (abstract locations).
    static func editOrderIsWrong(_ moves: [Move]) -> Bool {
        var contents: [Location: Location] = [:]
        for m in moves { contents[m.to] = contents[m.from] ?? m.from }
        return moves.contains { (contents[$0.to] ?? $0.to) != $0.from }
    }
}
