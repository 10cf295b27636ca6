import KeelIR
import KeelInterp
import Testing

/// Functions built with the IR API, without the parser: the interpreter
/// must not depend on anything the parser alone guarantees.
struct BuilderTests {
    /// main: x = 1, y = 2; loop 3 times { (x, y) = (y, x) via phis } ; return x * 10 + y
    func swapModule(withTerminator: Bool) -> Module {
        var m = Module()
        var f = Function(name: m.symbols.intern("main"), returnType: .base(.w))
        let start = f.addBlock(label: "start")
        let loop = f.addBlock(label: "loop")
        let done = f.addBlock(label: "done")
        let x = f.newTemp(name: "x", type: .w), y = f.newTemp(name: "y", type: .w)
        let n = f.newTemp(name: "n", type: .w), n1 = f.newTemp(name: "n1", type: .w)
        let c = f.newTemp(name: "c", type: .w), r = f.newTemp(name: "r", type: .w)
        let one = f.addConstant(.integer(1)), two = f.addConstant(.integer(2))
        let zero = f.addConstant(.integer(0)), three = f.addConstant(.integer(3)), ten = f.addConstant(.integer(10))
        f[start].terminator = .jmp(loop)
        f[loop].phis = [
            Phi(result: n, type: .w, incoming: [PhiArgument(block: start, value: zero), PhiArgument(block: loop, value: .temp(n1))]),
            Phi(result: x, type: .w, incoming: [PhiArgument(block: start, value: one), PhiArgument(block: loop, value: .temp(y))]),
            Phi(result: y, type: .w, incoming: [PhiArgument(block: start, value: two), PhiArgument(block: loop, value: .temp(x))]),
        ]
        f[loop].instructions = [
            Instruction(op: .add, type: .w, result: .temp(n1), a: .temp(n), b: one),
            Instruction(op: .csltw, type: .w, result: .temp(c), a: .temp(n1), b: three),
        ]
        f[loop].terminator = .jnz(.temp(c), loop, done)
        f[done].instructions = [
            Instruction(op: .mul, type: .w, result: .temp(r), a: .temp(x), b: ten),
            Instruction(op: .add, type: .w, result: .temp(r), a: .temp(r), b: .temp(y)),
        ]
        if withTerminator { f[done].terminator = .ret(.temp(r)) }
        m.addFunction(f)
        return m
    }

    @Test func phisAreAParallelAssignment() throws {
        var interp = try Interpreter(module: swapModule(withTerminator: true))
        var out: [UInt8] = []
        // Entries into @loop: from @start (x=1,y=2), then 2 swaps.
        #expect(try interp.run(output: &out) == 12)
    }

    @Test func blockWithoutTerminatorIsARuntimeError() throws {
        var interp = try Interpreter(module: swapModule(withTerminator: false))
        var out: [UInt8] = []
        #expect {
            _ = try interp.run(output: &out)
        } throws: { error in
            (error as? RuntimeError)?.message == "fell off the end of block @done, which has no terminator"
        }
    }

    @Test func operandNamingAMissingTemporaryIsADiagnostic() throws {
        var m = Module()
        var f = Function(name: m.symbols.intern("main"), returnType: .base(.w))
        let b = f.addBlock(label: "start")
        f[b].terminator = .ret(.temp(Temp(7)))
        m.addFunction(f)
        #expect(throws: Diagnostic.self) { _ = try Interpreter(module: m) }
    }
}
