import Testing
@testable import KeelIR

/// Sample IL covering every construct; used by the printer and robustness tests.
enum ILSamples {
    static let everything = """
        # types
        type :pair = { l, w }
        type :u = align 4 { { b 3 } { h, h } }
        type :o = align 16 { 40 }
        type :nest = { b, :pair 2, :u }

        dbgfile "src/main.c"
        data $str = { b "hi \\"there\\"\\n\\t\\\\ \\001\\377", b 0 }
        export thread data $tls = align 8 { w 1 2 3, l $str + 4, z 8, s s_1.5 d_2.25, d d_-0 }
        section ".rodata.x" "a" data $ro = { h 7, b -1 }
        common data $c = { z 64 }

        export function :pair $f(env %e, w %a, :pair %p, sb %b, ...) {
        @start
        \tdbgloc 3, 4
        \t%x =w add %a, 1
        \t%y =l extsw %x
        \t%s =l alloc16 32
        \tstorel %y, %s
        \tblit %p, %s, 12
        \tvastart %ap
        \t%v =d vaarg %ap
        \t%q =:pair call $g(env %e, :pair %p, ..., w %x, ub %b)
        \t%t =l add thread $tls, extern $ext
        \tjnz %x, @loop, @out
        @loop
        \t%i =w phi @start 0, @loop %j
        \t%j =w add %i, 1
        \t%c =w csltw %j, 10
        \tjnz %c, @loop, @out
        @out
        \t%z =r loadr %s
        \tstorer %z, %s
        \tret %p
        }

        function $fall() {
        @a
        \t%k =s copy s_0.1
        @b
        \thlt
        }

        """

    static let loop = """
        function w $sum(l %p, w %n) {
        @start
        \tjmp @loop
        @loop
        \t%i =w phi @start 0, @body %i1
        \t%acc =w phi @start 0, @body %acc1
        \t%c =w csltw %i, %n
        \tjnz %c, @body, @done
        @body
        \t%o =l extsw %i
        \t%o4 =l mul %o, 4
        \t%a =l add %p, %o4
        \t%v =w loadw %a
        \t%acc1 =w add %acc, %v
        \t%i1 =w add %i, 1
        \tjmp @loop
        @done
        \tret %acc
        }

        """
}

