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
        let states = fixedPoint()
        for (i, l) in function.lines.enumerated() {
            guard let s = states[i] else { continue }
            judge(l, state: s)
        }
        report.failures += judgeCopies(function, states: states, convention: convention)
        report.copies = function.copies.count
    }

    mutating func buildGraph() {
        let graph = function.graph
        successors = graph.successors
        report.failures += graph.problems
    }

    /// The state before each line (nil: unreachable).
    func fixedPoint() -> [SymbolicState?] {
        let lines = function.lines
        var before = [SymbolicState?](repeating: nil, count: lines.count)
        guard !lines.isEmpty else { return before }
        before[0] = SymbolicState(registerCount: convention.registerNames.count, stackPointer: convention.stackPointer)
        var work = [0]
        var queued = Set(work)
        while let i = work.popLast() {
            queued.remove(i)
            var out = before[i]!
            for e in lines[i].effects { out.apply(e) }
            for j in successors[i] {
                let merged = before[j].map { $0.joined(out) } ?? out
                if merged != before[j] {
                    before[j] = merged
                    if queued.insert(j).inserted { work.append(j) }
                }
            }
        }
        return before
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
