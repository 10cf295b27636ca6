import Testing
@testable import KeelIR

/// `tailcall` in the IL text and the IR (docs/il-extensions.md, "Tail calls").
struct TailCallILTests {
    static let source = """
        function l $f(l %n, d %x) {
        @start
        \tjnz %n, @more, @done
        @done
        \tret %n
        @more
        \t%m =l sub %n, 1
        \ttailcall $g(d %x, l %m)
        }

        function $v(l %p, l %e) {
        @start
        \ttailcall %p(env %e, l 1)
        }

        """

    @Test func parsesAsACallThenReturnOfItsResult() throws {
        let m = try Module(parsing: Self.source, fileName: "t.ssa")
        let f = m.functions[0]
        let more = f.blocks[2]
        let call = try #require(more.instructions.last)
        #expect(call.op == .call && f.calls[Int(call.extra)].isTail)
        #expect(f.calls[Int(call.extra)].returnType == .base(.l))
        #expect(call.result.temp != nil && more.terminator == .ret(call.result))
        #expect(f.tailCall(endingBlock: more) == call)
        #expect(f.tailCall(endingBlock: f.blocks[1]) == nil)
        // A function without result: no result temporary, `ret` of nothing.
        let v = m.functions[1]
        #expect(v.blocks[0].instructions.last?.result == Ref.none && v.blocks[0].terminator == .ret(.none))
        #expect(v.calls[0].env != .none && v.hasTailCalls && !m.functions[0].calls.isEmpty)
    }

    @Test func printsAsWritten() throws {
        let m = try Module(parsing: Self.source, fileName: "t.ssa")
        #expect(ILPrinter.print(m) == Self.source)
    }

    @Test func builderEndsTheBlockWithATailCall() throws {
        var m = Module()
        var b = FunctionBuilder(name: "f", returnType: .base(.l), in: &m)
        let n = b.addParameter(.base(.l), name: "n")
        let start = b.createBlock("start")
        b.jump(start)
        b.sealBlock(start)
        b.switchTo(start)
        let g = b.constant(.symbol(m.symbols.intern("g"), offset: 0, access: .direct))
        b.tailCall(g, arguments: [CallArgument(type: .base(.l), value: n)])
        #expect(b.isTerminated)
        m.addFunction(try b.finish())
        #expect(ILPrinter.print(m).contains("\ttailcall $g(l %n)\n}"))
    }

    @Test func tailCallIsATerminatorNotAnInstruction() throws {
        let il = """
            function l $f(l %n) {
            @start
            \t%x =l tailcall $f(l %n)
            }
            """
        #expect(throws: Diagnostic.self) { try Module(parsing: il, fileName: "t.ssa") }
        let after = """
            function l $f(l %n) {
            @start
            \ttailcall $f(l %n)
            \tret %n
            }
            """
        #expect(throws: Diagnostic.self) { try Module(parsing: after, fileName: "t.ssa") }
    }
}
