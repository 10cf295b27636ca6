import KeelCodegen
@testable import KeelX64

// Contract: edits of emitted assembly text that plant frame bugs, for the
// mutation tests of the frame-flow check. Each finds its site in one
// function (by the function's parsed lines) and returns the altered text
// with the 1-based line numbers the check should report at. Nothing here
// touches the emitter: the text is altered after it was written.

enum FrameFlowMutation {
    static let calleeSavedNames: Set<String> = ["%rbx", "%rbp", "%r12", "%r13", "%r14", "%r15"]

    /// Lines of `text` (1-based access by `lines[n - 1]`).
    static func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// The prologue's callee-saved stores of `f`: (line number, register, entry-relative cell) of each
    /// `movq %reg, OFF(%rbp)` right after `pushq %rbp; movq %rsp, %rbp; subq $n, %rsp`.
    static func prologueSaves(_ f: EmittedFunction) -> [(line: Int, register: ModelRegister, cell: Int)] {
        let code = f.lines.filter { $0.mnemonic != nil && $0.mnemonic != "endbr64" }
        guard code.count > 3, code[0].text == "pushq %rbp", code[1].text == "movq %rsp, %rbp",
              code[2].mnemonic == "subq" else { return [] }
        var saves: [(Int, ModelRegister, Int)] = []
        for l in code.dropFirst(3) {
            guard l.mnemonic == "movq", l.rawOperands.count == 2, calleeSavedNames.contains(l.rawOperands[0]),
                  l.rawOperands[1].hasSuffix("(%rbp)"), let r = ModelRegister.named(l.rawOperands[0].dropFirst()),
                  let offset = Int(l.rawOperands[1].dropLast(6)) else { break }
            saves.append((l.number, r, -8 + offset))  // %rbp is entry − 8
        }
        return saves
    }

    /// The restores before the first `leave; ret` of `f` that has at least two:
    /// (line, offset text, register) of each `movq OFF(%rbp), %reg`, and the ret's line.
    static func firstEpilogue(_ f: EmittedFunction) -> (restores: [(line: Int, offset: String, register: String)], ret: Int)? {
        for (i, l) in f.lines.enumerated() where l.text == "leave" && i + 1 < f.lines.count && f.lines[i + 1].text == "ret" {
            var restores: [(Int, String, String)] = []
            var k = i - 1
            while k >= 0, f.lines[k].mnemonic == "movq", f.lines[k].rawOperands.count == 2,
                  f.lines[k].rawOperands[0].hasSuffix("(%rbp)"), calleeSavedNames.contains(f.lines[k].rawOperands[1]) {
                let o = f.lines[k].rawOperands
                restores.insert((f.lines[k].number, String(o[0].dropLast(6)), o[1]), at: 0)
                k -= 1
            }
            if restores.count >= 2 { return (restores, f.lines[i + 1].number) }
        }
        return nil
    }

    /// `addq $n, %rsp` lines of `f` that follow a call in the same straight run of code.
    static func stackArgumentPops(_ f: EmittedFunction) -> [Int] {
        var found: [Int] = []
        var sawCall = false
        for l in f.lines {
            if l.label != nil { sawCall = false }
            guard let m = l.mnemonic else { continue }
            if m == "call" { sawCall = true; continue }
            if m == "addq", sawCall, l.rawOperands.count == 2, l.rawOperands[1] == "%rsp",
               X64ReadBack.immediate(l.rawOperands[0]) != nil {
                found.append(l.number)
                sawCall = false
            }
            if l.flow != .next { sawCall = false }
        }
        return found
    }

    /// `text` without line `n`.
    static func removing(line n: Int, from text: String) -> String {
        var ls = lines(text)
        ls.remove(at: n - 1)
        return ls.joined(separator: "\n")
    }

    /// `text` with the two restore lines' offsets exchanged.
    static func swappingOffsets(_ a: (line: Int, offset: String, register: String),
                                _ b: (line: Int, offset: String, register: String), in text: String) -> String {
        var ls = lines(text)
        let indent = ls[a.line - 1].prefix { $0 == " " || $0 == "\t" }
        ls[a.line - 1] = "\(indent)movq \(b.offset)(%rbp), \(a.register)"
        ls[b.line - 1] = "\(indent)movq \(a.offset)(%rbp), \(b.register)"
        return ls.joined(separator: "\n")
    }

    /// Line indices of `f` reachable from line index `start`.
    static func reachable(in f: EmittedFunction, from start: Int) -> Set<Int> {
        var seen: Set<Int> = [start], work = [start]
        let successors = f.graph.successors
        while let i = work.popLast() {
            for j in successors[i] where seen.insert(j).inserted { work.append(j) }
        }
        return seen
    }
}
