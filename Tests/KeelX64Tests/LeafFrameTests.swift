import Foundation
import KeelAnalysis
import KeelDriver
import KeelIR
import Testing
@testable import KeelX64

/// Leaves that need no frame are written without `push %rbp` and `leave`;
/// everything that needs rbp or calls keeps the frame.
struct LeafFrameTests {
    /// The lines of function `name` in the assembly of `text` (every check on).
    func lines(_ text: String, function name: String) throws -> [String] {
        // -O1: the frames of the functions as written (-O2 would inline them).
        try functionAssemblyLines(text, function: name, level: .o1)
    }

    static let source = """
        function w $inrange(w %c) {
        @start
            %lo =w csgew %c, 97
            jnz %lo, @hi, @no
        @hi
            %h =w cslew %c, 122
            ret %h
        @no
            ret 0
        }
        function w $caller(w %c) {
        @start
            %r =w call $inrange(w %c)
            %s =w add %r, %c
            ret %s
        }
        function l $local(l %x) {
        @start
            %p =l alloc8 8
            storel %x, %p
            %y =l loadl %p
            %z =l call $keep(l %p)
            ret %y
        }
        function w $stackarg(w %a, w %b, w %c, w %d, w %e, w %f, w %g) {
        @start
            %s =w add %a, %g
            ret %s
        }
        """

    @Test func aLeafWithoutSlotsHasNoFrame() throws {
        let leaf = try lines(Self.source, function: "inrange")
        #expect(!leaf.contains("pushq %rbp"))
        #expect(!leaf.contains("leave"))
        #expect(leaf.contains("ret"))
    }

    @Test func callsKeepTheFrame() throws {
        for name in ["caller", "local"] {
            let body = try lines(Self.source, function: name)
            #expect(body.contains("pushq %rbp"), "\(name)")
            #expect(body.contains("leave"), "\(name)")
        }
    }

    /// A leaf with a stack slot and a stack argument: rsp lowered by the
    /// frame size + 8, cells and the argument addressed from rsp, rsp raised
    /// again before `ret`.
    @Test func aLeafWithSlotsAddressesThemFromRsp() throws {
        let text = """
            function l $slots(l %a, l %b, l %c, l %d, l %e, l %f, l %g) {
            @start
                %p =l alloc8 16
                storel %a, %p
                %q =l add %p, 8
                storel %g, %q
                %x =l call $blackbox(l 0)
                ret %x
            }
            function l $leaf(l %a, l %b, l %c, l %d, l %e, l %f, l %g) {
            @start
                %p =l alloc8 16
                %q =l add %p, 8
                storel %g, %q
                %r =l xor %p, %a
                %y =l loadl %q
                %s =l add %r, %y
                ret %s
            }
            """
        let body = try lines(text, function: "leaf")
        #expect(!body.contains("pushq %rbp"))
        #expect(!body.contains { $0.contains("%rbp") })
        let sub = try #require(body.first { $0.hasPrefix("subq $") && $0.hasSuffix(", %rsp") })
        let size = try #require(Int(sub.dropFirst(6).dropLast(6)))
        #expect(size % 16 == 8)  // where rbp would be stays 16-byte aligned
        #expect(body.contains("addq $\(size), %rsp"))
        #expect(body.contains { $0.hasPrefix("movq \(size + 8)(%rsp)") })  // %g, 8 above the entry rsp
        #expect(body.last == "ret")
    }
}
