import Testing
import Keel

/// The `Keel` product is all a front end needs: build IR with variables,
/// verify, optimize, compile to assembly. This is the smallest such front end.
@Suite struct KeelLibraryAPITests {
    /// function l $sum(l %n) { s = 0; i = 0; while (i < n) { s += i; i += 1 } return s }
    func sumModule() throws -> Module {
        var module = Module()
        var b = FunctionBuilder(name: "sum", returnType: .base(.l), linkage: Linkage(export: true), in: &module)
        let n = b.addParameter(.base(.l), name: "n")
        let s = b.declareVariable(.l, name: "s"), i = b.declareVariable(.l, name: "i")
        b.write(s, b.integer(0))
        b.write(i, b.integer(0))
        let head = b.createBlock("head"), body = b.createBlock("body"), done = b.createBlock("done")
        b.jump(head)
        b.switchTo(head)
        b.branch(b.emit(.csltl, .w, b.read(i), n), body, done)
        b.sealBlock(body)
        b.sealBlock(done)
        b.switchTo(body)
        b.write(s, b.emit(.add, .l, b.read(s), b.read(i)))
        b.write(i, b.emit(.add, .l, b.read(i), b.integer(1)))
        b.jump(head)
        b.sealBlock(head)
        b.switchTo(done)
        b.ret(b.read(s))
        module.addFunction(try b.finish())
        return module
    }

    @Test func buildVerifyOptimizeAndCompile() throws {
        var module = try sumModule()
        try KeelCompiler.verifyAndOptimize(&module)
        let il = KeelCompiler.ilText(module)
        #expect(il.contains("export function l $sum(l %n)"))
        #expect(il.contains("phi"))  // the builder placed the loop's phis
        let assembly = String(decoding: try KeelCompiler.assembly(for: module), as: UTF8.self)
        #expect(assembly.contains("sum:"))
        #expect(throws: DiagnosticList.self) { try KeelCompiler.assembly(for: module, target: "vax") }
    }

    @Test func verifierErrorsAreDiagnostics() throws {
        var module = Module()
        var b = FunctionBuilder(name: "bad", returnType: .base(.r), in: &module)
        let p = b.addParameter(.base(.l), name: "p")
        b.ret(b.emit(.copy, .r, p))  // an l is not a reference
        module.addFunction(try b.finish())
        #expect(throws: DiagnosticList.self) { try KeelCompiler.verifyAndOptimize(&module) }
    }
}
