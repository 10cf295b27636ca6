import Foundation
import KeelAnalysis
import KeelIR

/// The IL file at `url` parsed, in SSA form and verified (call/definition
/// mismatches allowed, as `keel il` allows them); nil if it is none of these.
func verifiedCorpusModule(at url: URL) -> Module? {
    guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
    var module = Module()
    do { try ILParser.parse(Array(data), fileName: url.lastPathComponent, into: &module) } catch { return nil }
    guard constructSSA(&module).isEmpty,
          !Verifier.verify(module, options: VerifierOptions(strictCallSignatures: false)).contains(where: \.isError)
    else { return nil }
    return module
}
