import KeelCodegen
import KeelIR
import Testing

/// The machine blocks selection creates (SelectionBlockPlan.swift).
struct SelectionBlockPlanTests {
    func plan(_ text: String, joins: [Int32] = []) throws -> (SelectionBlockPlan, Function) {
        var module = try Module(parsing: text)
        #expect(constructSSA(&module).isEmpty)
        let f = module.functions[0]
        return (SelectionBlockPlan(f, joins: joins), f)
    }

    /// The IR blocks in machine order (edge blocks left out).
    func order(_ p: SelectionBlockPlan, _ f: Function) -> [String] {
        p.steps.compactMap { if case .block(let b) = $0 { return f.blocks[b.int].label } else { return nil } }
    }

    @Test func blocksKeepTheirOrder() throws {
        let (p, f) = try plan("""
            function w $f(w %m) {
            @start
                jnz %m, @more, @base
            @base
                ret 1
            @more
                ret 2
            }
            """)
        #expect(order(p, f) == ["start", "base", "more"])
    }

    @Test func armsOfAConvertedBranchAreNotSelected() throws {
        let (p, f) = try plan("""
            function w $f(w %x, w %m) {
            @start
                jnz %x, @then, @join
            @then
                jmp @join
            @join
                %r =w phi @start %m, @then %x
                ret %r
            }
            """, joins: [2, -1, -1])
        #expect(order(p, f) == ["start", "join"])
        #expect(!p.reachable[1])
    }
}