@Suite struct ILPrinterTests {
    @Test func canonicalText() throws {
        let printed = try expectFixedPoint(ILSamples.everything)
        #expect(printed == """
            type :pair = { l, w }

            type :u = align 4 { { b 3 } { h, h } }

            type :o = align 16 { 40 }

            type :nest = { b, :pair 2, :u }

            dbgfile "src/main.c"

            data $str = { b "hi \\"there\\"\\n\\t\\\\ \\001\\377", b 0 }

            export thread data $tls = align 8 { w 1 2 3, l $str + 4, z 8, s s_1.5 d_2.25, d d_-0.0 }

            section ".rodata.x" "a" data $ro = { h 7, b -1 }

            common data $c = { z 64 }

            export function :pair $f(env %e, w %a, :pair %p, sb %b, ...) {
            @start
            \tdbgloc 3, 4
            \t%x =w add %a, 1
            \t%y =l extsw %x
            \t%s =l alloc16 32
            \tstorel %y, %s
            \tblit %p, %s, 12
            \tvastart %ap
            \t%v =d vaarg %ap
            \t%q =:pair call $g(env %e, :pair %p, ..., w %x, ub %b)
            \t%t =l add thread $tls, extern $ext
            \tjnz %x, @loop, @out
            @loop
            \t%i =w phi @start 0, @loop %j
            \t%j =w add %i, 1
            \t%c =w csltw %j, 10
            \tjnz %c, @loop, @out
            @out
            \t%z =r loadr %s
            \tstorer %z, %s
            \tret %p
            }

            function $fall() {
            @a
            \t%k =s copy s_0.1
            \tjmp @b
            @b
            \thlt
            }

            """)
    }

    @Test func printOneFunction() throws {
        let m = try Module(parsing: ILSamples.loop)
        let text = ILPrinter.print(m.functions[0], in: m)
        #expect(text.hasPrefix("function w $sum(l %p, w %n) {\n@start\n\tjmp @loop\n"))
        #expect(text.contains("\t%v =w loadsw %a\n"))
        #expect(text == ILPrinter.print(m))
    }

    @Test func fixedPointOnSpacingVariants() throws {
        let a = try expectFixedPoint("function   w $f(w %a,w %b,){\n@s # c\n\t%x=w add %a,%b\n\tret %x\n}")
        let b = try expectFixedPoint("function w $f(w %a, w %b) {\n@s\n\t%x =w add %a, %b\n\tret %x\n}\n")
        #expect(a == b)
    }

    @Test func fixedPointOnSamples() throws {
        try expectFixedPoint(ILSamples.loop)
        try expectFixedPoint("""
            function $v(l %fmt, ...) {
            @s
            \tcall $printf(l %fmt, ...)
            \tcall $h(...)
            \t%r =sh call $k(env 0)
            \tdbgloc 9
            \tret
            }
            data $e = { }
            type :empty = { }
            """)
    }

    @Test func dbglocWithoutColumnPrintsWithout() throws {
        let printed = try expectFixedPoint("function $f() {\n@s\n\tdbgloc 9\n\tdbgloc 9, 0\n\tdbgloc 9, 1\n\tret\n}")
        #expect(printed.contains("\tdbgloc 9\n\tdbgloc 9\n\tdbgloc 9, 1\n"))
    }

    @Test func floatsReadBackToTheSameBits() throws {
        let doubles: [Double] = [0, -0.0, 1, 0.1, -2.5e-300, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                                 .infinity, -.infinity, 1e16, 123456789.125, .pi]
        let singles: [Float] = [0, -0.0, 0.1, 3.4028235e38, .leastNonzeroMagnitude, Float(bitPattern: 0x0001_0000), .infinity, -.infinity, 16777215, -Float.leastNormalMagnitude]
        var text = "function $f() {\n@s\n"
        for d in doubles { text += "\t%d =d copy d_\(d)\n" }
        for s in singles { text += "\t%s =s copy s_\(s)\n" }
        text += "\tret\n}"
        let m = try Module(parsing: text)
        let f = m.functions[0]
        let parsed = f.blocks[0].instructions.map { f.constant($0.a) }
        let expected = doubles.map { Constant.double($0) } + singles.map { Constant.single($0) }
        #expect(parsed == expected)
        let again = try Module(parsing: ILPrinter.print(m))
        let g = again.functions[0]
        #expect(g.blocks[0].instructions.map { g.constant($0.a) } == expected)
    }

    @Test func nanPrintsAsItsBits() throws {
        var m = Module()
        let name = m.symbols.intern("f")
        var f = Function(name: name)
        let b = f.addBlock(label: "s")
        let t = f.newTemp(name: "x", type: .d)
        let payload = f.addConstant(.double(bits: 0x7FF0_0000_0000_0001))
        let single = f.addConstant(.single(bits: 0xFFC0_0001))
        f[b].instructions = [Instruction(op: .copy, type: .d, result: .temp(t), a: payload),
                             Instruction(op: .copy, type: .d, result: .temp(t), a: single)]
        f[b].terminator = .ret(.none)
        m.addFunction(f)
        let printed = ILPrinter.print(m)
        #expect(printed.contains("\t%x =d copy 9218868437227405313\n"))
        #expect(printed.contains("\t%x =d copy 4290772993\n"))
        let g = try Module(parsing: printed).functions[0]
        #expect(g.blocks[0].instructions.map { g.constant($0.a)?.bits } == [0x7FF0_0000_0000_0001, 0xFFC0_0001])
        #expect(ILPrinter.print(try Module(parsing: printed)) == printed)
    }

    @Test func everyByteOfAStringRoundTrips() throws {
        var m = Module()
        let all = (0...255).map { UInt8($0) }
        m.addData(DataDefinition(name: m.symbols.intern("bytes"), items: [.values(.b, [.string(all)])]))
        let printed = ILPrinter.print(m)
        #expect(printed.utf8.allSatisfy { $0 >= 32 && $0 < 127 || $0 == 10 })
        let again = try Module(parsing: printed)
        #expect(again.data[0].items == [.values(.b, [.string(all)])])
        #expect(ILPrinter.print(again) == printed)
    }

    @Test func symbolOffsetsAndAccessPrint() throws {
        let printed = try expectFixedPoint("""
            function $f() {
            @s
            \t%a =l add $x + 8, $x + -8
            \t%b =l add extern thread $y, thread $z + 1
            \tret
            }
            """)
        #expect(printed.contains("\t%a =l add $x + 8, $x + -8\n"))
        #expect(printed.contains("\t%b =l add extern thread $y, thread $z + 1\n"))
    }

    @Test func builtFunctionsGetUniqueNames() throws {
        // A function as a pass might build it: empty and repeated names.
        var m = Module()
        var f = Function(name: m.symbols.intern("g"), returnType: .base(.w))
        let entry = f.addBlock(label: "")
        let next = f.addBlock(label: "")
        let a = f.newTemp(name: "v", type: .w)
        let b = f.newTemp(name: "v", type: .w)
        let c = f.newTemp(name: "", type: .w)
        let d = f.newTemp(name: "bad name", type: .w)
        let one = f.addConstant(.integer(1))
        f[entry].instructions = [Instruction(op: .copy, type: .w, result: .temp(a), a: one),
                                 Instruction(op: .add, type: .w, result: .temp(b), a: .temp(a), b: one)]
        f[entry].terminator = .jmp(next)
        f[next].instructions = [Instruction(op: .add, type: .w, result: .temp(c), a: .temp(b), b: .temp(a)),
                                Instruction(op: .copy, type: .w, result: .temp(d), a: .temp(c))]
        f[next].terminator = .ret(.temp(d))
        m.addFunction(f)
        let printed = ILPrinter.print(m)
        let again = try Module(parsing: printed)
        let g = again.functions[0]
        #expect(g.temps.count == 4)
        #expect(Set(g.temps.map(\.name)).count == 4)
        #expect(g.blocks.count == 2)
        #expect(g.temps[0].name == "v")
        #expect(ILPrinter.print(again) == printed)
    }

    @Test func unionWithOneVariantPrintsAsStruct() throws {
        let printed = try expectFixedPoint("type :one = { { w, b } }")
        #expect(printed == "type :one = { w, b }\n")
    }
}
