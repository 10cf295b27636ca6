import KeelInterp
import KeelIR

/// What a module's `$main` printed under the reference interpreter, and how
/// it ended ("status N" or "error …"): what tests of IR passes compare
/// before and after a pass.
public func interpretedOutcome(_ m: Module, _ name: String = "test") throws -> [String] {
    var interpreter = try Interpreter(module: m)
    interpreter.stepLimit = 100_000_000
    var out: [UInt8] = []
    let outcome: String
    do {
        outcome = "status \(try interpreter.run(arguments: [name], output: &out))"
    } catch {
        outcome = "error \(error)"
    }
    return [String(decoding: out, as: UTF8.self), outcome]
}
