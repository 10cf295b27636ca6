import KeelIR
import KeelInterp
import Testing

/// Runs `source` and returns the runtime error it must raise, with the output printed before it.
func expectRuntimeError(_ source: String, stepLimit: Int? = nil, maxCallDepth: Int? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> (RuntimeError, String)? {
    let module = try Module(parsing: source, fileName: "t.ssa")
    var interp = try Interpreter(module: module)
    interp.stepLimit = stepLimit
    if let maxCallDepth { interp.maxCallDepth = maxCallDepth }
    var out: [UInt8] = []
    do {
        let status = try interp.run(arguments: ["t"], output: &out)
        Issue.record("expected a runtime error, program exited with \(status)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return (error, String(decoding: out, as: UTF8.self))
    }
}

struct RuntimeErrorTests {
    @Test func divisionByZero() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            export function w $main() {
            @start
                %z =w copy 0
                %q =w div 7, %z
                ret %q
            }
            """))
        #expect(e.message == "division by zero")
        #expect(e.function == "main")
        #expect(e.block == "start")
        #expect(e.position.line == 4)
        #expect(e.description.hasPrefix("t.ssa:4:"))
    }

    @Test(arguments: ["div", "rem", "udiv", "urem"]) func divisionByZeroLong(_ op: String) throws {
        let (e, _) = try #require(try expectRuntimeError("""
            export function w $main() {
            @start
                %z =l copy 0
                %q =l \(op) 7, %z
                ret 0
            }
            """))
        #expect(e.message == "division by zero")
    }

    @Test func signedOverflowInDivision() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            export function w $main() {
            @start
                %m =w copy -1
                %q =w div -2147483648, %m
                ret %q
            }
            """))
        #expect(e.message == "signed overflow: -2147483648 / -1")
    }

    @Test func outOfBoundsAllocSlot() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            export function w $main() {
            @start
                %p =l alloc8 8
                %q =l add %p, 6
                %v =w loadw %q
                ret %v
            }
            """))
        #expect(e.message.hasPrefix("load of 4 bytes at 0x"))
        #expect(e.message.hasSuffix("is out of bounds of alloc slot of 8 bytes in $main (offset 6)"))
    }

    @Test func storeBelowStartOfData() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            data $d = { w 1 2 }
            export function w $main() {
            @start
                %q =l sub $d, 1
                storeb 0, %q
                ret 0
            }
            """))
        #expect(e.message.hasSuffix("is out of bounds of data $d of 8 bytes (offset -1)"))
        #expect(e.message.hasPrefix("store of 1 byte at"))
    }

    @Test func useAfterFree() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            export function w $main() {
            @start
                %p =l call $malloc(l 16)
                storel 1, %p
                call $free(l %p)
                %v =l loadl %p
                ret 0
            }
            """))
        #expect(e.message.hasSuffix("heap block of 16 bytes used after free"))
    }

    @Test func doubleFree() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            export function w $main() {
            @start
                %p =l call $malloc(l 16)
                call $free(l %p)
                call $free(l %p)
                ret 0
            }
            """))
        #expect(e.message.hasPrefix("double free of heap block at 0x"))
    }

    @Test func freeOfNonHeapPointer() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            export function w $main() {
            @start
                %p =l alloc8 16
                call $free(l %p)
                ret 0
            }
            """))
        #expect(e.message.hasSuffix("which was not returned by malloc, calloc or realloc"))
    }

    @Test func allocSlotUsedAfterReturn() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            function l $dangle() {
            @start
                %p =l alloc4 4
                storew 5, %p
                ret %p
            }
            export function w $main() {
            @start
                %p =l call $dangle()
                %v =w loadw %p
                ret %v
            }
            """))
        #expect(e.message.hasSuffix("alloc slot of 4 bytes in $dangle used after its function returned"))
        #expect(e.function == "main")
    }

    @Test func nullDereference() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            export function w $main() {
            @start
                %v =w loadw 0
                ret %v
            }
            """))
        #expect(e.message == "load of 4 bytes at 0x0: null pointer dereference")
    }

    @Test func unknownExternal() throws {
        let source = """
            export function w $main() {
            @start
                %r =w call $frobnicate(w 1)
                ret %r
            }
            """
        let interp = try Interpreter(module: try Module(parsing: source, fileName: "t.ssa"))
        #expect(interp.undefinedExternals() == ["frobnicate"])
        let (e, _) = try #require(try expectRuntimeError(source))
        #expect(e.message == "call to undefined external function $frobnicate")
    }

    @Test func stepLimit() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            export function w $main() {
            @start
            @loop
                jmp @loop
            }
            """, stepLimit: 1000))
        #expect(e.message == "step limit of 1000 instructions reached")
    }

    @Test func runawayRecursionHitsDepthLimit() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            function w $f(w %n) {
            @start
                %m =w add %n, 1
                %r =w call $f(w %m)
                ret %r
            }
            export function w $main() {
            @start
                %r =w call $f(w 0)
                ret %r
            }
            """, maxCallDepth: 5000))
        #expect(e.message.hasPrefix("call depth limit of 5000 exceeded calling $f"))
    }

    @Test func hlt() throws {
        let (e, out) = try #require(try expectRuntimeError("""
            data $s = { b "before", b 0 }
            export function w $main() {
            @start
                call $puts(l $s)
                hlt
            }
            """))
        #expect(e.message == "hlt reached")
        #expect(out == "before\n")
    }

    @Test func abortKeepsOutput() throws {
        let (e, out) = try #require(try expectRuntimeError("""
            export function w $main() {
            @start
                call $putchar(w 65)
                call $abort()
                ret 0
            }
            """))
        #expect(e.message == "abort() called")
        #expect(out == "A")
    }

    @Test func missingPhiArgument() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            export function w $main() {
            @start
                jnz 1, @a, @b
            @a
                jmp @join
            @b
                jmp @join
            @join
                %x =w phi @b 2
                ret %x
            }
            """))
        #expect(e.message == "phi %x in @join has no value for predecessor @a")
    }

    @Test func callThroughNonFunction() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            data $d = { w 1 }
            export function w $main() {
            @start
                %r =w call $d()
                ret %r
            }
            """))
        #expect(e.message.hasSuffix("which is not the address of a function"))
    }

    @Test func wrongArgumentCount() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            function w $two(w %a, w %b) {
            @start
                ret %a
            }
            export function w $main() {
            @start
                %r =w call $two(w 1)
                ret %r
            }
            """))
        #expect(e.message == "$two called with 1 argument but takes 2")
    }

    @Test func vaargPastTheEnd() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            function w $v(w %n, ...) {
            @start
                %ap =l alloc8 32
                vastart %ap
                %a =w vaarg %ap
                %b =w vaarg %ap
                ret %b
            }
            export function w $main() {
            @start
                %r =w call $v(w 1, ..., w 2)
                ret %r
            }
            """))
        #expect(e.message == "vaarg: no variadic argument left")
    }

    @Test func partiallyOverlappingBlit() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            export function w $main() {
            @start
                %p =l alloc8 16
                %q =l add %p, 4
                blit %p, %q, 8
                ret 0
            }
            """))
        #expect(e.message.hasPrefix("blit source and destination partly overlap"))
    }

    @Test func printfWithTooFewArguments() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            data $f = { b "%d %d", b 0 }
            export function w $main() {
            @start
                call $printf(l $f, ..., w 1)
                ret 0
            }
            """))
        #expect(e.message == "printf: the format needs more than the 1 argument passed")
    }

    @Test func unterminatedString() throws {
        let (e, _) = try #require(try expectRuntimeError("""
            data $s = { b "abc" }
            export function w $main() {
            @start
                %n =l call $strlen(l $s)
                ret 0
            }
            """))
        #expect(e.message.hasPrefix("strlen: string at 0x"))
        #expect(e.message.hasSuffix("has no terminating NUL before the end of its memory"))
    }
}
