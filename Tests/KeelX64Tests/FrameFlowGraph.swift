// Contract: the emitted text of a module split into functions (from the
// label after `.type NAME, @function` to `.size NAME`), each line parsed by
// the independent operand model (OperandModelInstructions.swift), and the
// control-flow graph of those lines: fall-through, jmp/jcc to `.L…` labels
// of the same function, GNU local numeric labels (`1:` with `1f`/`1b`), and
// no successor after ret, ud2 or hlt. Line numbers are 1-based positions in
// the whole emitted text.

/// One line of a function, parsed.
struct FrameFlowLine {
    let number: Int
    let text: String
    let parsed: ModelLine
    let effect: ModelEffect
    /// The operands as written (AT&T order), for frame addresses and immediates.
    let rawOperands: [String]

    var mnemonic: String? {
        if case .instruction(let m, _) = parsed { return m }
        return nil
    }
}

/// One function of the emitted text and the graph of its lines.
struct FrameFlowFunction {
    let name: String
    var lines: [FrameFlowLine] = []
    /// Successor line indices of each line.
    var successors: [[Int]] = []
    /// Problems found while building the graph (unparsable lines, unknown labels, falling off the end).
    var problems: [FrameFlowFailure] = []

    /// Every function of `text`, in order.
    static func split(_ text: String) -> [FrameFlowFunction] {
        var functions: [FrameFlowFunction] = []
        var pendingName: String?
        var current: FrameFlowFunction?
        for (k, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingWhitespace()
            if var f = current {
                if line.hasPrefix(".size ") {
                    f.buildGraph()
                    functions.append(f)
                    current = nil
                } else {
                    f.append(number: k + 1, text: line)
                    current = f
                }
            } else if line.hasPrefix(".type "), line.hasSuffix(", @function") {
                pendingName = String(line.dropFirst(6).dropLast(11))
            } else if let name = pendingName, line == name + ":" {
                current = FrameFlowFunction(name: name)
                pendingName = nil
            }
        }
        return functions
    }

    mutating func append(number: Int, text: String) {
        if text.isEmpty { return }
        do {
            let parsed = try ModelLine.parse(text)
            var effect = ModelEffect()
            var raw: [String] = []
            if case .instruction(let m, let ops) = parsed {
                effect = try ModelEffect(mnemonic: m, operands: ops)
                let parts = text.split(separator: " ", maxSplits: 1)
                raw = parts.count > 1 ? ModelLine.splitOperands(String(parts[1])) : []
            }
            lines.append(FrameFlowLine(number: number, text: text, parsed: parsed, effect: effect, rawOperands: raw))
        } catch {
            problems.append(.unmodelled(function: name, line: number, text: text, reason: error.description))
        }
    }

    mutating func buildGraph() {
        var labelIndex: [String: Int] = [:]
        for (i, l) in lines.enumerated() {
            if case .label(let n) = l.parsed, !n.allSatisfy(\.isNumber) { labelIndex[n] = i }
        }
        successors = lines.indices.map { i in
            let l = lines[i]
            func fallThrough() -> [Int] {
                if i + 1 < lines.count { return [i + 1] }
                problems.append(.fallsOffEnd(function: name, line: l.number))
                return []
            }
            if case .instruction(let m, let ops) = l.parsed, m.hasPrefix("j"), ops.count == 1, case .indirect = ops[0] {
                problems.append(.unmodelled(function: name, line: l.number, text: l.text, reason: "indirect jump"))
                return []
            }
            switch l.effect.flow {
            case .next: return fallThrough()
            case .stop: return []
            case .branch(let label, let conditional):
                guard let target = resolve(label, from: i, labelIndex) else {
                    problems.append(.unknownLabel(function: name, line: l.number, label: label))
                    return []
                }
                return conditional ? [target] + fallThrough() : [target]
            }
        }
    }

    /// The line index of `label` as seen from line `i` (GNU local labels included).
    func resolve(_ label: String, from i: Int, _ labelIndex: [String: Int]) -> Int? {
        if label.count > 1, let dir = label.last, dir == "f" || dir == "b", label.dropLast().allSatisfy(\.isNumber) {
            let n = String(label.dropLast())
            func isLabel(_ k: Int) -> Bool { if case .label(n) = lines[k].parsed { return true }; return false }
            return dir == "f" ? (i + 1..<lines.count).first(where: isLabel) : (0..<i).last(where: isLabel)
        }
        return labelIndex[label]
    }
}
