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

    /// A module that uses the collector is refused, not compiled without stack maps.
    @Test func collectedModulesAreRefused() throws {
        let r = try Self.compiles("""
            function r $keep(r %o) {
            @start
            \t%c =w call $puts(l 0)
            \tret %o
            }
            """)
        #expect(r.status != 0)
        #expect(r.stderr.contains("1:") && r.stderr.contains("no stack maps"), "\(r.stderr)")
    }

    /// Reference cells in data alone make a module one that uses the collector.
    @Test func modulesWithReferenceCellsAreRefused() throws {
        let r = try Self.compiles("""
            data $g = align 8 { r 0 }
            function l $peek() {
            @start
            \t%c =w call $puts(l 0)
            \t%v =l loadl $g
            \tret %v
            }
            """)
        #expect(r.status != 0)
        #expect(r.stderr.contains("2:") && r.stderr.contains("no stack maps"), "\(r.stderr)")
    }
}
