import Testing
@testable import KeelIR

/// What the parser builds, construct by construct.
@Suite struct ILParserTypeTests {
    func types(_ text: String) throws -> [AggregateType] { try Module(parsing: text).types }

    @Test func structLayoutFollowsCRules() throws {
        let t = try types("type :s = { b, w, b 3, l, h }")[0]
        #expect(t.name == "s")
        // b@0, w@4, b*3@8..10, l@16, h@24 -> 26, rounded to 8
        #expect(t.size == 32)
        #expect(t.alignment == 8)
        #expect(t.explicitAlignment == nil)
        #expect(t.layout == .fields([[AggregateField(.scalar(.b)), AggregateField(.scalar(.w)),
                                      AggregateField(.scalar(.b), count: 3), AggregateField(.scalar(.l)),
                                      AggregateField(.scalar(.h))]]))
    }

    @Test func floatFieldsAndTrailingComma() throws {
        let t = try types("type :f = { s, d, }")[0]
        #expect(t.size == 16)
        #expect(t.alignment == 8)
    }

    @Test func explicitAlignmentRaisesAlignmentAndSize() throws {
        let t = try types("type :a = align 16 { w }")[0]
        #expect(t.explicitAlignment == 16)
        #expect(t.alignment == 16)
        #expect(t.size == 16)
        // A field aligned more strictly than the explicit alignment still wins, as in QBE.
        let u = try types("type :b = align 2 { l }")[0]
        #expect(u.alignment == 8)
        #expect(u.size == 8)
    }

    @Test func unionTakesTheLargestVariant() throws {
        let t = try types("type :u = { { b 5 } { w } { h, h } }")[0]
        #expect(t.layout == .fields([[AggregateField(.scalar(.b), count: 5)], [AggregateField(.scalar(.w))],
                                     [AggregateField(.scalar(.h)), AggregateField(.scalar(.h))]]))
        #expect(t.alignment == 4)
        #expect(t.size == 8)
    }

    @Test func nestedTypesUseTheirSizeAndAlignment() throws {
        let ts = try types("""
            type :inner = { b, l }
            type :u = { { w } { b 3 } }
            type :outer = { b, :inner 2, :u, b }
            """)
        #expect(ts[0].size == 16)
        #expect(ts[1].size == 4)
        // b@0, inner*2@8..40, u@40..44, b@44 -> 45, rounded to 8
        #expect(ts[2].size == 48)
        #expect(ts[2].alignment == 8)
        #expect(ts[2].layout == .fields([[AggregateField(.scalar(.b)), AggregateField(.aggregate(TypeID(0)), count: 2),
                                          AggregateField(.aggregate(TypeID(1))), AggregateField(.scalar(.b))]]))
    }

    @Test func opaqueTypeKeepsItsSize() throws {
        let t = try types("type :o = align 8 { 13 }")[0]
        #expect(t.layout == .opaque(size: 13))
        #expect(t.size == 13)
        #expect(t.alignment == 8)
        let zero = try types("type :magic = align 1 { 0 }")[0]
        #expect(zero.size == 0)
    }

    @Test func newlinesInsideTypeDefinitions() throws {
        let t = try types("type\n:s\n=\nalign 4\n{\nw,\nb\n}\n")[0]
        #expect(t.size == 8)
        #expect(t.position == SourcePosition(line: 2, column: 1))
    }

    @Test func laterDefinitionOfANameWins() throws {
        let m = try Module(parsing: """
            type :t = { b }
            type :t = { l }
            function $f(:t %p) {
            @s
            \tret
            }
            """)
        #expect(m.functions[0].parameters[0].type == .aggregate(TypeID(1)))
    }
}

