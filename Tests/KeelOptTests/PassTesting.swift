import Foundation
import KeelAnalysis
import KeelInterp
import KeelIR
import KeelOpt
import KeelTestSupport
import Synchronization
import Testing

/// What the tests of an IR pass share: run it on IL text with the verifier
/// before and after, print the result, and interpret programs before and
/// after it.
enum PassTesting {
    static let options = VerifierOptions(strictCallSignatures: false)

    /// Parses `text`, builds SSA, verifies, applies `pass` to every
    /// function, verifies again; returns the module before and after.
    static func run(_ text: String, _ pass: (inout Function) -> Void,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> (before: Module, after: Module) {
        try runModule(text, { m in for i in m.functions.indices { pass(&m.functions[i]) } },
                sourceLocation: sourceLocation)
    }

    /// `run` for a pass over the whole module (inlining).
    static func runModule(_ text: String, _ pass: (inout Module) -> Void,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> (before: Module, after: Module) {
        var before = try Module(parsing: text)
        #expect(constructSSA(&before).isEmpty, sourceLocation: sourceLocation)
        #expect(Verifier.verify(before, options: options).filter(\.isError).isEmpty, sourceLocation: sourceLocation)
        var after = before
        pass(&after)
        let errors = Verifier.verify(after, options: options).filter(\.isError)
        #expect(errors.isEmpty, "not verifier-clean: \(errors)\n\(ILPrinter.print(after))", sourceLocation: sourceLocation)
        return (before, after)
    }

    /// The printed body of function `index` of `m`: its lines between the
    /// braces, stripped of indentation, so expectations read like IL.
    static func body(_ m: Module, _ index: Int = 0) -> String {
        let text = ILPrinter.print(m.functions[index], in: m)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.dropFirst().prefix { $0 != "}" }.joined(separator: "\n")
    }

    /// Runs `pass` on program `name` of the IL suite and checks that the
    /// result is verifier-clean and interprets to the same output and status.
    static func checkSuiteProgram(_ name: String, _ pass: (inout Function) -> Void,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        try checkSuiteModule(name, { m in for i in m.functions.indices { pass(&m.functions[i]) } },
                              sourceLocation: sourceLocation)
    }

    /// `checkSuiteProgram` for a pass over the whole module.
    static func checkSuiteModule(_ name: String, _ pass: (inout Module) -> Void,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        let source = try String(contentsOf: ILPrograms.directory.appendingPathComponent(name + ".ssa"), encoding: .utf8)
        var before = try Module(parsing: source, fileName: name + ".ssa")
        #expect(constructSSA(&before).isEmpty, sourceLocation: sourceLocation)
        // As the pipeline does: dead code first (a dead load of a symbol
        // nobody defines fails only before).
        eliminateDeadCode(&before)
        var after = before
        pass(&after)
        let errors = Verifier.verify(after, options: options).filter(\.isError)
        #expect(errors.isEmpty, "\(name): \(errors)", sourceLocation: sourceLocation)
        #expect(try interpretedOutcome(after, name) == outcomeBefore(before, name), "\(name)", sourceLocation: sourceLocation)
    }

    /// The outcome of program `name` before any pass, interpreted once per
    /// test process: every pass suite starts from the same module.
    private static func outcomeBefore(_ before: Module, _ name: String) throws -> [String] {
        if let known = outcomes.withLock({ $0[name] }) { return known }
        let outcome = try interpretedOutcome(before, name)
        outcomes.withLock { $0[name] = outcome }
        return outcome
    }

    private static let outcomes = Mutex<[String: [String]]>([:])
}
