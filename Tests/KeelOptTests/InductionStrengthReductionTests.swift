import KeelIR
import KeelOpt
import KeelTestSupport
import Testing

@Suite struct InductionStrengthReductionTests {
    func reduced(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (before: Module, after: Module) {
        try PassTesting.run(text, { reduceInductionStrength(&$0) }, sourceLocation: sourceLocation)
    }

    /// `k * n + j` (the multiplication's only use adds an invariant) becomes
    /// a variable started at `0 * n + j` and stepped by `2 * n`; `k * 3`,
    /// read after the loop too, stays.
    @Test func indexStepsByTheScaledStep() throws {
        let r = try reduced("""
            export function w $main() {
            @start
                %n =w copy 7
                %j =w copy 5
                jmp @loop
            @loop
                %k =w phi @start 0, @body %k1
                %s =w phi @start 0, @body %s1
                %t =w mul 3, %k
                %c =w csltw %k, 20
                jnz %c, @body, @done
            @body
                %m =w mul %k, %n
                %x =w add %m, %j
                %s0 =w add %s, %x
                %s1 =w add %s0, %t
                %k1 =w add %k, 2
                jmp @loop
            @done
                %r =w add %s, %t
                ret %r
            }
            """)
        #expect(PassTesting.body(r.after) == """
            @start
            %n =w copy 7
            %j =w copy 5
            %.ivmul12 =w mul 2, %n
            jmp @loop
            @loop
            %k =w phi @start 0, @body %k1
            %s =w phi @start 0, @body %s1
            %x.iv =w phi @start %j, @body %x.ivnext
            %t =w mul 3, %k
            %c =w csltw %k, 20
            jnz %c, @body, @done
            @body
            %s0 =w add %s, %x.iv
            %s1 =w add %s0, %t
            %k1 =w add %k, 2
            %x.ivnext =w add %x.iv, %.ivmul12
            jmp @loop
            @done
            %r =w add %s, %t
            ret %r
            """)
        #expect(try interpretedOutcome(r.after) == interpretedOutcome(r.before))
    }

    /// Wrapping arithmetic: a word counter times a large factor agrees
    /// modulo 2^32 in every iteration.
    @Test func wrappingProductsAgree() throws {
        let r = try reduced("""
            export function w $main() {
            @start
                jmp @loop
            @loop
                %k =w phi @start -5, @loop %k1
                %h =w phi @start 0, @loop %h2
                %m =w mul %k, 1103515245
                %h1 =w xor %h, %m
                %h2 =w shr %h1, 3
                %k1 =w add %k, 977
                %c =w csltw %k1, 100000
                jnz %c, @loop, @done
            @done
                ret %h2
            }
            """)
        #expect(!PassTesting.body(r.after).contains("mul %k"))
        #expect(try interpretedOutcome(r.after) == interpretedOutcome(r.before))
    }

    @Test(arguments: ILPrograms.names())
    func programSuiteRunsTheSame(_ name: String) throws {
        try PassTesting.checkSuiteProgram(name) { reduceInductionStrength(&$0) }
    }
}
