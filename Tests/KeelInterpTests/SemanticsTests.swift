import KeelIR
import KeelInterp
import Testing

/// Runs `source` from `$main` and returns (stdout, status).
func run(_ source: String, arguments: [String] = ["t"], entry: String = "main") throws -> (String, Int32) {
    var interp = try Interpreter(module: try Module(parsing: source, fileName: "t.ssa"))
    var out: [UInt8] = []
    let status = try interp.run(entry: entry, arguments: arguments, output: &out)
    return (String(decoding: out, as: UTF8.self), status)
}

/// Behaviour that native runs cannot check, because C leaves it undefined
/// or because it is the interpreter's own contract.
struct SemanticsTests {
    @Test func outOfRangeFloatToIntegerGivesTheIndefiniteValue() throws {
        let (out, _) = try run("""
            data $f = { b "%x %x %lx %lx %x %x %lx\\n", b 0 }
            export function w $main() {
            @start
                %nan =d div d_0, d_0
                %a =w dtosi d_1e20
                %b =w dtosi %nan
                %c =l dtosi d_-1e30
                %d =l dtoui %nan
                %e =w dtoui d_-1
                %g =w stosi s_3e9
                %h =l stoui s_1e30
                call $printf(l $f, ..., w %a, w %b, l %c, l %d, w %e, w %g, l %h)
                ret 0
            }
            """)
        #expect(out == "80000000 80000000 8000000000000000 8000000000000000 ffffffff 80000000 8000000000000000\n")
    }

    @Test func upperBitsOfWordsAreNeverObservable() throws {
        let (out, _) = try run("""
            data $f = { b "%d %d %lu %d\\n", b 0 }
            export function w $main() {
            @start
                %a =w add 4294967295, 1
                %z =w ceqw %a, 0
                %big =l copy 4294967298
                %b =w copy %big
                %c =l extuw %b
                %s =w shr %big, 1
                call $printf(l $f, ..., w %z, w %b, l %c, w %s)
                ret 0
            }
            """)
        #expect(out == "1 2 2 1\n")
    }

    @Test func argvHoldsTheArguments() throws {
        let (out, status) = try run("""
            data $f = { b "%d %s %s\\n", b 0 }
            export function w $main(w %argc, l %argv) {
            @start
                %p1 =l add %argv, 8
                %a1 =l loadl %p1
                %p2 =l add %argv, 16
                %a2 =l loadl %p2
                call $printf(l $f, ..., w %argc, l %a1, l %a2)
                ret %argc
            }
            """, arguments: ["prog", "one", "two"])
        #expect(out == "3 one two\n")
        #expect(status == 3)
    }

    @Test func exitStatusComesFromExitAndRunsAreRepeatable() throws {
        let source = """
            data $n = { w 0 }
            export function w $main() {
            @start
                %v =w loadw $n
                %v =w add %v, 5
                storew %v, $n
                call $exit(w %v)
                ret 1
            }
            """
        var interp = try Interpreter(module: try Module(parsing: source, fileName: "t.ssa"))
        var out: [UInt8] = []
        // Data starts from its initial contents on every run.
        #expect(try interp.run(arguments: ["t"], output: &out) == 5)
        #expect(try interp.run(arguments: ["t"], output: &out) == 5)
    }

    @Test func otherEntryFunctionAndMissingEntry() throws {
        let source = """
            export function w $start() {
            @s
                ret 9
            }
            """
        #expect(try run(source, entry: "start").1 == 9)
        #expect(throws: RuntimeError.self) { try run(source) }
        do {
            _ = try run(source)
        } catch let e as RuntimeError {
            #expect(e.message == "no function $main to run")
        }
    }

    @Test func undefinedDataSymbolsAreListedAndFaultWhenRead() throws {
        let source = """
            export function w $main() {
            @start
                %v =w loadw $missing
                ret %v
            }
            """
        let interp = try Interpreter(module: try Module(parsing: source, fileName: "t.ssa"))
        #expect(interp.undefinedExternals() == ["missing"])
        #expect(!interp.undefinedExternals().contains("printf"))
        do {
            _ = try run(source)
            Issue.record("expected an error")
        } catch let e as RuntimeError {
            #expect(e.message.hasSuffix("$missing is an undefined external symbol, its memory cannot be accessed"))
        }
    }

    @Test func subwordReturnsAreExtendedPerType() throws {
        // A `ub` call result of 511 keeps 255, an `sb` one -1; a callee declared
        // `sh` returning 98303 (0x17FFF) gives its low 16 bits, sign-extended.
        let (out, _) = try run("""
            data $f = { b "%d %d %d\\n", b 0 }
            function w $big() {
            @start
                ret 511
            }
            function sh $half() {
            @start
                ret 98303
            }
            export function w $main() {
            @start
                %a =ub call $big()
                %b =sb call $big()
                %c =w call $half()
                call $printf(l $f, ..., w %a, w %b, w %c)
                ret 0
            }
            """)
        #expect(out == "255 -1 32767\n")
    }

    @Test func mallocBeyondTheMemoryLimitReturnsNull() throws {
        var interp = try Interpreter(module: try Module(parsing: """
            export function w $main() {
            @start
                %p =l call $malloc(l 4096)
                %q =l call $malloc(l 4096)
                %z =w ceql %q, 0
                %nz =w cnel %p, 0
                %r =w and %z, %nz
                ret %r
            }
            """, fileName: "t.ssa"))
        interp.memoryLimit = 6000
        var out: [UInt8] = []
        #expect(try interp.run(output: &out) == 1)
    }

    @Test func pointersAreIntegers() throws {
        // Pointer arithmetic, comparison and round trips through memory and through w halves.
        let (out, _) = try run("""
            data $f = { b "%d %d %d %ld\\n", b 0 }
            data $arr = { w 10 20 30 }
            export function w $main() {
            @start
                %end =l add $arr, 12
                %n =l sub %end, $arr
                %lt =w cultl $arr, %end
                %slot =l alloc8 8
                storel %end, %slot
                %back =l loadl %slot
                %p =l sub %back, 4
                %v =w loadw %p
                %lo =l and %p, 4294967295
                %hi =l xor %p, %lo
                %again =l or %hi, %lo
                %same =w ceql %again, %p
                call $printf(l $f, ..., w %lt, w %v, w %same, l %n)
                ret 0
            }
            """)
        #expect(out == "1 30 1 12\n")
    }

    @Test func printfOfNullPointersAndPointerFormat() throws {
        let (out, _) = try run("""
            data $f = { b "[%p] [%s] [%8p] [%.3s]\\n", b 0 }
            data $g = { b "%p\\n", b 0 }
            data $d = { w 0 }
            export function w $main() {
            @start
                call $printf(l $f, ..., l 0, l 0, l 0, l 0)
                call $printf(l $g, ..., l $d)
                ret 0
            }
            """)
        let lines = out.split(separator: "\n")
        #expect(lines.first == "[(nil)] [(null)] [   (nil)] []")
        #expect(lines.count == 2 && lines[1].hasPrefix("0x") && lines[1].count > 10)
    }
}
