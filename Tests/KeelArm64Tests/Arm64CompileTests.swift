import Foundation
import KeelTestSupport
import Testing

/// Programs that only need to compile for arm64 (with every check on, as
/// debug builds run them): edge cases of selection found by the fuzzer.
struct Arm64CompileTests {
    static func compiles(_ il: String) throws -> KeelBinary.Result {
        let file = try KeelBinary.temporaryFile(il)
        return try KeelBinary.run(["il", "-t", "arm64", file, "-o", "/dev/null"])
    }

    /// Address arithmetic with the most negative constant: folding `sub p, c` as `p + -c` must not negate it.
    @Test func subtractingInt64MinFromAnAddress() throws {
        let r = try Self.compiles("""
            export function l $f(l %p) {
            @start
            \t%a =l sub %p, -9223372036854775808
            \t%b =l add %p, -9223372036854775808
            \t%x =l loadl %a
            \t%y =l loadl %b
            \t%s =l add %x, %y
            \tret %s
            }
            """)
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// Immediates at the edges of the encodings: compare and add with Int64.min, -4096, 4096, 0xfff000.
    @Test func immediatesAtTheEdges() throws {
        let r = try Self.compiles("""
            export function l $f(l %a, w %b) {
            @start
            \t%c =l add %a, -9223372036854775808
            \t%d =l sub %c, -4096
            \t%e =l add %d, 16773120
            \t%g =w csltl %e, -9223372036854775808
            \t%h =w ceqw %b, -2147483648
            \t%i =w add %g, %h
            \t%j =l extsw %i
            \t%k =l and %j, -9223372036854775808
            \tret %k
            }
            """)
        #expect(r.status == 0, "\(r.stderr)")
    }

    static func assembly(_ il: String) throws -> String {
        let file = try KeelBinary.temporaryFile(il)
        let r = try KeelBinary.run(["il", "-t", "arm64", "--check-alloc", file])
        try #require(r.status == 0, "\(r.stderr)")
        return r.stdout
    }

    /// A module that uses the collector gets a stack-map entry per safepoint,
    /// labelled right after its `bl`, listing the x29-relative cell of the
    /// reference live across it; a callee declared never to collect is no safepoint.
    @Test func collectedModulesGetStackMaps() throws {
        let s = try Self.assembly("""
            section "keel_nocollect" data $quiet = { l $puts }
            function r $keep(r %o) {
            @start
            \t%c =w call $puts(l 0)
            \t%d =w call $getchar()
            \tret %o
            }
            """)
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let call = try #require(lines.firstIndex(of: "\tbl getchar"))
        #expect(lines[call + 1] == ".Lsp0_0:", "\(s)")
        #expect(!s.contains(".Lsp0_1"), "only getchar is a safepoint:\n\(s)")
        let section = try #require(lines.firstIndex(of: "\t.section keel_stackmaps,\"a\",@progbits"), "\(s)")
        #expect(lines[section + 2] == "\t.long .Lsp0_0 - .")
        #expect(lines[section + 3] == "\t.short 1, 0")
        let offset = try #require(Int(lines[section + 4].dropFirst("\t.long ".count)))
        #expect(offset > 0 && offset % 8 == 0, "x29-relative, above the frame record: \(offset)")
        // The slot is where the reference was stored before the call and is reloaded from after it.
        #expect(lines[..<call].contains { $0.hasSuffix("[x29, #\(offset)]") && $0.hasPrefix("\tstr ") })
        #expect(lines[call...].contains { $0.hasSuffix("[x29, #\(offset)]") && $0.hasPrefix("\tldr ") })
        #expect(!s.contains("quiet"), "the keel_nocollect declaration is for the compiler only")
    }

    /// Reference cells in data are listed in keel_globals, one address per cell.
    @Test func referenceCellsAreGlobalRoots() throws {
        let s = try Self.assembly("""
            data $g = align 8 { l 7, r 0, r 0 }
            function l $peek() {
            @start
            \t%v =l loadl $g
            \tret %v
            }
            """)
        #expect(s.contains("\t.section keel_globals,\"aw\",@progbits\n\t.balign 8\n\t.quad g+8\n\t.quad g+16\n"), "\(s)")
    }

    /// `storer` into a heap field marks the field's card; into a global cell it does not.
    @Test func storerMarksTheCardOfHeapFieldsOnly() throws {
        let s = try Self.assembly("""
            data $cell = align 8 { r 0 }
            function $set(r %o, r %v) {
            @start
            \t%f =l add %o, 24
            \tstorer %v, %f
            \tstorer %v, $cell
            \tret
            }
            """)
        #expect(s.contains("\tadd x17, x0, #24\n\tlsr x17, x17, #9\n\tadrp x16, keel_card_table\n"), "\(s)")
        #expect(s.components(separatedBy: "keel_card_table]").count == 2, "one card mark only:\n\(s)")
    }

    /// `keel_alloc` of a module layout with a constant size takes the nursery's bump pointer inline.
    @Test func allocationIsInline() throws {
        let s = try Self.assembly("""
            data $pair = align 8 { w 1263288665, w 1, w 2, w 0, l $refs, l 0 }
            data $refs = align 8 { l 3 }
            export function w $main() {
            @start
            \t%o =r call $keel_alloc(l $pair, l 2)
            \tstorer %o, %o
            \tret 0
            }
            """)
        #expect(s.contains("\tadrp x16, keel_nursery\n\tadd x16, x16, :lo12:keel_nursery\n\tldr x0, [x16]\n\tadd x1, x0, #32\n"), "\(s)")
        #expect(s.contains("\tbl keel_alloc\n.Lsp0_0:\n2:\n"), "\(s)")
    }
}