@Suite struct ILParserDataTests {
    func data(_ text: String) throws -> (Module, DataDefinition) {
        let m = try Module(parsing: text)
        return (m, try #require(m.data.first))
    }

    @Test func everyItemKind() throws {
        let (m, d) = try data("""
            data $d = { b 1 2 -1, h 300, w 70000, l 18446744073709551615 -9223372036854775808, \
            s s_1.5, d d_-0.25, b "hi\\n" 0, l $d + 8, l $other, z 16 }
            """)
        #expect(m.name(d.name) == "d")
        #expect(d.items == [
            .values(.b, [.integer(1), .integer(2), .integer(-1)]),
            .values(.h, [.integer(300)]),
            .values(.w, [.integer(70000)]),
            .values(.l, [.integer(-1), .integer(Int64.min)]),
            .values(.s, [.single(bits: Float(1.5).bitPattern)]),
            .values(.d, [.double(bits: Double(-0.25).bitPattern)]),
            .values(.b, [.string([104, 105, 10]), .integer(0)]),
            .values(.l, [.symbol(d.name, offset: 8)]),
            .values(.l, [.symbol(try #require(m.symbols.lookup("other")), offset: 0)]),
            .zero(16),
        ])
        #expect(d.size == 3 + 2 + 4 + 16 + 4 + 8 + 4 + 8 + 8 + 16)
        #expect(d.alignment == nil)
    }

    /// QBE reads every digit string, wrapping modulo 2^64; so does Keel.
    @Test func integersWrapModulo2To64() throws {
        let (_, d) = try data("data $d = { l 18446744073709551616 18446744073709551617 -18446744073709551617 99999999999999999999 }")
        #expect(d.items == [.values(.l, [.integer(0), .integer(1), .integer(-1), .integer(7766279631452241919)])])
    }

    @Test func stringEscapesAreDecodedByteExact() throws {
        let (_, d) = try data(#"data $s = { b "a\"b\\c\td\0\101\x41\xff\r\b\f\v\a\'\?\12z" }"#)
        #expect(d.items == [.values(.b, [.string(
            [97, 34, 98, 92, 99, 9, 100, 0, 65, 65, 255, 13, 8, 12, 11, 7, 39, 63, 10, 122])])])
    }

    @Test func rawBytesInStringsAreKept() throws {
        let bytes: [UInt8] = Array("data $s = { b \"".utf8) + [0xC3, 0xA9, 0x00, 0xFF, 10] + Array("\" }".utf8)
        var m = Module()
        try ILParser.parse(bytes, fileName: "raw", into: &m)
        #expect(m.data[0].items == [.values(.b, [.string([0xC3, 0xA9, 0x00, 0xFF, 10])])])
    }

    @Test func linkageAlignmentAndSections() throws {
        let (_, d) = try data("""
            export thread
            section ".tdata" "awT" data $t = align 16 { w 1 }
            """)
        #expect(d.linkage == Linkage(export: true, thread: true, section: ".tdata", sectionFlags: "awT"))
        #expect(d.alignment == 16)
        let (_, c) = try data("common data $c = { z 8 }")
        #expect(c.linkage.common)
        let (_, s) = try data("section \".data.x\"\ndata $x = { b 1 }")
        #expect(s.linkage.section == ".data.x")
        #expect(s.linkage.sectionFlags == nil)
    }

    @Test func itemsMaySpanLinesAndEndWithComma() throws {
        let (_, d) = try data("data $x =\n{\n  w 1\n  2,\n  z 4 4,\n}\n")
        #expect(d.items == [.values(.w, [.integer(1), .integer(2)]), .zero(4), .zero(4)])
    }

    @Test func emptyData() throws {
        let (_, d) = try data("data $e = { }")
        #expect(d.items.isEmpty)
        #expect(d.size == 0)
    }

    @Test func quotedSymbolNamesKeepTheirQuotes() throws {
        let (m, d) = try data("data $\"odd name\" = { l $\"odd name\" }")
        #expect(m.name(d.name) == "\"odd name\"")
        #expect(d.items == [.values(.l, [.symbol(d.name, offset: 0)])])
    }

    @Test func dbgfileIsAnItem() throws {
        let m = try Module(parsing: "dbgfile \"a.c\"\ndata $x = { b 0 }\ndbgfile \"b.c\"")
        #expect(m.items == [.dbgfile("a.c"), .data(0), .dbgfile("b.c")])
        #expect(m.files == ["<input>"])
        #expect(m.data[0].file == 0)
    }
}

