import Foundation
import KeelAnalysis
import KeelDriver
import KeelIR

/// The IL file at `url` parsed and taken through `FrontHalf` up to
/// verification (call/definition mismatches allowed, as `keel il` allows
/// them); nil if it does not get that far.
func verifiedCorpusModule(at url: URL) -> Module? {
    guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
    var module = Module()
    do { try ILParser.parse(Array(data), fileName: url.lastPathComponent, into: &module) } catch { return nil }
    do {
        _ = try FrontHalf.run(&module, upTo: .verified, options: VerifierOptions(strictCallSignatures: false))
    } catch {
        return nil
    }
    return module
}
