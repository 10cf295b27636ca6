// Contract: every function of the IL program suite (ILPrograms, Tests/
// Programs/il) as the driver would emit it: parsed and verified
// (`verifiedCorpusModule`), selected, allocated with `X64Reg.sysV`, and laid
// out with `X64Frame(function:allocation:)`, with its module for the
// emitter. Programs that do not compile, and functions whose selection or
// allocation fails, are counted as skipped rather than hidden.
import Foundation
import KeelCodegen
import KeelIR
import KeelTestSupport
@testable import KeelX64

struct CopyTextFunction {
    let program: String
    let module: Module
    let fn: X64Function
    let alloc: AllocationResult
    let frame: X64Frame
}

enum CopyTextCorpus {
    static func load() -> (functions: [CopyTextFunction], skipped: [String]) {
        var functions: [CopyTextFunction] = []
        var skipped: [String] = []
        for name in ILPrograms.names() {
            let url = ILPrograms.directory.appendingPathComponent(name + ".ssa")
            guard let module = verifiedCorpusModule(at: url) else {
                skipped.append(name)
                continue
            }
            let abi = SysVABI(module: module)
            for f in module.functions {
                guard let selected = try? selectInstructions(f, in: module, abi: abi),
                      let a = try? allocateRegisters(selected.machine, registers: X64Reg.sysV) else {
                    skipped.append("\(name) $\(f.name)")
                    continue
                }
                functions.append(CopyTextFunction(program: name, module: module, fn: selected, alloc: a,
                                                  frame: X64Frame(function: selected, allocation: a)))
            }
        }
        return (functions, skipped)
    }
}
