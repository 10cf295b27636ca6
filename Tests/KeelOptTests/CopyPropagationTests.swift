import KeelIR
import KeelOpt
import KeelTestSupport
import Testing

@Suite struct CopyPropagationTests {
    func propagated(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (before: Module, after: Module) {
        try PassTesting.run(text, { propagateCopies(&$0) }, sourceLocation: sourceLocation)
    }

    @Test func pureCopiesAndChainsAreRemoved() throws {
        let r = try propagated("""
            function l $f(l %x, w %y) {
            @start
                %a =l copy %x
                %b =l copy %a
                %c =w copy %y
                %d =w add %c, 1
                %e =l add %b, %a
                %k =w copy 4294967301
                %s =w add %d, %k
                %g =l copy $glob
                storew %s, %g
                ret %e
            }
            """)
        #expect(PassTesting.body(r.after) == """
            @start
            %d =w add %y, 1
            %e =l add %x, %x
            %s =w add %d, 5
            storew %s, $glob
            ret %e
            """)
    }

    @Test func copiesThatChangeClassStay() throws {
        let r = try propagated("""
            function w $f(l %x, r %ref, l %out) {
            @start
                %a =w copy %x
                %p =l copy %ref
                %t =l copy thread $tls
                storel %p, %out
                storel %t, %out
                ret %a
            }
            """)
        #expect(r.after == r.before)
    }

    @Test func trivialPhisGoEvenInCycles() throws {
        let r = try propagated("""
            function w $f(w %x, w %n) {
            @start
                jmp @loop
            @loop
                %v =w phi @start %x, @body %v2
                %i =w phi @start 0, @body %i1
                %c =w csltw %i, %n
                jnz %c, @body, @done
            @body
                %v2 =w copy %v
                %i1 =w add %i, 1
                jmp @loop
            @done
                %one =w phi @loop %v
                ret %one
            }
            """)
        #expect(PassTesting.body(r.after) == """
            @start
            jmp @loop
            @loop
            %i =w phi @start 0, @body %i1
            %c =w csltw %i, %n
            jnz %c, @body, @done
            @body
            %i1 =w add %i, 1
            jmp @loop
            @done
            ret %x
            """)
    }

    @Test(arguments: ILPrograms.names())
    func programSuiteRunsTheSame(_ name: String) throws {
        try PassTesting.checkSuiteProgram(name) { propagateCopies(&$0) }
    }
}
