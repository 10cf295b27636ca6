import Foundation
import Testing
@testable import KeelIR

/// constructSSA on IL text: parse, construct, check strict SSA, print.
@Suite struct SSAConstructionILTests {
    private func construct(_ text: String) throws -> (Module, String) {
        var m = try Module(parsing: text, fileName: "test.ssa")
        let diagnostics = constructSSA(&m)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        for f in m.functions {
            #expect(strictSSAProblems(f).isEmpty, "\(strictSSAProblems(f))")
        }
        let printed = ILPrinter.print(m)
        // The output is valid IL that reads back to the same text.
        let again = try Module(parsing: printed, fileName: "printed.ssa")
        #expect(ILPrinter.print(again) == printed)
        return (m, printed)
    }

    private func lines(_ s: String) -> [String] {
        s.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// QBE merges `w` and `l` definitions of one temporary to `w`: the phi is
    /// a word, each definition keeps its class, the first one the name.
    @Test func wordAndLongDefinitionsMergeToWord() throws {
        let (m, printed) = try construct("""
            function w $or(l %a, w %b) {
            @start
            \t%t =l cnel %a, 0
            \tjnz %t, @done, @rhs
            @rhs
            \t%t =w cnew %b, 0
            @done
            \tret %t
            }
            """)
        let l = lines(printed)
        #expect(l.contains("%t =l cnel %a, 0"), "\(printed)")
        #expect(l.contains("%t.1 =w cnew %b, 0"), "\(printed)")
        #expect(l.contains("%t.2 =w phi @start %t, @rhs %t.1"), "\(printed)")
        let f = m.functions[0]
        #expect(f.temps.first { $0.name == "t" }?.type == .l)
    }

    /// The name goes to the first definition in reverse postorder, which need
    /// not be the first in the text: its recorded class follows it.
    @Test func theOriginalNameTakesItsDefinitionsClass() throws {
        let (m, _) = try construct("""
            function w $f(w %c) {
            @start
            \tjmp @a
            @b
            \t%t =w copy 1
            \tjmp @c
            @a
            \t%t =l copy 2
            \tjnz %c, @b, @c
            @c
            \tret %t
            }
            """)
        let f = m.functions[0]
        for b in f.blocks {
            for i in b.instructions { if let t = i.result.temp { #expect(f.temps[t.int].type == i.type) } }
        }
    }

    @Test func ilReferenceLoop() throws {
        let (m, printed) = try construct("""
            export function w $main() {
            @start
            \t%x =w copy 100
            \t%s =w copy 0
            @loop
            \t%s =w add %s, %x
            \t%x =w sub %x, 1
            \tjnz %x, @loop, @end
            @end
            \tret %s
            }
            """)
        let l = lines(printed)
        #expect(l.contains("%s.1 =w phi @start %s, @loop %s.2"), "\(printed)")
        #expect(l.contains("%x.1 =w phi @start %x, @loop %x.2"), "\(printed)")
        #expect(l.contains("%s.2 =w add %s.1, %x.1"))
        #expect(l.contains("%x.2 =w sub %x.1, 1"))
        #expect(l.contains("jnz %x.2, @loop, @end"))
        #expect(l.contains("ret %s.2"))
        #expect(evaluate(m.functions[0], arguments: []) == 5050)
    }

    /// The C example of il.txt written without phis.
    @Test func ifElseWithoutPhis() throws {
        let (m, printed) = try construct("""
            function w $f(w %x) {
            @ifstmt
            \tjnz %x, @ift, @iff
            @ift
            \t%y =w copy 1
            \tjmp @retstmt
            @iff
            \t%y =w copy 2
            \tjmp @retstmt
            @retstmt
            \tret %y
            }
            """)
        #expect(lines(printed).contains("%y.2 =w phi @ift %y, @iff %y.1"), "\(printed)")
        #expect(lines(printed).contains("ret %y.2"))
        #expect(evaluate(m.functions[0], arguments: [7]) == 1)
        #expect(evaluate(m.functions[0], arguments: [0]) == 2)
    }

    /// Positions of the renamed instructions survive.
    @Test func positionsAreKept() throws {
        let source = """
            function w $f(w %a) {
            @start
            \t%a =w add %a, 1
            \tret %a
            }
            """
        let before = try Module(parsing: source, fileName: "p.ssa")
        let (after, printed) = try construct(source)
        #expect(after.functions[0].blocks[0].instructions[0].position
                == before.functions[0].blocks[0].instructions[0].position)
        #expect(after.functions[0].blocks[0].instructions[0].position.line == 3)
        #expect(lines(printed).contains("%a.1 =w add %a, 1"))
        #expect(lines(printed).contains("ret %a.1"))
    }

    @Test func nestedLoopsAndEarlyExit() throws {
        let (m, _) = try construct("""
            function w $f(w %n) {
            @start
            \t%i =w copy 0
            \t%s =w copy 0
            @outer
            \t%j =w copy 0
            @inner
            \t%s =w add %s, %j
            \t%c =w csltw %s, 1000
            \tjnz %c, @go, @done
            @go
            \t%j =w add %j, 1
            \t%c =w csltw %j, %i
            \tjnz %c, @inner, @next
            @next
            \t%i =w add %i, 1
            \t%c =w csltw %i, %n
            \tjnz %c, @outer, @done
            @done
            \tret %s
            }
            """)
        let f = m.functions[0]
        // s(n) = sum over i < n of sum over j <= max(i-1,0) of j, capped by the early exit.
        func reference(_ n: Int64) -> Int64 {
            var s: Int64 = 0, i: Int64 = 0
            outer: while true {
                var j: Int64 = 0
                while true {
                    s += j
                    if !(s < 1000) { break outer }
                    j += 1
                    if !(j < i) { break }
                }
                i += 1
                if !(i < n) { break }
            }
            return s
        }
        for n: Int64 in [0, 1, 2, 5, 9, 40] { #expect(evaluate(f, arguments: [n], fuel: 10_000) == reference(n)) }
    }

    /// Irreducible: @a and @b both enter the cycle, which only reads %x. The
    /// phi cycle of @a/@b is redundant and goes (Braun et al. 3.2).
    @Test func irreducibleCycleGetsNoRedundantPhis() throws {
        let (m, printed) = try construct("""
            function w $f(w %c) {
            @start
            	%x =w copy 5
            	%x =w add %x, %c
            	jnz %c, @a, @b
            @a
            	%y =w add %x, 1
            	jnz %y, @b, @end
            @b
            	%d =w sub %x, 1
            	jnz %d, @a, @end
            @end
            	ret %x
            }
            """)
        #expect(m.functions[0].blocks.map(\.phis.count) == [0, 0, 0, 0], "\(printed)")
        #expect(lines(printed).contains("%y =w add %x.1, 1"))
        #expect(lines(printed).contains("%d =w sub %x.1, 1"))
        #expect(lines(printed).contains("ret %x.1"))
    }

    /// Every function of QBE's test corpus (when QBE_TEST_DIR names it)
    /// becomes strict SSA and still prints as IL that reads back.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["QBE_TEST_DIR"] != nil,
                   "set QBE_TEST_DIR to QBE's test directory"))
    func qbeCorpus() throws {
        let dir = try #require(ProcessInfo.processInfo.environment["QBE_TEST_DIR"])
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".ssa") }.sorted()
        var renamed = 0
        for name in names {
            let bytes = try #require(FileManager.default.contents(atPath: dir + "/" + name))
            var m = Module()
            try ILParser.parse(Array(bytes), fileName: name, into: &m)
            let before = m
            let diagnostics = constructSSA(&m)
            #expect(diagnostics.isEmpty, "\(name): \(diagnostics)")
            for f in m.functions {
                let problems = strictSSAProblems(f)
                #expect(problems.isEmpty, "\(name) $\(m.name(f.name)): \(problems)")
            }
            if m != before { renamed += 1 }
            let printed = ILPrinter.print(m)
            let again = try Module(parsing: printed, fileName: name + " (ssa)")
            #expect(ILPrinter.print(again) == printed, "\(name)")
        }
        #expect(renamed > 0)
    }
}
