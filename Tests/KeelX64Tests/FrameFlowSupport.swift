// Contract: test conveniences over the production emitted-code check
// (KeelCodegen/EmittedFrameCheck.swift with X64ReadBack): a module's text
// split into read-back functions, each checked; a line's mnemonic and
// operands as written.
import KeelCodegen
@testable import KeelX64

extension EmittedLine {
    var mnemonic: String? {
        guard label == nil else { return nil }
        return text.split(separator: " ", maxSplits: 1).first.map(String.init)
    }

    /// Whether the line leaves the function: `ret`, or a tail call's `jmp`
    /// to a symbol (not a `.L` label) or through %r10 (docs/il-extensions.md).
    var isFunctionExit: Bool {
        if mnemonic == "ret" { return true }
        guard mnemonic == "jmp", let target = rawOperands.first else { return false }
        return target == "*%r10" || !(target.hasPrefix(".L") || target.hasPrefix("*") || target.first?.isNumber == true)
    }

    /// The operands as written (AT&T order).
    var rawOperands: [String] {
        let parts = text.split(separator: " ", maxSplits: 1)
        return parts.count > 1 ? ModelLine.splitOperands(String(parts[1])) : []
    }
}

/// Every function of an emitted module, checked.
func checkEmittedText(_ text: String) -> EmittedCodeReport {
    var report = EmittedCodeReport()
    for f in X64ReadBack.functions(in: text) { report.add(checkEmittedCode(f, convention: X64ReadBack.convention)) }
    return report
}

/// The read-back function `name` of `text` and what the check reports on it.
func checkEmittedFunction(_ name: String, in text: String) -> (EmittedFunction, [EmittedCodeFailure]) {
    let f = X64ReadBack.functions(in: text).first { $0.name == name }!
    return (f, checkEmittedCode(f, convention: X64ReadBack.convention).failures)
}
