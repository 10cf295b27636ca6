// Contract: the frame check of one function's emitted code, read back by
// its target (EmittedCode.swift). A forward dataflow over the line graph
// (fall-through, branches to labels of the function, GNU local labels `1:`
// with `1f`/`1b`) from the entry state — every register holding its own
// entry value, the stack pointer at offset 0 — to a fixed point; then every
// reachable line is judged on the state before it:
// - a return: each callee-saved register holds its entry value, and the
//   stack pointer is at its entry value;
// - where the frame is torn down (`expectBodyStack`): the stack pointer is
//   where the prologue left it, unless a run-time allocation moved it;
// - a call: the stack pointer has the convention's alignment.
// Then the function's parallel copies are judged (EmittedCopyCheck.swift).

public struct EmittedCodeReport: Sendable {
    public var functions = 0, returns = 0, calls = 0, copies = 0
    public var failures: [EmittedCodeFailure] = []
    public init() {}

    public mutating func add(_ o: EmittedCodeReport) {
        functions += o.functions
        returns += o.returns
        calls += o.calls
        copies += o.copies
        failures += o.failures
    }
}

/// Every check of the emitted code of `f`.
public func checkEmittedCode(_ f: EmittedFunction, convention: EmittedConvention) -> EmittedCodeReport {
    var check = EmittedFrameCheck(f, convention: convention)
    check.run()
    return check.report
}

struct EmittedFrameCheck {
    let function: EmittedFunction
    let convention: EmittedConvention
    var report = EmittedCodeReport()
    /// Successor line indices of each line.
    var successors: [[Int]] = []

    init(_ f: EmittedFunction, convention: EmittedConvention) {
        function = f
        self.convention = convention
        report.functions = 1
        report.failures = f.problems
    }

    mutating func run() {
        buildGraph()
        let entries = fixedPoint()
        // One pass through each reachable block with its entry state: every
        // line judged, the state before each copy kept for the copy check.
        var copyStarts = Set(function.copies.map(\.lines.lowerBound))
        var beforeCopy: [Int: SymbolicState] = [:]
        for (b, entry) in entries.enumerated() {
            guard var s = entry else { continue }
            for i in blocks[b] {
                if copyStarts.remove(i) != nil { beforeCopy[i] = s }
                judge(function.lines[i], state: s)
                for e in function.lines[i].effects { s.apply(e) }
            }
        }
        report.failures += judgeCopies(function, before: beforeCopy, convention: convention)
        report.copies = function.copies.count
    }

    mutating func buildGraph() {
        let graph = function.graph
        successors = graph.successors
        report.failures += graph.problems
    }

    /// The function's lines cut into straight runs: a run starts at the first
    /// line, at a label, and after a line that does not simply fall through.
    var blocks: [Range<Int>] = []
    /// The run each line starts, if it starts one.
    var blockOfLeader: [Int: Int] = [:]

    /// The state on entry to each run (nil: unreachable), to a fixed point.
    mutating func fixedPoint() -> [SymbolicState?] {
        let lines = function.lines
        var start = 0
        for i in lines.indices where i > start && (lines[i].label != nil || lines[i - 1].flow != .next) {
            blocks.append(start..<i)
            start = i
        }
        if !lines.isEmpty { blocks.append(start..<lines.count) }
        for (b, r) in blocks.enumerated() { blockOfLeader[r.lowerBound] = b }
        var entry = [SymbolicState?](repeating: nil, count: blocks.count)
        guard !blocks.isEmpty else { return entry }
        entry[0] = SymbolicState(registerCount: convention.registerNames.count, stackPointer: convention.stackPointer)
        var work = [0]
        var queued = [Bool](repeating: false, count: blocks.count)
        queued[0] = true
        while let b = work.popLast() {
            queued[b] = false
            var out = entry[b]!
            for i in blocks[b] { for e in lines[i].effects { out.apply(e) } }
            for j in successors[blocks[b].upperBound - 1] {
                guard let t = blockOfLeader[j] else { continue }  // every successor starts a run
                let merged = entry[t].map { $0.joined(out) } ?? out
                if merged != entry[t] {
                    entry[t] = merged
                    if !queued[t] { queued[t] = true; work.append(t) }
                }
            }
        }
        return entry
    }

    mutating func judge(_ l: EmittedLine, state s: SymbolicState) {
        let f = function.name
        for e in l.effects {
            switch e {
            case .ret:
                report.returns += 1
                for r in convention.calleeSaved where s.register(r) != .initial(.register(r)) {
                    report.failures.append(.notRestored(function: f, line: l.number, register: r, holds: s.register(r)))
                }
                if s.stack != .offset(0) {
                    report.failures.append(.stackPointerAtReturn(function: f, line: l.number, found: s.stack))
                }
            case .expectBodyStack:
                guard let base = function.bodyStack else { continue }
                switch s.stack {
                case .offset(base), .dynamic: break
                default: report.failures.append(.unbalancedAdjustments(function: f, line: l.number, expected: base, found: s.stack))
                }
            case .call:
                report.calls += 1
                if s.stack.mod16 != convention.callStackResidue {
                    report.failures.append(.misalignedCall(function: f, line: l.number, found: s.stack))
                }
            default:
                break
            }
        }
    }
}

extension EmittedFunction {
    /// The successor line indices of each line, and the branches that go nowhere
    /// or lines that fall off the end.
    public var graph: (successors: [[Int]], problems: [EmittedCodeFailure]) {
        var labelIndex: [String: Int] = [:]
        for (i, l) in lines.enumerated() {
            if let n = l.label, !n.allSatisfy(\.isNumber) { labelIndex[n] = i }
        }
        var problems: [EmittedCodeFailure] = []
        let successors = lines.indices.map { i in
            let l = lines[i]
            func fallThrough() -> [Int] {
                if i + 1 < lines.count { return [i + 1] }
                problems.append(.fallsOffEnd(function: name, line: l.number))
                return []
            }
            switch l.flow {
            case .next: return fallThrough()
            case .stop: return []
            case .branch(let label, let conditional):
                guard let target = Self.resolve(label, from: i, in: lines, labelIndex) else {
                    problems.append(.unknownLabel(function: name, line: l.number, label: label))
                    return []
                }
                return conditional ? [target] + fallThrough() : [target]
            }
        }
        return (successors, problems)
    }

    /// The line index of `label` as seen from line `i` (GNU local labels included).
    static func resolve(_ label: String, from i: Int, in lines: [EmittedLine], _ labelIndex: [String: Int]) -> Int? {
        if label.count > 1, let dir = label.last, dir == "f" || dir == "b", label.dropLast().allSatisfy(\.isNumber) {
            let n = String(label.dropLast())
            let isLabel = { (k: Int) in lines[k].label == n }
            return dir == "f" ? (i + 1..<lines.count).first(where: isLabel) : (0..<i).last(where: isLabel)
        }
        return labelIndex[label]
    }
}
