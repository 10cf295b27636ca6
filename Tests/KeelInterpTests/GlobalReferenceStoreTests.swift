import KeelIR
import KeelInterp
import Testing

/// `storer` into global reference cells in the interpreter: allowed when the
/// address is the cell's symbol (the backend omits the card mark only then),
/// an error at the instruction through a computed address or into a byte
/// that is not a cell.
struct GlobalReferenceStoreTests {
    static let data = """
        data $vector = align 8 { w 1263288665, w 2, w 0, w 0, l 0, l 0 }
        data $roots = align 8 { r 0, l 5, r 0 }

        """

    static func failure(_ body: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> RuntimeError? {
        try expectRuntimeError(data + body, sourceLocation: sourceLocation)?.0
    }

    @Test func aSymbolAddressStoresAndLoadsTheCell() throws {
        let module = try Module(parsing: Self.data + """
            export function w $main() {
            @start
                %o =r call $keel_alloc(l $vector, l 1)
                storer %o, $roots + 16
                storer 9, $roots
                %back =r loadr $roots + 16
                %same =w ceql %back, %o
                %imm =l loadl $roots
                %nine =w ceql %imm, 9
                %ok =w and %same, %nine
                ret %ok
            }
            """, fileName: "t.ssa")
        var interp = try Interpreter(module: module)
        var out: [UInt8] = []
        #expect(try interp.run(arguments: ["t"], output: &out) == 1)
    }

    @Test func aComputedAddressIsAnError() throws {
        let e = try #require(try Self.failure("""
            export function w $main() {
            @start
                %o =r call $keel_alloc(l $vector, l 1)
                %a =l add $roots, 16
                storer %o, %a
                ret 0
            }
            """))
        #expect(e.message == "storer into the reference cell $roots + 16 through a computed address: name it as `$roots + 16` (the backend omits the heap's card mark only for a symbol address)")
        #expect(e.position.line == 7)
    }

    @Test func aWordThatIsNotACellIsAnError() throws {
        let e = try #require(try Self.failure("""
            export function w $main() {
            @start
                %o =r call $keel_alloc(l $vector, l 1)
                storer %o, $roots + 8
                ret 0
            }
            """))
        #expect(e.message == "storer into byte 8 of $roots, which is not one of its reference cells (r items)")
    }

    @Test func theValueIsCheckedAsForAField() throws {
        let e = try #require(try Self.failure("""
            export function w $main() {
            @start
                storer 16, $roots
                ret 0
            }
            """))
        #expect(e.message.hasSuffix("which is neither an object, 0 nor an immediate (low three bits not all 0): the collector would trace it"))
    }
}
