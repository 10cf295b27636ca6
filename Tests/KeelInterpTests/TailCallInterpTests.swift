import KeelIR
import KeelInterp
import Testing

/// `tailcall` in the interpreter: the callee replaces the caller's frame.
struct TailCallInterpTests {
    func run(_ source: String, maxCallDepth: Int) throws -> (Int32, String) {
        var interp = try Interpreter(module: try Module(parsing: source, fileName: "t.ssa"))
        interp.maxCallDepth = maxCallDepth
        interp.stepLimit = 10_000_000
        var out: [UInt8] = []
        let status = try interp.run(arguments: ["t"], output: &out)
        return (status, String(decoding: out, as: UTF8.self))
    }

    /// 100,000 mutual tail calls under a depth limit of 10: constant depth.
    @Test func mutualTailCallsRunInConstantDepth() throws {
        let source = """
            function w $ping(w %n, w %acc) {
            @start
                jnz %n, @more, @done
            @done
                ret %acc
            @more
                %m =w sub %n, 1
                %a =w add %acc, 2
                tailcall $pong(w %m, w %a)
            }
            function w $pong(w %n, w %acc) {
            @start
                %a =w add %acc, 1
                tailcall $ping(w %n, w %a)
            }
            export function w $main() {
            @start
                %r =w call $ping(w 100000, w 0)
                %s =w rem %r, 251
                ret %s
            }
            """
        let (status, _) = try run(source, maxCallDepth: 10)
        #expect(status == Int32(300000 % 251))
        // The same chain as ordinary calls exceeds the limit.
        let ordinary = source.replacingOccurrences(of: "tailcall $pong(w %m, w %a)", with: "%x =w call $pong(w %m, w %a)\n    ret %x")
        let (e, _) = try #require(try expectRuntimeError(ordinary, maxCallDepth: 10))
        #expect(e.message.hasPrefix("call depth limit of 10 exceeded"))
    }

    /// The caller's `alloc` memory is freed at the tail call: an address of it
    /// smuggled through memory (the verifier sees only direct ones) faults.
    @Test func theCallersFrameIsGoneInTheCallee() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            data $cell = { l 0 }
            function w $f() {
            @start
                %s =l alloc8 8
                storew 7, %s
                storel %s, $cell
                tailcall $g()
            }
            function w $g() {
            @start
                %p =l loadl $cell
                %v =w loadw %p
                ret %v
            }
            export function w $main() {
            @start
                %r =w call $f()
                ret %r
            }
            """, maxCallDepth: 100))
        #expect(e.message.hasSuffix("alloc slot of 8 bytes in $f used after its function returned"), "\(e.message)")
    }

    /// A tail call to an emulated C function returns its result.
    @Test func tailCallToABuiltin() throws {
        let (status, out) = try run("""
            data $s = { b "hello", b 0 }
            function w $say() {
            @start
                tailcall $puts(l $s)
            }
            export function w $main() {
            @start
                %r =w call $say()
                %ok =w csgew %r, 0
                ret %ok
            }
            """, maxCallDepth: 100)
        #expect(out == "hello\n" && status == 1)
    }
}
