import KeelFuzz
import KeelTestSupport
import Testing
@testable import KeelIR

/// The generator's promises: programs verify, are reproducible from their
/// seed, and together use every instruction of the IL.
@Suite struct ProgramGeneratorTests {
    @Test func sameSeedSameProgram() {
        #expect(ProgramGenerator.generate(seed: 42) == ProgramGenerator.generate(seed: 42))
        #expect(ProgramGenerator.generate(seed: 42) != ProgramGenerator.generate(seed: 43))
    }

    @Test func generatedProgramsVerify() {
        for i in 0..<200 {
            let text = ProgramGenerator.generate(seed: SplitMix64.derive(7, i))
            if case .failure(let d) = Pipeline.check(Array(text.utf8), options: Pipeline.interpreterOptions) {
                Issue.record("seed index \(i): \(d)")
            }
        }
    }

    @Test func programsCoverEveryInstruction() throws {
        var seen = Set<Opcode>()
        var sawPhi = false, sawJnz = false, sawVariadicCall = false, sawAggregateArgument = false
        var maxArguments = 0
        var sawRecursion = false
        for i in 0..<60 {
            let text = ProgramGenerator.generate(seed: SplitMix64.derive(11, i))
            let m = try Module(parsing: text)
            // Only a recursive helper's self-call is guarded by @recurse blocks.
            if text.contains("@recurse") { sawRecursion = true }
            for f in m.functions {
                for b in f.blocks {
                    for inst in b.instructions { seen.insert(inst.op) }
                    if !b.phis.isEmpty { sawPhi = true }
                    if case .jnz = b.terminator { sawJnz = true }
                }
                for c in f.calls {
                    if c.variadicStart != nil { sawVariadicCall = true }
                    if c.arguments.contains(where: { if case .aggregate = $0.type { true } else { false } }) {
                        sawAggregateArgument = true
                    }
                    maxArguments = max(maxArguments, c.arguments.count)
                }
            }
        }
        // Keel's reference extension (the --gc generator's) and debug locations are out of scope.
        let excluded: Set<Opcode> = [.loadr, .storer, .tagr, .dbgloc]
        let missing = Opcode.allCases.filter { !excluded.contains($0) && !seen.contains($0) }
        #expect(missing.isEmpty, "never generated: \(missing.map(\.name))")
        #expect(sawPhi && sawJnz && sawVariadicCall && sawAggregateArgument && sawRecursion)
        #expect(maxArguments > 14, "no call passes arguments on the stack")
    }
}

@Suite struct PortableProgramTests {
    /// Programs compared with QBE leave out sub-word ABI types (QBE does not
    /// extend them) but keep everything else.
    @Test func portableProgramsHaveNoSubWordABITypes() throws {
        let subWord = try Regex(#"(\(|, |function )[su][bh] "#)
        var sawSubWord = false
        for i in 0..<40 {
            let seed = SplitMix64.derive(3, i)
            let portable = ProgramGenerator.generate(seed: seed, portable: true)
            #expect(portable.firstMatch(of: subWord) == nil, "seed \(seed)")
            if case .failure(let d) = Pipeline.check(Array(portable.utf8), options: Pipeline.interpreterOptions) {
                Issue.record("seed \(seed): \(d)")
            }
            if ProgramGenerator.generate(seed: seed).firstMatch(of: subWord) != nil { sawSubWord = true }
        }
        #expect(sawSubWord, "ordinary programs should use sub-word ABI types")
    }
}
