import Testing
@testable import KeelIR

/// Helpers shared by the IL parser and printer tests.

/// The diagnostic parsing `text` produces, or `nil` when it parses.
func parseDiagnostic(_ text: String) -> Diagnostic? {
    do {
        _ = try Module(parsing: text, fileName: "t.ssa")
        return nil
    } catch {
        return error
    }
}

/// Asserts that `text` fails with exactly `message` at `line:column`.
func expectDiagnostic(_ text: String, _ message: String, line: Int, column: Int,
                      sourceLocation: SourceLocation = #_sourceLocation) {
    guard let d = parseDiagnostic(text) else {
        Issue.record("expected error '\(message)', but the text parsed", sourceLocation: sourceLocation)
        return
    }
    #expect(d.message == message, sourceLocation: sourceLocation)
    #expect(d.position == SourcePosition(line: line, column: column), "\(d)", sourceLocation: sourceLocation)
    #expect(d.file == "t.ssa", sourceLocation: sourceLocation)
}

/// The single function of a module parsed from `text`.
func parseFunction(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (Module, Function) {
    let m = try Module(parsing: text)
    let f = try #require(m.functions.first, sourceLocation: sourceLocation)
    return (m, f)
}

/// Print, parse the printed text, print again: the two prints must agree.
/// Returns the first print.
@discardableResult
func expectFixedPoint(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let m = try Module(parsing: text)
    let printed = ILPrinter.print(m)
    let again: Module
    do {
        again = try Module(parsing: printed, fileName: "printed")
    } catch {
        Issue.record("printed text does not parse: \(error)\n\(printed)", sourceLocation: sourceLocation)
        return printed
    }
    #expect(ILPrinter.print(again) == printed, sourceLocation: sourceLocation)
    return printed
}

extension Function {
    /// A temporary by IL name.
    func temp(named name: String) -> Temp? {
        temps.firstIndex { $0.name == name }.map(Temp.init)
    }
    /// A block by label.
    func block(named label: String) -> BlockID? {
        blocks.firstIndex { $0.label == label }.map(BlockID.init)
    }
}
