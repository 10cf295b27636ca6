import KeelIR
import KeelInterp
import Testing

/// Declared layouts (section `keel_layouts`) in the interpreter: the
/// declaration is ordinary data, so a module that declares a layout it also
/// defines runs as without the declaration; a declared layout the module
/// does not define is still an undefined symbol (the tool refuses to run
/// it) and, run anyway, an allocation of it is a runtime error naming it,
/// never a guess from the declaration.
struct DeclaredLayoutInterpTests {
    static let program = """
        data $box = align 8 { w 1263288665, w 3, w 0, w 0, l 0, l 0 }
        section "keel_layouts" data $declared = { l $box, l 3, l 0 }
        export function l $main() {
        @start
            %o =r call $keel_alloc(l $box, l 2)
            %h =l add %o, 8
            %n =l loadl %h
            ret %n
        }
        """

    @Test func aDeclaredLayoutTheModuleDefinesIsAllocated() throws {
        let module = try Module(parsing: Self.program, fileName: "t.ssa")
        var interp = try Interpreter(module: module)
        var out: [UInt8] = []
        #expect(try interp.run(arguments: ["t"], output: &out) == 2)
    }

    @Test func aDeclaredExternalLayoutIsUndefinedAndNotAllocated() throws {
        let external = Self.program.replacingOccurrences(of: "data $box = align 8 { w 1263288665, w 3, w 0, w 0, l 0, l 0 }\n", with: "")
        let module = try Module(parsing: external, fileName: "t.ssa")
        let interp = try Interpreter(module: module)
        #expect(interp.undefinedExternals().contains("box"))
        let (error, _) = try #require(try expectRuntimeError(external))
        #expect(error.description.contains("keel_alloc: the layout descriptor"), "\(error)")
        #expect(error.description.contains("$box"), "\(error)")
    }
}
