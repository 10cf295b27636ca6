import Foundation
import KeelAnalysis
import KeelInterp
import KeelIR
import KeelOpt
import KeelTestSupport
import Testing

@Suite struct DeadCodeEliminationTests {
    /// Parses `text`, builds SSA, verifies, deletes dead code, verifies again.
    func simplified(_ text: String) throws -> Module {
        var module = try Module(parsing: text)
        #expect(constructSSA(&module).isEmpty)
        let options = VerifierOptions(strictCallSignatures: false)
        #expect(Verifier.verify(module, options: options).filter(\.isError).isEmpty)
        eliminateDeadCode(&module)
        let after = Verifier.verify(module, options: options).filter(\.isError)
        #expect(after.isEmpty, "not verifier-clean after dead code elimination: \(after)")
        return module
    }

    func opcodes(_ m: Module, _ function: Int = 0) -> [Opcode] {
        m.functions[function].blocks.flatMap { $0.instructions.map(\.op) }
    }

    @Test func deletesUnusedLoadsOfUndefinedSymbolsAndTheirChains() throws {
        let m = try simplified("""
            function w $f() {
            @start
                %x =l loadl $never_defined
                %y =d loadd $also_missing
                %p =l add %x, 8
                %q =l loadl %p
                %d =w div 1, 0
                %k =w copy 5
                ret %k
            }
            """)
        #expect(opcodes(m) == [.copy])
    }

    @Test func keepsEffectsAndWhatTheyRead() throws {
        let m = try simplified("""
            function $f(l %ap, l %p) {
            @start
                %v =w loadw %p
                %w =w add %v, 1
                storew %w, %p
                %unused =w call $g()
                %a =l vaarg %ap
                blit %p, $dst, 8
                dbgloc 3, 4
                ret
            }
            """)
        #expect(opcodes(m) == [.loadsw, .add, .storew, .call, .vaarg, .blit, .dbgloc])
    }

    @Test func deletesDeadPhiCyclesAndKeepsLiveOnes() throws {
        let m = try simplified("""
            function w $f(w %n) {
            @start
                jmp @loop
            @loop
                %i =w phi @start 0, @loop %i1
                %dead =l phi @start 0, @loop %dead1
                %dead1 =l add %dead, 1
                %i1 =w add %i, 1
                %c =w csltw %i1, %n
                jnz %c, @loop, @done
            @done
                ret %i1
            }
            """)
        let loop = m.functions[0].blocks[1]
        #expect(loop.phis.count == 1)
        #expect(loop.instructions.map(\.op) == [.add, .csltw])
    }

    @Test func keepsValuesReadOnlyByTerminators() throws {
        let m = try simplified("""
            function w $f(w %a) {
            @start
                %c =w ceqw %a, 0
                jnz %c, @yes, @no
            @yes
                %r =w add %a, 2
                ret %r
            @no
                ret 0
            }
            """)
        #expect(opcodes(m) == [.ceqw, .add])
    }

    /// Deleting dead code changes no program's output or exit status: every
    /// program of the IL suite, interpreted before and after.
    @Test(arguments: ILPrograms.names())
    func programSuiteRunsTheSame(_ name: String) throws {
        let source = try String(contentsOf: ILPrograms.directory.appendingPathComponent(name + ".ssa"), encoding: .utf8)
        var before = try Module(parsing: source, fileName: name + ".ssa")
        #expect(constructSSA(&before).isEmpty)
        var after = before
        eliminateDeadCode(&after)
        #expect(Verifier.verify(after, options: VerifierOptions(strictCallSignatures: false)).filter(\.isError).isEmpty)
        let expected = try interpretedOutcome(before, name)
        // A dead load of a symbol nobody defines fails only before.
        if name == "qbe_dead_loads" { return }
        #expect(try interpretedOutcome(after, name) == expected, "\(name)")
    }
}
