import KeelIR
import KeelInterp
import Testing

/// The interpreter's side of Keel's runtime (KeelInterp/ManagedHeap.swift):
/// misuse that would corrupt the native heap is a runtime error at the
/// instruction, never a crash; correct use runs.
struct ManagedHeapTests {
    static let layouts = """
        data $pair_refs = align 8 { l 2 }
        data $pair = align 8 { w 1263288665, w 1, w 2, w 0, l $pair_refs, l 0 }
        data $vector = align 8 { w 1263288665, w 2, w 0, w 0, l 0, l 0 }
        data $bytes = align 8 { w 1263288665, w 3, w 0, w 0, l 0, l 0 }
        data $notlayout = align 8 { w 1, w 1, w 2, w 0, l 0, l 0 }
        data $badkind = align 8 { w 1263288665, w 4, w 1, w 0, l 0, l 0 }
        data $cell = { l 0 }

        """

    static func run(_ body: String) throws -> (Int32, String) {
        let module = try Module(parsing: layouts + body, fileName: "t.ssa")
        var interp = try Interpreter(module: module)
        var out: [UInt8] = []
        let status = try interp.run(arguments: ["t"], output: &out)
        return (status, String(decoding: out, as: UTF8.self))
    }

    static func failure(_ body: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> RuntimeError? {
        try expectRuntimeError(layouts + body, sourceLocation: sourceLocation)?.0
    }

    @Test func objectsAreZeroedWithAHeader() throws {
        let (status, _) = try Self.run("""
            export function l $main() {
            @start
                %o =r call $keel_alloc(l $pair, l 2)
                %layout =l loadl %o
                %h =l add %o, 8
                %n =l loadl %h
                %f =l add %o, 16
                %z =l loadl %f
                %ok1 =w ceql %layout, $pair
                %ok2 =w ceql %n, 2
                %ok3 =w ceql %z, 0
                %a =w and %ok1, %ok2
                %b =w and %a, %ok3
                ret %b
            }
            """)
        #expect(status == 1)
    }

    @Test func layoutsAreChecked() throws {
        let notLayout = try #require(try Self.failure("""
            export function w $main() {
            @start
                %o =r call $keel_alloc(l $notlayout, l 2)
                ret 0
            }
            """))
        #expect(notLayout.message.hasPrefix("keel_alloc: $notlayout is not a layout descriptor"))
        #expect(notLayout.position.line == 10)
        let kind = try #require(try Self.failure("""
            export function w $main() {
            @start
                %o =r call $keel_alloc(l $badkind, l 1)
                ret 0
            }
            """))
        #expect(kind.message == "keel_alloc: $badkind has kind 4; a program's layouts are 1 (RECORD), 2 (REFS) or 3 (BYTES)")
        let words = try #require(try Self.failure("""
            export function w $main() {
            @start
                %o =r call $keel_alloc(l $pair, l 3)
                ret 0
            }
            """))
        #expect(words.message == "keel_alloc: 3 words asked of RECORD layout $pair, which has 2")
        let null = try #require(try Self.failure("""
            export function w $main() {
            @start
                %o =r call $keel_alloc(l 0, l 3)
                ret 0
            }
            """))
        #expect(null.message.hasPrefix("keel_alloc: the layout descriptor: read of 32 bytes at 0x0"))
    }

    @Test func storerNeedsAReferenceFieldOfAnObject() throws {
        // Word 0 of a pair is an integer field (refmap 0b10).
        let integerField = try #require(try Self.failure("""
            export function w $main() {
            @start
                %o =r call $keel_alloc(l $pair, l 2)
                %f =l add %o, 16
                storer %o, %f
                ret 0
            }
            """))
        #expect(integerField.message == "storer into word 0 of an object of $pair, which is not a reference field: the collector would not update it when its object moves")
        let header = try #require(try Self.failure("""
            export function w $main() {
            @start
                %o =r call $keel_alloc(l $vector, l 2)
                %f =l add %o, 8
                storer %o, %f
                ret 0
            }
            """))
        #expect(header.message.hasPrefix("storer at offset 8 of the object at"))
        let bytes = try #require(try Self.failure("""
            export function w $main() {
            @start
                %o =r call $keel_alloc(l $bytes, l 2)
                %f =l add %o, 16
                storer %o, %f
                ret 0
            }
            """))
        #expect(bytes.message.hasPrefix("storer into word 0 of an object of $bytes, which is not a reference field"))
        let global = try #require(try Self.failure("""
            export function w $main() {
            @start
                %o =r call $keel_alloc(l $vector, l 2)
                storer %o, $cell
                ret 0
            }
            """))
        #expect(global.message.contains("in data $cell, which is not a GC object: the barrier's card table covers only the heap"))
        let pastEnd = try #require(try Self.failure("""
            export function w $main() {
            @start
                %o =r call $keel_alloc(l $vector, l 2)
                %f =l add %o, 32
                storer %o, %f
                ret 0
            }
            """))
        #expect(pastEnd.message.hasSuffix("is out of bounds of GC object of 32 bytes (offset 32)"))
    }

    @Test func anUnreadableReferenceBitmapIsReportedAtTheStore() throws {
        let e = try #require(try Self.failure("""
            data $badmap = align 8 { w 1263288665, w 1, w 1, w 0, l 8, l 0 }
            export function w $main() {
            @start
                %o =r call $keel_alloc(l $badmap, l 1)
                %f =l add %o, 16
                storer 0, %f
                ret 0
            }
            """))
        #expect(e.message.hasPrefix("the reference bitmap of $badmap: read of 8 bytes at 0x8"))
        #expect(e.position.line == 13)
        #expect(e.function == "main")
    }

    @Test func storerValuesAreObjectsZeroOrImmediates() throws {
        let (status, _) = try Self.run("""
            export function w $main() {
            @start
                %o =r call $keel_alloc(l $vector, l 3)
                %f =l add %o, 16
                storer %o, %f
                %g =l add %o, 24
                storer 0, %g
                %h =l add %o, 32
                storer 9, %h
                ret 0
            }
            """)
        #expect(status == 0)
        let interior = try #require(try Self.failure("""
            export function w $main() {
            @start
                %o =r call $keel_alloc(l $vector, l 3)
                %f =l add %o, 16
                %p =r call $keel_alloc(l $vector, l 3)
                %q =r loadr $cell
                storer %q, %f
                %x =l add %p, 16
                storel %x, $cell
                %y =r loadr $cell
                %f2 =l add %o, 16
                storer %y, %f2
                ret 0
            }
            """))
        #expect(interior.message.hasSuffix("which is neither an object, 0 nor an immediate (low three bits not all 0): the collector would trace it"))
    }

    @Test func handlesRunTheirDestructorOnceAtCloseOrAtExit() throws {
        let (status, out) = try Self.run("""
            data $fmt = { b "destroy %ld\\n", b 0 }
            function $destroy(l %r) {
            @start
                call $printf(l $fmt, ..., l %r)
                ret
            }
            export function w $main() {
            @start
                %a =r call $keel_handle_new(l 1, l $destroy)
                %b =r call $keel_handle_new(l 2, l $destroy)
                %c =r call $keel_handle_new(l 3, l $destroy)
                %ra =l call $keel_handle_resource(r %a)
                call $keel_handle_close(r %b)
                call $keel_handle_close(r %b)
                %rb =l call $keel_handle_resource(r %b)
                %n =l call $keel_handle_count()
                %s =l add %ra, %rb
                %s =l add %s, %n
                %w =w copy %s
                ret %w
            }
            """)
        // ra 1 + rb 0 + 2 open handles; c and a destroyed at exit, latest first.
        #expect(status == 3)
        #expect(out == "destroy 2\ndestroy 3\ndestroy 1\n")
    }

    @Test func destructorsMustNotAllocate() throws {
        let e = try #require(try Self.failure("""
            function $destroy(l %r) {
            @start
                %o =r call $keel_alloc(l $vector, l 1)
                ret
            }
            export function w $main() {
            @start
                %a =r call $keel_handle_new(l 1, l $destroy)
                call $keel_handle_close(r %a)
                ret 0
            }
            """))
        #expect(e.message == "keel_alloc called from a handle destructor (destructors must not allocate)")
        #expect(e.function == "destroy")
    }

    @Test func handleFunctionsRejectOtherObjects() throws {
        let e = try #require(try Self.failure("""
            export function w $main() {
            @start
                %o =r call $keel_alloc(l $vector, l 1)
                %r =l call $keel_handle_resource(r %o)
                ret 0
            }
            """))
        #expect(e.message.hasPrefix("keel_handle_resource of 0x"))
        #expect(e.message.hasSuffix("which is not a handle from keel_handle_new"))
    }

    @Test func collectingChangesNothing() throws {
        let (status, _) = try Self.run("""
            export function l $main() {
            @start
                %o =r call $keel_alloc(l $pair, l 2)
                %f =l add %o, 16
                storel 42, %f
                call $keel_collect(w 1)
                %g =l add %o, 16
                %v =l loadl %g
                ret %v
            }
            """)
        #expect(status == 42)
    }
}
