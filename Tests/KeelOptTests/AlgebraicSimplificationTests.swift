import KeelIR
import KeelOpt
import KeelTestSupport
import Testing

@Suite struct AlgebraicSimplificationTests {
    func simplified(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (before: Module, after: Module) {
        try PassTesting.run(text, { simplifyAlgebra(&$0) }, sourceLocation: sourceLocation)
    }

    @Test func identitiesBecomeCopiesOfTheirOperand() throws {
        let r = try simplified("""
            function w $f(w %x, l %y) {
            @start
                %a =w add %x, 0
                %b =w add 0, %x
                %c =w sub %x, 0
                %d =w mul 1, %x
                %e =w div %x, 1
                %g =w or %x, 0
                %h =w xor 0, %x
                %i =w and %x, -1
                %j =w and %x, 4294967295
                %k =w and %x, %x
                %m =w shl %x, 32
                %n =l sar %y, 64
                %o =l udiv %y, 1
                %p =w add %y, 0
                ret %a
            }
            """)
        let ops = r.after.functions[0].blocks[0].instructions.map(\.op)
        #expect(ops == Array(repeating: .copy, count: 14), "\(PassTesting.body(r.after))")
        // A word identity of a long reads its low bits: a truncating copy.
        #expect(PassTesting.body(r.after).contains("%p =w copy %y"))
    }

    @Test func notIdentitiesStayAsTheyAre() throws {
        let r = try simplified("""
            function $f(w %x, l %y, d %z, l %out) {
            @start
                %a =l and %y, 4294967295
                %b =w sub 0, %x
                %c =l shl %y, 32
                %d =d add %z, d_0
                %e =d mul %z, d_1
                %f =w mul %x, 2
                %g =l extsw %x
                %h =l extuw %x
                storel %a, %out
                storew %b, %out
                storel %c, %out
                stored %d, %out
                stored %e, %out
                storew %f, %out
                storel %g, %out
                storel %h, %out
                ret
            }
            """)
        #expect(r.after == r.before, "\(PassTesting.body(r.after))")
    }

    @Test func extensionsOfExtendedValuesAreCopies() throws {
        let r = try simplified("""
            function $f(l %p, l %out) {
            @start
                %b =w loadub %p
                %b1 =w extub %b
                %b2 =w extuh %b
                %b3 =w extsh %b
                %s =w loadsb %p
                %s1 =w extsb %s
                %s2 =w extub %s
                %c =w csltw %b, 3
                %c1 =w extub %c
                %l =l loadsw %p
                %l1 =l extsw %l
                %l2 =l extuw %l
                %u =l loaduh %p
                %u1 =l extuw %u
                %w =w loaduh %p
                %w1 =l extuh %w
                storew %b1, %out
                storew %b2, %out
                storew %b3, %out
                storew %s1, %out
                storew %s2, %out
                storew %c1, %out
                storel %l1, %out
                storel %l2, %out
                storel %u1, %out
                storel %w1, %out
                ret
            }
            """)
        let ins = r.after.functions[0].blocks[0].instructions
        func op(_ name: String) -> Opcode? {
            ins.first { $0.result.temp.map { r.after.functions[0].temps[$0.int].name } == name }?.op
        }
        for name in ["b1", "b2", "b3", "s1", "c1", "l1", "u1"] { #expect(op(name) == .copy, "\(name)") }
        // A signed byte is not a zero-extended one; a long sign-extended from
        // a word is not zero-extended; a word into a long is a real extension.
        #expect(op("s2") == .extub)
        #expect(op("l2") == .extuw)
        #expect(op("w1") == .extuh)
    }

    @Test func branchesOnComparisonsWithZeroTestTheValue() throws {
        let r = try simplified("""
            function w $f(w %x, w %y) {
            @start
                %c =w cnew %x, 0
                jnz %c, @a, @b
            @a
                %d =w ceqw 0, %y
                jnz %d, @b, @c
            @b
                ret 1
            @c
                ret 2
            }
            """)
        let blocks = r.after.functions[0].blocks
        #expect(blocks[0].terminator == .jnz(r.after.functions[0].parameters[0].temp.ref, BlockID(1), BlockID(2)))
        #expect(blocks[1].terminator == .jnz(r.after.functions[0].parameters[1].temp.ref, BlockID(3), BlockID(2)))
        for x: Int32 in [0, 5] {
            for y: Int32 in [0, 7] {
                let args = "w \(x), w \(y)"
                let main = "export function w $main() {\n@start\n%r =w call $f(\(args))\nret %r\n}\n"
                let before = try interpretedOutcome(try moduleWithMain(r.before, main))
                let after = try interpretedOutcome(try moduleWithMain(r.after, main))
                #expect(before == after, "\(args)")
            }
        }
    }

    @Test func longComparisonsWithZeroTestTheValueOnlyWhenItFitsInAWord() throws {
        // jnz reads 32 bits: `x & 1` and a zero-extended byte fit, `x & -8` does not.
        let r = try simplified("""
            function w $f(l %x, l %p) {
            @start
                %t =l and %x, 1
                %c =w cnel %t, 0
                jnz %c, @a, @b
            @a
                %u =l loadub %p
                %d =w ceql %u, 0
                jnz %d, @b, @c
            @b
                %m =l and %x, -8
                %e =w cnel %m, 0
                jnz %e, @c, @d
            @c
                ret 1
            @d
                ret 2
            }
            """)
        let f = r.after.functions[0]
        func temp(_ name: String) -> Ref { .temp(Temp(f.temps.firstIndex { $0.name == name }!)) }
        #expect(f.blocks[0].terminator == .jnz(temp("t"), BlockID(1), BlockID(2)))
        #expect(f.blocks[1].terminator == .jnz(temp("u"), BlockID(3), BlockID(2)))
        #expect(f.blocks[2].terminator == .jnz(temp("e"), BlockID(3), BlockID(4)))
        for x: Int64 in [0, 1, 2, 8, 0x1_0000_0000, -1] {
            for byte in [0, 9] {
                let main = """
                    export data $byte = { b \(byte) }
                    export function w $main() {
                    @start
                        %r =w call $f(l \(x), l $byte)
                        ret %r
                    }

                    """
                let before = try interpretedOutcome(try moduleWithMain(r.before, main))
                let after = try interpretedOutcome(try moduleWithMain(r.after, main))
                #expect(before == after, "x = \(x), byte = \(byte)")
            }
        }
    }

    func moduleWithMain(_ m: Module, _ main: String) throws -> Module {
        try Module(parsing: ILPrinter.print(m) + main)
    }

    @Test(arguments: ILPrograms.names())
    func programSuiteRunsTheSame(_ name: String) throws {
        try PassTesting.checkSuiteProgram(name) { simplifyAlgebra(&$0) }
    }
}

extension Temp {
    var ref: Ref { .temp(self) }
}
