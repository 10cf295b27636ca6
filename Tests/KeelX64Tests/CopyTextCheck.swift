// Contract: the production check of parallel copies (KeelCodegen/
// EmittedCopyCheck.swift) run on a function emitted whole by X64Writer with
// a given sequencer, and read back by X64ReadBack: the copy failures, the
// copies counted and classified (2+ moves, cycles, the mnemonics of their
// lines), and each copy's moves by program point. Also decides, on the
// abstract moves alone, whether running a copy in edit order would be wrong
// — the mutation test's independent oracle.
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

    /// Emits `fn` with `sequencer`, reads it back and judges its copies.
    static func run(_ fn: X64Function, _ alloc: AllocationResult, _ frame: X64Frame, module: Module,
                    sequencer: @escaping ParallelCopySequencer)
        -> (failures: [EmittedCodeFailure], counts: CopyTextCounts, points: [String: [Move]]) {
        var writer = X64Writer(module: module)
        writer.function(fn, alloc, frame, sequencer: sequencer)
        let (emitted, convention) = writer.readBackLastFunction()!
        let failures = checkEmittedCode(emitted, convention: convention).failures.filter { $0.copyPoint != nil }
        var counts = CopyTextCounts()
        var points: [String: [Move]] = [:]
        let groups = copies(alloc.edits)
        precondition(groups.count == emitted.copies.count, "one read-back copy per group of edits")
        for (copy, read) in zip(groups, emitted.copies) {
            precondition(read.point == copy.point.description && read.moves.count == copy.moves.count)
            for line in emitted.lines[read.lines] {
                if let m = line.mnemonic { counts.mnemonics[m, default: 0] += 1 }
            }
            counts.copies += 1
            if copy.moves.count >= 2 { counts.multiMove += 1 }
            if hasCycle(copy.moves) { counts.cyclic += 1 }
            points[read.point] = copy.moves
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
