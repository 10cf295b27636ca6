// Contract: the frame-flow check of one emitted function. A forward
// dataflow over the line graph (FrameFlowGraph.swift) with the transfer of
// FrameFlowTransfer.swift, from `FrameState.entry`, to a fixed point; then
// every reachable line is judged on the state before it:
// - `ret`: each callee-saved register (rbx, rbp, r12–r15) holds the caller's
//   value, and %rsp is at its entry value;
// - `leave`: %rsp is where the prologue (`pushq %rbp; movq %rsp, %rbp;
//   subq $n, %rsp`) left it, unless a run-time allocation moved it;
// - `call`: %rsp is 16-byte aligned (entry %rsp ≡ 8 mod 16).

struct FrameFlowCheck {
    let function: FrameFlowFunction
    /// How many `ret` lines were reached and judged.
    private(set) var returns = 0
    private(set) var calls = 0
    private(set) var failures: [FrameFlowFailure] = []

    init(_ function: FrameFlowFunction) {
        self.function = function
        failures = function.problems
        let states = fixedPoint()
        let base = prologueStackPointer()
        for (i, l) in function.lines.enumerated() {
            guard let s = states[i], let m = l.mnemonic else { continue }
            judge(m, line: l.number, state: s, base: base)
        }
    }

    /// The state before each line (nil: unreachable).
    func fixedPoint() -> [FrameState?] {
        let lines = function.lines
        var before = [FrameState?](repeating: nil, count: lines.count)
        guard !lines.isEmpty else { return before }
        before[0] = .entry
        var work = [0]
        var queued = Set(work)
        while let i = work.popLast() {
            queued.remove(i)
            let out = before[i]!.after(lines[i])
            for j in function.successors[i] {
                let merged = before[j].map { $0.joined(out) } ?? out
                if merged != before[j] {
                    before[j] = merged
                    if queued.insert(j).inserted { work.append(j) }
                }
            }
        }
        return before
    }

    /// %rsp's entry-relative offset after the frame-pointer prologue, if the function starts with one.
    func prologueStackPointer() -> Int? {
        let code = function.lines.filter { $0.mnemonic != nil && $0.mnemonic != "endbr64" }
        guard code.count >= 2, code[0].text == "pushq %rbp", code[1].text == "movq %rsp, %rbp" else { return nil }
        if code.count > 2, code[2].mnemonic == "subq", code[2].rawOperands.last == "%rsp",
           let n = FrameState.immediate(code[2].rawOperands[0]) {
            return -8 - n
        }
        return -8
    }

    mutating func judge(_ m: String, line: Int, state s: FrameState, base: Int?) {
        let f = function.name
        switch m {
        case "ret":
            returns += 1
            for r in FrameState.calleeSaved where s[r] != .caller(r) {
                failures.append(.notRestored(function: f, line: line, register: r, holds: s[r]))
            }
            if s.rsp != .offset(0) { failures.append(.stackPointerAtReturn(function: f, line: line, found: s.rsp)) }
        case "leave":
            guard let base else { return }
            switch s.rsp {
            case .offset(base), .dynamic: break
            default: failures.append(.unbalancedAdjustments(function: f, line: line, expected: base, found: s.rsp))
            }
        case "call", "callq":
            calls += 1
            if s.rsp.mod16 != 8 { failures.append(.misalignedCall(function: f, line: line, found: s.rsp)) }
        default:
            break
        }
    }
}

/// Every function of an emitted module, checked.
struct FrameFlowReport {
    var functions = 0, returns = 0, calls = 0
    var failures: [FrameFlowFailure] = []

    init(assembly text: String) {
        for f in FrameFlowFunction.split(text) {
            let c = FrameFlowCheck(f)
            functions += 1
            returns += c.returns
            calls += c.calls
            failures += c.failures
        }
    }
}
