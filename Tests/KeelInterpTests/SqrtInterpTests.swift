import KeelIR
import KeelInterp
import Testing

/// Keel's `sqrt`: the IEEE-754 square root, correctly rounded.
struct SqrtInterpTests {
    @Test func doubleAndSingleRoots() throws {
        let (out, status) = try run("""
            data $f = { b "%.17g %.17g %g %g %g %.9g %g\\n", b 0 }
            function d $root(d %x) {
            @start
                %r =d sqrt %x
                ret %r
            }
            function s $roots(s %x) {
            @start
                %r =s sqrt %x
                ret %r
            }
            export function w $main() {
            @start
                %a =d call $root(d d_2)
                %b =d call $root(d d_6.25)
                %c =d call $root(d d_-0)
                %n =d call $root(d d_-1)
                %i =d call $root(d d_inf)
                %s =s call $roots(s s_2)
                %sd =d exts %s
                %z =s call $roots(s s_-0)
                %zd =d exts %z
                call $printf(l $f, ..., d %a, d %b, d %c, d %n, d %i, d %sd, d %zd)
                %u =w cuod %n, %n
                ret %u
            }
            """)
        // sqrt(-1) is a NaN (its sign is the machine's: printf shows "nan" or "-nan").
        let fields = out.split(separator: " ")
        #expect(fields.count == 7)
        #expect(fields[0] == "1.4142135623730951")
        #expect(fields[1] == "2.5")
        #expect(fields[2] == "-0")
        #expect(fields[3].hasSuffix("nan"))
        #expect(fields[4] == "inf")
        #expect(fields[5] == "1.41421354")
        #expect(fields[6] == "-0\n")
        #expect(status == 1)
    }
}