@Suite struct ILParserFunctionTests {
    @Test func signatureWithEnvAggregateSubwordAndVarargs() throws {
        let (m, f) = try parseFunction("""
            type :p = { l, l }
            export function :p $f(env %e, w %a, :p %b, sb %c, ub %d, sh %g, uh %h, r %o, ...) {
            @start
            \tvastart %a
            \tret %b
            }
            """)
        #expect(m.name(f.name) == "f")
        #expect(f.linkage.export)
        #expect(f.returnType == .aggregate(TypeID(0)))
        #expect(f.isVariadic)
        #expect(f.env.map { f.temps[$0.int] } == TempInfo(name: "e", type: .l))
        #expect(f.parameters.map(\.type) == [.base(.w), .aggregate(TypeID(0)), .sb, .ub, .sh, .uh, .base(.r)])
        #expect(f.parameters.map { f.temps[$0.temp.int].type } == [.w, .l, .w, .w, .w, .w, .r])
        #expect(f.parameters.map { f.temps[$0.temp.int].name } == ["a", "b", "c", "d", "g", "h", "o"])
        #expect(f.position == SourcePosition(line: 2, column: 20))
    }

    @Test func returnTypes() throws {
        for (text, type) in [("w", ABIType.base(.w)), ("l", .base(.l)), ("s", .base(.s)), ("d", .base(.d)),
                             ("r", .base(.r)), ("sb", .sb), ("ub", .ub), ("sh", .sh), ("uh", .uh)] {
            let (_, f) = try parseFunction("function \(text) $f() {\n@s\n\tret 0\n}")
            #expect(f.returnType == type)
        }
        let (_, f) = try parseFunction("function $f() {\n@s\n\tret\n}")
        #expect(f.returnType == nil)
        #expect(f.blocks[0].terminator == .ret(.none))
    }

    @Test func tempsAreOnePerNameAndTypedByFirstDefinition() throws {
        let (_, f) = try parseFunction("""
            function w $f(w %a) {
            @s
            \t%u =w add %later, 1
            \t%x =w copy %a
            \t%x =l copy 5
            \t%later =w copy %x
            \tret %x
            }
            """)
        #expect(f.temps.map(\.name) == ["a", "u", "later", "x"])
        #expect(f.temps.map(\.type) == [.w, .w, .w, .w])
        let i = f.blocks[0].instructions
        #expect(i[1].result == i[2].result)
        #expect(i[0].a == i[3].result)
    }

    @Test func constantsAreInternedPerFunction() throws {
        let (_, f) = try parseFunction("""
            function $f() {
            @s
            \t%a =w add 1, 1
            \t%b =l add $g, $g
            \t%c =d add d_1, d_1
            \t%d =w add 1, 2
            \tret
            }
            """)
        let i = f.blocks[0].instructions
        #expect(i[0].a == i[0].b)
        #expect(i[1].a == i[1].b)
        #expect(i[2].a == i[2].b)
        #expect(i[3].a == i[0].a)
        #expect(f.constants.count == 4)
        #expect(Set(f.constants).count == f.constants.count)
    }

    @Test func operandForms() throws {
        let (m, f) = try parseFunction("""
            function $f() {
            @s
            \t%a =l add $x, thread $t
            \t%b =l add extern $e, extern thread $et
            \t%c =l add thread extern $te, $x + 16
            \t%d =l add -9223372036854775808, 18446744073709551615
            \t%e =s add s_1e3, s_-0x1p-2
            \t%f =d add d_.5, d_1.
            \tret
            }
            """)
        func c(_ r: Ref) -> Constant? { f.constant(r) }
        let i = f.blocks[0].instructions
        let sym = { (n: String) in m.symbols.lookup(n)! }
        #expect(c(i[0].a) == .symbol(sym("x"), offset: 0, access: .direct))
        #expect(c(i[0].b) == .symbol(sym("t"), offset: 0, access: .thread))
        #expect(c(i[1].a) == .symbol(sym("e"), offset: 0, access: .external))
        #expect(c(i[1].b) == .symbol(sym("et"), offset: 0, access: .externalThread))
        #expect(c(i[2].a) == .symbol(sym("te"), offset: 0, access: .externalThread))
        #expect(c(i[2].b) == .symbol(sym("x"), offset: 16, access: .direct))
        #expect(c(i[3].a) == .integer(Int64.min))
        #expect(c(i[3].b) == .integer(-1))
        #expect(c(i[4].a) == .single(1000))
        #expect(c(i[4].b) == .single(-0.25))
        #expect(c(i[5].a) == .double(0.5))
        #expect(c(i[5].b) == .double(1.0))
    }

