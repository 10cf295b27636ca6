import KeelIR

@testable import KeelAnalysis

/// Parses IL text (file "t.ssa") and verifies it; returns the rendered
/// diagnostics, `file:line:col: error: message`, sorted by position.
func verifyIL(_ text: String, _ options: VerifierOptions = .init()) throws -> [String] {
    let module = try Module(parsing: text, fileName: "t.ssa")
    return Verifier.verify(module, options: options).map(\.description)
}

/// Parses IL text and returns the raw verification errors, in discovery order.
func verificationErrors(_ text: String, _ options: VerifierOptions = .init()) throws -> [VerificationError] {
    let module = try Module(parsing: text, fileName: "t.ssa")
    return Verifier.errors(module, options: options)
}