    @Test func nonFiniteFloats() throws {
        let (_, f) = try parseFunction("""
            function $f() {
            @s
            \t%a =s add s_inf, s_-inf
            \t%b =d add d_nan, d_-Infinity
            \t%c =s add s_NaN, s_1e39
            \tret
            }
            """)
        let i = f.blocks[0].instructions
        #expect(f.constant(i[0].a) == .single(.infinity))
        #expect(f.constant(i[0].b) == .single(-.infinity))
        #expect(f.constant(i[1].a) == .double(bits: Double.nan.bitPattern))
        #expect(f.constant(i[1].b) == .double(-.infinity))
        #expect(f.constant(i[2].a) == .single(bits: Float.nan.bitPattern))
        #expect(f.constant(i[2].b) == .single(.infinity))
    }

    @Test func everyRegularInstruction() throws {
        // One line per opcode with a result (and the right operand count), stores and the rest without.
        var body = ""
        var expected: [Opcode] = []
        for op in Opcode.allCases {
            switch op {
            case .call, .blit, .vastart, .dbgloc: continue
            case _ where op.isStore:
                body += "\t\(op.name) %v, %p\n"
            case _ where op.operandCount == 1:
                body += "\t%r =w \(op.name) %v\n"
            default:
                body += "\t%r =w \(op.name) %v, %p\n"
            }
            expected.append(op)
        }
        let (_, f) = try parseFunction("function $f() {\n@s\n\(body)\tret\n}")
        let ins = f.blocks[0].instructions
        #expect(ins.map(\.op) == expected)
        let v = Ref.temp(try #require(f.temp(named: "v")))
        let p = Ref.temp(try #require(f.temp(named: "p")))
        for i in ins {
            #expect(i.a == v)
            #expect(i.b == (i.op.operandCount == 2 ? p : .none))
            #expect(i.result.isNone == i.op.isStore)
        }
        let stores = ins.filter(\.op.isStore).map(\.type)
        #expect(stores == [.w, .w, .w, .l, .s, .d, .r])
    }

    @Test func aliasesAndGenericLoad() throws {
        let (_, f) = try parseFunction("""
            function $f(l %p) {
            @s
            \t%a =w loadw %p
            \t%b =l alloc1 8
            \t%c =l alloc2 8
            \t%d =w load %p
            \t%e =l load %p
            \t%g =s load %p
            \t%h =d load %p
            \t%i =r load %p
            \tret
            }
            """)
        #expect(f.blocks[0].instructions.map(\.op) == [.loadsw, .alloc4, .alloc4, .loadsw, .loadl, .loads, .loadd, .loadr])
    }

    @Test func referenceClass() throws {
        let (_, f) = try parseFunction("""
            function r $cons(r %a, l %p) {
            @s
            \t%f =r loadr %p
            \tstorer %a, %p
            \t%c =r call $alloc(r %f, l 16)
            \tjmp @t
            @t
            \t%o =r phi @s %c
            \tret %o
            }
            """)
        #expect(f.returnType == .base(.r))
        #expect(f.temps.map(\.type) == [.r, .l, .r, .r, .r])
        #expect(f.calls[0].arguments.map(\.type) == [.base(.r), .base(.l)])
        #expect(f.calls[0].returnType == .base(.r))
        #expect(f.blocks[1].phis[0].type == .r)
    }

    @Test func blitVastartVaargDbgloc() throws {
        let (_, f) = try parseFunction("""
            function $f(l %a, ...) {
            @s
            \tdbgloc 12
            \tblit %a, %b, 24
            \tvastart %ap
            \t%x =w vaarg %ap
            \tdbgloc 13, 7
            \tret
            }
            """)
        let i = f.blocks[0].instructions
        #expect(i.map(\.op) == [.dbgloc, .blit, .vastart, .vaarg, .dbgloc])
        #expect(f.constant(i[0].a) == .integer(12))
        #expect(f.constant(i[0].b) == .integer(0))
        #expect(i[1].extra == 24)
        #expect(i[1].a == .temp(try #require(f.temp(named: "a"))))
        #expect(i[1].b == .temp(try #require(f.temp(named: "b"))))
        #expect(i[1].type == .l)
        #expect(i[2].result.isNone)
        #expect(f.temps[try #require(i[3].result.temp).int].type == .w)
        #expect(f.constant(i[4].a) == .integer(13))
        #expect(f.constant(i[4].b) == .integer(7))
        #expect(i[4].position == SourcePosition(line: 7, column: 2))
    }

    @Test func callsWithEnvVarargsAggregatesAndSubwords() throws {
        let (m, f) = try parseFunction("""
            type :big = { l 4 }
            function $f(l %p, :big %s) {
            @s
            \t%a =w call $printf(l $fmt, ..., w 1, d d_2)
            \tcall %p(env %p, w 3)
            \t%b =:big call $mk(:big %s, sb 1, ub 2, sh 3, uh 4)
            \t%c =ub call $byte()
            \tcall $v(...)
            \t%d =l call $g(w 1, env 7)
            \tret
            }
            """)
        let i = f.blocks[0].instructions
        #expect(i.allSatisfy { $0.op == .call })
        #expect(i.map(\.extra) == [0, 1, 2, 3, 4, 5])
        #expect(i.map(\.type) == [.w, .w, .l, .w, .w, .l])
        #expect(i[0].callID == CallID(0))
        let fmt = try #require(m.symbols.lookup("fmt"))
        #expect(f.calls[0].returnType == .base(.w))
        #expect(f.calls[0].env == .none)
        #expect(f.calls[0].variadicStart == 1)
        #expect(f.calls[0].arguments.map(\.type) == [.base(.l), .base(.w), .base(.d)])
        #expect(f.constant(f.calls[0].arguments[0].value) == .symbol(fmt, offset: 0, access: .direct))
        #expect(f.constant(i[0].a) == .symbol(try #require(m.symbols.lookup("printf")), offset: 0, access: .direct))
        #expect(f.constant(f.calls[0].arguments[1].value) == .integer(1))
        #expect(f.constant(f.calls[0].arguments[2].value) == .double(2))
        #expect(i[1].result.isNone)
        #expect(f.calls[1].returnType == nil)
        #expect(f.calls[1].env == i[1].a)
        #expect(f.calls[1].variadicStart == nil)
        #expect(f.calls[2].returnType == .aggregate(TypeID(0)))
        #expect(f.calls[2].arguments.map(\.type) == [.aggregate(TypeID(0)), .sb, .ub, .sh, .uh])
        #expect(f.calls[3].returnType == .ub)
        #expect(f.calls[4].variadicStart == 0)
        #expect(f.calls[4].arguments.isEmpty)
        #expect(f.constant(f.calls[5].env) == .integer(7))
        #expect(f.calls[5].arguments.count == 1)
        #expect(f.temps[try #require(f.temp(named: "b")).int].type == .l)
        #expect(f.temps[try #require(f.temp(named: "c")).int].type == .w)
    }

    @Test func jumpsAndFallThrough() throws {
        let (_, f) = try parseFunction("""
            function w $f(w %c) {
            @start
            \tjnz %c, @b, @a
            @a
            \t%x =w copy 1
            @b
            \t%y =w phi @start 2, @a %x
            \tjmp @end
            @dead
            \thlt
            @end
            \tret %y
            }
            """)
        #expect(f.blocks.map(\.label) == ["start", "a", "b", "dead", "end"])
        let c = Ref.temp(try #require(f.temp(named: "c")))
        #expect(f.blocks[0].terminator == .jnz(c, BlockID(2), BlockID(1)))
        #expect(f.blocks[1].terminator == .jmp(BlockID(2)))
        #expect(f.blocks[1].terminatorPosition == .unknown)
        #expect(f.blocks[2].terminator == .jmp(BlockID(4)))
        #expect(f.blocks[2].terminatorPosition == SourcePosition(line: 8, column: 2))
        #expect(f.blocks[3].terminator == .hlt)
        #expect(f.blocks[4].terminator == .ret(.temp(try #require(f.temp(named: "y")))))
        #expect(f.blocks[2].phis[0].incoming.map(\.block) == [BlockID(0), BlockID(1)])
        #expect(f.blocks.map(\.position.line) == [2, 4, 6, 9, 11])
        #expect(f.predecessors()[2] == [BlockID(0), BlockID(1)])
    }

    @Test func forwardReferencesAreRenumberedInDefinitionOrder() throws {
        let (_, f) = try parseFunction("""
            function $f() {
            @s
            \tjmp @z
            @y
            \t%v =w phi @x 1, @z 2
            \tret
            @x
            \tjmp @y
            @z
            \tjmp @x
            }
            """)
        #expect(f.blocks.map(\.label) == ["s", "y", "x", "z"])
        #expect(f.blocks[0].terminator == .jmp(BlockID(3)))
        #expect(f.blocks[1].phis[0].incoming.map(\.block) == [BlockID(2), BlockID(3)])
        #expect(f.blocks[2].terminator == .jmp(BlockID(1)))
        #expect(f.blocks[3].terminator == .jmp(BlockID(2)))
    }

    @Test func phis() throws {
        let (_, f) = try parseFunction("""
            function $f() {
            @s
            \tjmp @l
            @l
            \t%a =w phi @s 0, @l %b
            \t%b =l phi @s 1, @l %a
            \t%c =w phi
            \tjmp @l
            }
            """)
        let phis = f.blocks[1].phis
        #expect(phis.map(\.type) == [.w, .l, .w])
        #expect(phis[0].incoming.count == 2)
        #expect(phis[0].value(from: BlockID(1)) == .temp(phis[1].result))
        #expect(phis[2].incoming.isEmpty)
        #expect(f.blocks[1].instructions.isEmpty)
        #expect(phis[1].position == SourcePosition(line: 6, column: 2))
    }

    @Test func commentsAndSpacing() throws {
        let (_, f) = try parseFunction("""
            # a comment before everything
            function   w   $f ( w %a ,w %b,) {   # trailing comment

            @start   # label comment
            \t%x=w   add%a,%b#no spaces needed
              \t   %y =w sub %x , 1\r
            \tret %y
            # comment line inside the body

            }
            # final comment without newline
            """)
        #expect(f.parameters.count == 2)
        let i = f.blocks[0].instructions
        #expect(i.map(\.op) == [.add, .sub])
        #expect(i[1].position == SourcePosition(line: 6, column: 7))
    }

    @Test func bodyOnTheSameLineAsTheBrace() throws {
        let (_, f) = try parseFunction("function $f()\n{ @start\n\tret\n}")
        #expect(f.blocks.count == 1)
    }

    @Test func severalFunctionsAndFiles() throws {
        var m = Module()
        try ILParser.parse(Array("function $a() {\n@s\n\tret\n}\n".utf8), fileName: "a.ssa", into: &m)
        try ILParser.parse(Array("type :t = { w }\nfunction $b(:t %x) {\n@s\n\tcall $a()\n\tret\n}\n".utf8),
                           fileName: "b.ssa", into: &m)
        #expect(m.files == ["a.ssa", "b.ssa"])
        #expect(m.functions.map(\.file) == [0, 1])
        #expect(m.items == [.function(0), .type(TypeID(0)), .function(1)])
        // The call names the symbol the first file defined.
        #expect(m.functions[1].constants.contains(.symbol(m.functions[0].name, offset: 0, access: .direct)))
    }

    @Test func functionLinkage() throws {
        let (_, f) = try parseFunction("export section \".text.hot\" \"ax\"\nfunction $f() {\n@s\n\tret\n}")
        #expect(f.linkage == Linkage(export: true, section: ".text.hot", sectionFlags: "ax"))
    }
}
